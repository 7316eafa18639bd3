import { RxporterError } from '../errors';
import { fields, lines, parseUint } from './parse';

/** Commit statistics of a btrfs filesystem. */
export interface BtrfsCommitStats {
  readonly commits: number;
  readonly lastCommitMs: number;
  readonly maxCommitMs: number;
  readonly totalCommitMs: number;
}

/**
 * Returns the counters of a btrfs `commit_stats` file; unknown keys are ignored.
 *   "commits 258051" / "last_commit_ms 1000" → { commits: 258051, lastCommitMs: 1000, … }
 * Throws RXP_PROC_PARSE for a line without exactly two fields or a non-number.
 */
export function parseBtrfsCommitStats(text: string): BtrfsCommitStats {
  const s = { commits: 0, lastCommitMs: 0, maxCommitMs: 0, totalCommitMs: 0 };
  for (const line of lines(text)) {
    const p = fields(line);
    const v = p.length === 2 ? parseUint(p[1]) : NaN;
    if (Number.isNaN(v)) throw new RxporterError('RXP_PROC_PARSE', `btrfs commit_stats: invalid line ${JSON.stringify(line)}`);
    if (p[0] === 'commits') s.commits = v;
    else if (p[0] === 'last_commit_ms') s.lastCommitMs = v;
    else if (p[0] === 'max_commit_ms') s.maxCommitMs = v;
    else if (p[0] === 'total_commit_ms') s.totalCommitMs = v;
  }
  return s;
}

/**
 * Returns the data allocation ratio of a btrfs profile on `devices` devices, 0 for an
 * unknown profile.   "raid1" → 2, "raid5" with 4 devices → 4/3
 */
export function btrfsAllocationRatio(profile: string, devices: number): number {
  switch (profile) {
    case 'single':
    case 'raid0':
      return 1;
    case 'dup':
    case 'raid1':
    case 'raid10':
      return 2;
    case 'raid1c3':
      return 3;
    case 'raid1c4':
      return 4;
    case 'raid5':
      return devices / (devices - 1);
    case 'raid6':
      return devices / (devices - 2);
    default:
      return 0;
  }
}
