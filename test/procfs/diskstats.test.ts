import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseDiskstats } from '../../src/procfs/diskstats';
import { parseUdevData } from '../../src/sysfs/udev';
import { edge, thrownCode } from '../support/edge';
import { upstreamDir } from '../support/upstream';

describe('parseDiskstats', () => {
  it('parses every upstream line with 11, 15 or 17 counters', () => {
    const text = readFileSync(join(upstreamDir(), 'fixtures/proc/diskstats'), 'utf8');
    const d = parseDiskstats(text);
    expect(d).toHaveLength(text.trim().split('\n').length);
    expect(d.find((x) => x.device === 'sda')).toMatchObject({ major: 8, minor: 0, counters: [25354637, 34367663, 1003346126, 18492372, 28444756, 11134226, 505697032, 63877960, 0, 9653880, 82621804] });
    expect(d.find((x) => x.device === 'sdb')!.counters).toHaveLength(15);
    expect(d.find((x) => x.device === 'sdc')!.counters).toHaveLength(17);
  });

  it.each([
    ['a line too short (skipped)', 'short-line', ['sda']],
    ['more than 20 fields (extra ignored)', 'extra-fields', ['sda']],
    ['an empty file', 'empty', []],
    ['a truncated last line (skipped)', 'truncated', ['sda']],
  ])('accepts %s', (_n, file, devices) => {
    expect(parseDiskstats(edge('diskstats', file)).map((d) => d.device)).toEqual(devices);
  });

  it('keeps at most 17 counters', () => {
    expect(parseDiskstats(edge('diskstats', 'extra-fields'))[0].counters).toHaveLength(17);
  });

  it('rejects a non-number with RXP_PROC_PARSE', () => {
    expect(thrownCode(() => parseDiskstats(edge('diskstats', 'non-number')))).toBe('RXP_PROC_PARSE');
  });
});

describe('parseUdevData', () => {
  it('keeps E: properties only, splitting at the first "="', () => {
    const m = parseUdevData(edge('diskstats', 'udev-garbled'));
    expect([...m]).toEqual([
      ['ID_ATA', '1'],
      ['ID_ATA_WRITE_CACHE', 'yes'],
      ['ID_ATA_ROTATION_RATE_RPM', '5400'],
      ['ID_MODEL', 'A=B'],
    ]);
  });
});
