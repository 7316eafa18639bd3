import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { RxporterError } from '../../src/errors';
import { parseBuddyinfo } from '../../src/procfs/buddyinfo';
import { neDataDir } from '../support/neFixtures';
import { thrown } from '../support/thrown';

describe('parseBuddyinfo', () => {
  it("reads upstream's zones with eleven orders each", () => {
    const zones = parseBuddyinfo(readFileSync(join(neDataDir(), 'fixtures/proc/buddyinfo'), 'utf8'));
    expect(zones.map((z) => [z.node, z.zone, z.sizes.length])).toEqual([
      ['0', 'DMA', 11],
      ['0', 'DMA32', 11],
      ['0', 'Normal', 11],
    ]);
    expect(zones[2].sizes.slice(0, 3)).toEqual([4381, 1093, 185]);
  });

  it.each([
    ['an empty file', ''],
    ['a truncated line', 'Node 0, zone\n'],
    ['a non-number', 'Node 0, zone DMA 1 x 3\n'],
    ['a line with another number of orders', 'Node 0, zone DMA 1 2 3\nNode 0, zone Normal 1 2\n'],
  ])('throws RXP_PROC_PARSE for %s', (_n, text) => {
    const e = thrown(() => parseBuddyinfo(text));
    expect(e).toBeInstanceOf(RxporterError);
    expect(e).toMatchObject({ code: 'RXP_PROC_PARSE' });
  });
});
