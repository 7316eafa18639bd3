import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { RxporterError } from '../../src/errors';
import { parseSlabinfo } from '../../src/procfs/slabinfo';
import { neDataDir } from '../support/neFixtures';
import { thrown } from '../support/thrown';

describe('parseSlabinfo', () => {
  it("reads upstream's caches and skips the version and header lines", () => {
    const slabs = parseSlabinfo(readFileSync(join(neDataDir(), 'fixtures/proc/slabinfo'), 'utf8'));
    expect(slabs).toHaveLength(4);
    expect(slabs[0]).toEqual({ name: 'tw_sock_TCP', activeObjects: 704, objects: 864, objectSize: 256, objectsPerSlab: 32, pagesPerSlab: 2 });
  });

  const line = 'kmalloc-8192         132    148   8192    4    8 : tunables    0    0    0 : slabdata     37     37      0';
  it.each([
    ['an empty file', ''],
    ['a truncated line', 'kmalloc-8192 132 148 8192 4 8 : tunables 0 0 0 : slabdata 37 37'],
    ['an extra column', `${line} 9`],
    ['leading blanks (an extra empty column to procfs)', ` ${line}`],
    ['a non-number', line.replace('148', 'lots')],
    ['a non-number in the slabdata part', line.replace('37     37', '37     xx')],
  ])('throws RXP_PROC_PARSE for %s', (_n, text) => {
    const e = thrown(() => parseSlabinfo(text));
    expect(e).toBeInstanceOf(RxporterError);
    expect(e).toMatchObject({ code: 'RXP_PROC_PARSE' });
  });
});
