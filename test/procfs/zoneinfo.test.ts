import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { RxporterError } from '../../src/errors';
import { matchZoneHeader, parseZoneinfo } from '../../src/procfs/zoneinfo';
import { neDataDir } from '../support/neFixtures';
import { thrown } from '../support/thrown';

describe('parseZoneinfo', () => {
  it("reads upstream's zones; a node's first zone carries the per-node stats, later lines win", () => {
    const zones = parseZoneinfo(readFileSync(join(neDataDir(), 'fixtures/proc/zoneinfo'), 'utf8'));
    expect(zones.map((z) => `${z.node}/${z.zone}`)).toEqual(['0/DMA', '0/DMA32', '0/Normal', '0/Movable', '0/Device']);
    const dma = zones[0];
    expect(dma.values.get('nr_inactive_anon')).toBe(95612); // from "per-node stats"
    expect(dma.values.get('min')).toBe(8);
    expect(dma.values.get('nr_free_pages')).toBe(2949);
    expect(dma.protection).toEqual([0, 2039, 31932, 31932, 31932]);
    expect(zones[1].values.has('nr_inactive_anon')).toBe(false);
  });

  it.each([
    ['Node 0, zone      DMA', ['0', 'DMA']],
    [' 12, zone   Normal', ['12', 'Normal']],
    ['Node 0, zone', undefined],
    ['Node x, zone DMA', undefined],
    ['nr_free_pages 5', undefined],
  ])('reads the header %j as %p', (line, want) => expect(matchZoneHeader(line)).toEqual(want));

  it('ignores an unreadable protection array, as procfs does', () => {
    const [z] = parseZoneinfo('Node 0, zone DMA\n  protection: (0, x)\n  min 3\n');
    expect(z.protection).toBeUndefined();
    expect(z.values.get('min')).toBe(3);
  });

  it('reads a block without a header with empty node and zone', () => {
    expect(parseZoneinfo('  min 3\n')).toEqual([{ node: '', zone: '', values: new Map([['min', 3]]), protection: undefined }]);
  });

  it.each([
    ['an empty file', ''],
    ['a value that is not an integer', 'Node 0, zone DMA\n  min lots\n'],
  ])('throws RXP_PROC_PARSE for %s', (_n, text) => {
    const e = thrown(() => parseZoneinfo(text));
    expect(e).toBeInstanceOf(RxporterError);
    expect(e).toMatchObject({ code: 'RXP_PROC_PARSE' });
  });
});
