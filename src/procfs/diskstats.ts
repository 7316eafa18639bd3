import { RxporterError } from '../errors';
import { fields, lines, parseUint } from '../sysfs/parse';

/** One line of /proc/diskstats. */
export interface DiskstatsLine {
  readonly major: number;
  readonly minor: number;
  readonly device: string;
  /** The counters after the device name, in kernel order (11, 15 or 17 of them). */
  readonly counters: readonly number[];
}

/**
 * Returns the lines of /proc/diskstats with at least the 11 classic counters; shorter lines
 * are skipped (as procfs does), counters beyond the 17 known ones ignored.
 *   "   8       0 sda 25354637 34367663 1003346126 18492372 28444756 …"
 *   → { major: 8, minor: 0, device: 'sda', counters: [25354637, 34367663, …] }
 * Throws RXP_PROC_PARSE quoting the line for a non-number.
 */
export function parseDiskstats(text: string): DiskstatsLine[] {
  const out: DiskstatsLine[] = [];
  for (const line of lines(text)) {
    const p = fields(line);
    if (p.length === 0) continue;
    const n = Math.min(p.length, 20);
    const nums: number[] = [];
    for (let i = 0; i < n; i++) {
      if (i === 2) continue;
      const v = parseUint(p[i]);
      if (Number.isNaN(v)) throw new RxporterError('RXP_PROC_PARSE', `diskstats: invalid field ${i + 1} in line ${JSON.stringify(line)}`);
      nums.push(v);
    }
    if (n < 14) continue;
    out.push({ major: nums[0], minor: nums[1], device: p[2], counters: nums.slice(2) });
  }
  return out;
}
