import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseMdstat } from '../../src/procfs/mdstat';
import { parseRaidDisks } from '../../src/sysfs/mdraid';
import { edge, thrownCode } from '../support/edge';
import { upstreamDir } from '../support/upstream';

describe('parseMdstat', () => {
  it('parses the upstream mdstat: states, disks and sync progress', () => {
    const md = parseMdstat(readFileSync(join(upstreamDir(), 'fixtures/proc/mdstat'), 'utf8'));
    expect(md).toHaveLength(17);
    expect(md.find((m) => m.name === 'md6')).toEqual({
      name: 'md6',
      state: 'recovering',
      disksActive: 1,
      disksTotal: 2,
      disksFailed: 1,
      disksSpare: 1,
      blocksTotal: 195310144,
      blocksSynced: 16775552,
    });
    expect(md.find((m) => m.name === 'md9')).toMatchObject({ state: 'resyncing', blocksSynced: 0 });
    expect(md.find((m) => m.name === 'md120')).toMatchObject({ disksActive: 2, disksTotal: 2 });
    expect(md.find((m) => m.name === 'md219')).toMatchObject({ state: 'inactive', disksSpare: 3, blocksTotal: 7932 });
  });

  it('reads extra words, a bitmap line and a check line', () => {
    expect(parseMdstat(edge('mdadm', 'unexpected-fields'))).toEqual([
      { name: 'md0', state: 'checking', disksActive: 2, disksTotal: 2, disksFailed: 0, disksSpare: 0, blocksTotal: 248896, blocksSynced: 114176 },
    ]);
  });

  it('reads an empty file as no devices', () => {
    expect(parseMdstat(edge('mdadm', 'empty'))).toEqual([]);
  });

  it.each(['truncated', 'non-number', 'garbled-status', 'recovery-non-number'])('rejects %s with RXP_PROC_PARSE', (file) => {
    expect(thrownCode(() => parseMdstat(edge('mdadm', file)))).toBe('RXP_PROC_PARSE');
  });
});

describe('parseRaidDisks', () => {
  it.each([
    ['4\n', 4],
    ['4 (3)\n', 4],
    ['', undefined],
    ['many', undefined],
  ])('reads %j as %p', (text, want) => {
    expect(parseRaidDisks(text)).toBe(want);
  });
});
