import { btrfsAllocationRatio, parseBtrfsCommitStats } from '../../src/sysfs/btrfs';
import { thrownCode } from '../support/edge';

describe('parseBtrfsCommitStats', () => {
  it('reads the known counters and ignores others', () => {
    expect(parseBtrfsCommitStats('commits 258051\nlast_commit_ms 1000\nmax_commit_ms 51462\ntotal_commit_ms 47836090\nnew_thing 4\n')).toEqual({
      commits: 258051,
      lastCommitMs: 1000,
      maxCommitMs: 51462,
      totalCommitMs: 47836090,
    });
  });

  it('reads an empty file as zeros', () => {
    expect(parseBtrfsCommitStats('')).toEqual({ commits: 0, lastCommitMs: 0, maxCommitMs: 0, totalCommitMs: 0 });
  });

  it.each([
    ['a truncated line', 'commits 1\nlast_commit_ms'],
    ['a non-number', 'commits many\n'],
    ['an extra field', 'commits 1 2\n'],
  ])('rejects %s', (_n, text) => {
    expect(thrownCode(() => parseBtrfsCommitStats(text))).toBe('RXP_PROC_PARSE');
  });
});

describe('btrfsAllocationRatio', () => {
  it.each([
    ['single', 3, 1],
    ['dup', 1, 2],
    ['raid1c3', 3, 3],
    ['raid5', 4, 4 / 3],
    ['raid6', 4, 2],
    ['mystery', 2, 0],
  ])('%s on %d devices is %d', (p, n, want) => {
    expect(btrfsAllocationRatio(p, n)).toBe(want);
  });
});
