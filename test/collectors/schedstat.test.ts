import { rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { schedstat } from '../../src/collectors/schedstat';
import { RxporterError } from '../../src/errors';
import { collectOnEditedCopy, copyNeFixtures, expectUpstreamConformance, removeNeFixtures } from '../support/neFixtures';

describe('schedstat collector', () => {
  let root: string;
  beforeAll(() => {
    root = copyNeFixtures(['proc']);
  });
  afterAll(() => removeNeFixtures(root));

  it("matches node_exporter's e2e output on upstream's fixtures", async () => {
    await expectUpstreamConformance(schedstat, root, /^node_schedstat_/, 6);
  });

  it('reports no data without /proc/schedstat (CONFIG_SCHEDSTATS off)', async () => {
    const r = await collectOnEditedCopy(schedstat, ['proc'], (dir) => rmSync(join(dir, 'proc/schedstat')));
    expect(r.error).toBeInstanceOf(RxporterError);
    expect(r.error).toMatchObject({ code: 'RXP_NO_DATA' });
  });

  it.each([
    ['empty', ''],
    ['truncated', 'version 15\ncpu0 1 2'],
  ])('exports nothing from a file that is %s, as node_exporter', async (_n, content) => {
    const r = await collectOnEditedCopy(schedstat, ['proc'], (dir) => writeFileSync(join(dir, 'proc/schedstat'), content));
    expect(r.families).toEqual([]);
  });
});
