import { rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { bonding } from '../../src/collectors/bonding';
import { RxporterError } from '../../src/errors';
import { collectOnEditedCopy, copyNeFixtures, expectUpstreamConformance, recordingLog, removeNeFixtures } from '../support/neFixtures';

const NET = (root: string, ...p: string[]) => join(root, 'sys', 'class', 'net', ...p);

describe('bonding collector', () => {
  let root: string;
  beforeAll(() => {
    root = copyNeFixtures(['sys']);
  });
  afterAll(() => removeNeFixtures(root));

  it("matches node_exporter's e2e output on upstream's fixtures, sample for sample", async () => {
    await expectUpstreamConformance(bonding, root, /^node_bonding_/, 6);
  });

  it('reports RXP_NO_DATA without bonding_masters (no bonding driver)', async () => {
    const r = await collectOnEditedCopy(bonding, ['sys'], (root) => rmSync(NET(root, 'bonding_masters')));
    expect(r.error).toBeInstanceOf(RxporterError);
    expect(r.error).toMatchObject({ code: 'RXP_NO_DATA' });
  });

  it('drops a master that vanished between listing and reading, with a debug line', async () => {
    const log = recordingLog();
    const r = await collectOnEditedCopy(bonding, ['sys'], (root) => writeFileSync(NET(root, 'bonding_masters'), 'bond0 dmz gone0 int\n'), log);
    expect(r.families!.find((f) => f.name === 'node_bonding_slaves')!.samples.map((s) => s.labels.master)).toEqual(['bond0', 'dmz', 'int']);
    expect(log.lines).toContainEqual(expect.objectContaining({ level: 'debug', meta: expect.objectContaining({ master: 'gone0' }) }));
  });

  it('reads slave_<name> on older kernels', async () => {
    const r = await collectOnEditedCopy(bonding, ['sys'], (root) => writeFileSync(NET(root, 'bonding_masters'), 'dmz\n'));
    expect(r.families!.find((f) => f.name === 'node_bonding_active')!.samples).toEqual([{ labels: { master: 'dmz' }, value: 2 }]);
  });

  it('emits nothing for an empty bonding_masters', async () => {
    const r = await collectOnEditedCopy(bonding, ['sys'], (root) => writeFileSync(NET(root, 'bonding_masters'), '\n'));
    expect(r.families).toEqual([]);
  });
});
