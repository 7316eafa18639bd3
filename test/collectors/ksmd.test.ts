import { rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { ksmd } from '../../src/collectors/ksmd';
import { RxporterError } from '../../src/errors';
import { collectOnEditedCopy, copyNeFixtures, expectUpstreamConformance, recordingLog, removeNeFixtures } from '../support/neFixtures';

const ksm = (dir: string, f: string) => join(dir, 'sys/kernel/mm/ksm', f);

describe('ksmd collector', () => {
  let root: string;
  beforeAll(() => {
    root = copyNeFixtures(['sys']);
  });
  afterAll(() => removeNeFixtures(root));

  it("matches node_exporter's e2e output on upstream's fixtures", async () => {
    await expectUpstreamConformance(ksmd, root, /^node_ksmd_/, 10);
  });

  it('skips a file older kernels lack, with a debug line', async () => {
    const log = recordingLog();
    const r = await collectOnEditedCopy(ksmd, ['sys'], (dir) => rmSync(ksm(dir, 'general_profit')), log);
    expect(r.families!.map((f) => f.name)).not.toContain('node_ksmd_general_profit_bytes');
    expect(r.families).toHaveLength(9);
    expect(log.lines).toContainEqual(expect.objectContaining({ level: 'debug', message: 'ksmd file not found, skipping' }));
  });

  it.each([
    ['a value is not a number', 'pages_shared', 'x\n'],
    ['a value is negative (general_profit can be; node_exporter fails on it too)', 'general_profit', '-4096\n'],
  ])('fails the cycle with RXP_PROC_PARSE when %s', async (_n, file, content) => {
    const r = await collectOnEditedCopy(ksmd, ['sys'], (dir) => writeFileSync(ksm(dir, file), content));
    expect(r.error).toBeInstanceOf(RxporterError);
    expect(r.error).toMatchObject({ code: 'RXP_PROC_PARSE' });
  });

  it.each([['an empty file', ''], ['<unknown>', '<unknown>\n'], ['N/A', 'N/A\n']])('leaves out a value the kernel marks as none (%s) and keeps the rest', async (_n, content) => {
    const r = await collectOnEditedCopy(ksmd, ['sys'], (dir) => writeFileSync(ksm(dir, 'run'), content));
    expect(r.families!.map((f) => f.name)).not.toContain('node_ksmd_run');
    expect(r.families).toHaveLength(9);
  });
});
