import { rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { pressure } from '../../src/collectors/pressure';
import { RxporterError } from '../../src/errors';
import { collectOnEditedCopy, copyNeFixtures, expectUpstreamConformance, removeNeFixtures } from '../support/neFixtures';

describe('pressure collector', () => {
  let root: string;
  beforeAll(() => {
    root = copyNeFixtures(['proc']);
  });
  afterAll(() => removeNeFixtures(root));

  it("matches node_exporter's e2e output on upstream's fixtures (values are µs / 1000 / 1000, as Go computes)", async () => {
    await expectUpstreamConformance(pressure, root, /^node_pressure_/, 6);
  });

  it('skips a resource whose file is missing (irq before Linux 6.1)', async () => {
    const r = await collectOnEditedCopy(pressure, ['proc'], (dir) => rmSync(join(dir, 'proc/pressure/irq')));
    expect(r.families!.map((f) => f.name)).not.toContain('node_pressure_irq_stalled_seconds_total');
    expect(r.families).toHaveLength(5);
  });

  it.each([
    ['no pressure file exists (CONFIG_PSI off)', () => ({ rm: 'proc/pressure' }), 'RXP_NO_DATA'],
    ['memory has no "full" line', () => ({ file: 'proc/pressure/memory', content: 'some avg10=0 avg60=0 avg300=0 total=1\n' }), 'RXP_NO_DATA'],
    ['cpu has no "some" line', () => ({ file: 'proc/pressure/cpu', content: '' }), 'RXP_NO_DATA'],
    ['a line is garbled', () => ({ file: 'proc/pressure/io', content: 'some avg10=x\n' }), 'RXP_PROC_PARSE'],
  ])('fails the cycle with an RxporterError when %s', async (_n, spec, code) => {
    const s = spec() as { rm?: string; file?: string; content?: string };
    const r = await collectOnEditedCopy(pressure, ['proc'], (dir) => (s.rm ? rmSync(join(dir, s.rm), { recursive: true }) : writeFileSync(join(dir, s.file!), s.content!)));
    expect(r.error).toBeInstanceOf(RxporterError);
    expect(r.error).toMatchObject({ code });
  });
});
