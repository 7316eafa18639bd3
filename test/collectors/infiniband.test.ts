import { rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { createInfinibandCollector, infinibandDefinition } from '../../src/collectors/infiniband';
import { RxporterError } from '../../src/errors';
import { collectOnEditedCopy, copyNeFixtures, expectUpstreamConformance, recordingLog, removeNeFixtures } from '../support/neFixtures';

const all = createInfinibandCollector({ deviceInclude: '', deviceExclude: '' });
const DEV = (root: string, ...p: string[]) => join(root, 'sys', 'class', 'infiniband', ...p);

describe('infiniband collector', () => {
  let root: string;
  beforeAll(() => {
    root = copyNeFixtures(['sys']);
  });
  afterAll(() => removeNeFixtures(root));

  it("matches node_exporter's e2e output on upstream's fixtures, sample for sample", async () => {
    await expectUpstreamConformance(all, root, /^node_infiniband_/, 51);
  });

  it('honours --collector.infiniband.device-include and device-exclude', async () => {
    const inc = infinibandDefinition.create({ deviceInclude: '^mlx', deviceExclude: '' });
    const exc = infinibandDefinition.create({ deviceInclude: '', deviceExclude: '^mlx' });
    const devices = async (c: typeof all) =>
      [...new Set((await collectOnEditedCopy(c, ['sys'], () => undefined)).families!.flatMap((f) => f.samples.map((s) => s.labels.device)))];
    expect(await devices(inc)).toEqual(['mlx4_0']);
    expect(await devices(exc)).toEqual(['i40iw0']);
  });

  it('declares node_exporter’s flags', () => {
    expect(Object.values(infinibandDefinition.options!).map((o) => o.arg).sort()).toEqual([
      'collector.infiniband.device-exclude',
      'collector.infiniband.device-include',
    ]);
  });

  it('skips a device that vanished between listing and reading, with a debug line', async () => {
    const log = recordingLog();
    const r = await collectOnEditedCopy(all, ['sys'], (root) => rmSync(DEV(root, 'mlx4_0', 'fw_ver')), log);
    const devices = new Set(r.families!.flatMap((f) => f.samples.map((s) => s.labels.device)));
    expect([...devices]).toEqual(['i40iw0']);
    expect(log.lines).toContainEqual(expect.objectContaining({ level: 'debug', meta: expect.objectContaining({ device: 'mlx4_0' }) }));
  });

  it.each([
    ['the class directory is absent', (r: string) => rmSync(join(r, 'sys', 'class', 'infiniband'), { recursive: true }), 'RXP_NO_DATA'],
    ['a state file is garbled', (r: string) => writeFileSync(DEV(r, 'mlx4_0', 'ports', '1', 'state'), 'ACTIVE\n'), 'RXP_PROC_PARSE'],
    ['a rate is not a number', (r: string) => writeFileSync(DEV(r, 'mlx4_0', 'ports', '1', 'rate'), 'fast Gb/sec\n'), 'RXP_PROC_PARSE'],
    ['a counter is not a number', (r: string) => writeFileSync(DEV(r, 'mlx4_0', 'ports', '1', 'counters', 'link_downed'), 'twelve\n'), 'RXP_PROC_PARSE'],
    ['a port directory is not a number', (r: string) => writeFileSync(DEV(r, 'mlx4_0', 'ports', 'x'), ''), 'RXP_PROC_PARSE'],
  ])('fails the cycle with an RxporterError when %s', async (_n, edit, code) => {
    const r = await collectOnEditedCopy(all, ['sys'], edit);
    expect(r.error).toBeInstanceOf(RxporterError);
    expect(r.error).toMatchObject({ code });
  });
});
