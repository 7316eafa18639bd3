import { RxporterError } from '../errors';
import { fields, goInt, scanLines } from './goStrconv';

/** One controller line of /proc/cgroups. */
export interface CgroupSubsystem {
  readonly subsysName: string;
  readonly hierarchy: number;
  readonly cgroups: number;
  readonly enabled: number;
}

/**
 * Returns the controllers of /proc/cgroups; "#" lines are comments.
 *   "cpuset\t5\t47\t1" → { subsysName: "cpuset", hierarchy: 5, cgroups: 47, enabled: 1 }
 * Throws RXP_PROC_PARSE quoting a line with fewer than four fields or a non-integer, and for
 * an empty file.
 */
export function parseCgroups(text: string): CgroupSubsystem[] {
  const lines = scanLines(text);
  if (lines.length === 0) throw new RxporterError('RXP_PROC_PARSE', 'cgroups: empty file');
  const out: CgroupSubsystem[] = [];
  for (const line of lines) {
    if (line.startsWith('#')) continue;
    const f = fields(line);
    const nums = f.length >= 4 ? [goInt(f[1]), goInt(f[2]), goInt(f[3])] : [NaN];
    if (nums.some(Number.isNaN)) throw new RxporterError('RXP_PROC_PARSE', `cgroups: invalid line ${JSON.stringify(line)}`);
    out.push({ subsysName: f[0], hierarchy: nums[0], cgroups: nums[1], enabled: nums[2] });
  }
  return out;
}
