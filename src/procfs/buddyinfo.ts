import { RxporterError } from '../errors';
import { fields, goFloat, scanLines } from './goStrconv';

/** One line of /proc/buddyinfo: free blocks of each order in a zone. */
export interface BuddyZone {
  readonly node: string;
  readonly zone: string;
  /** Free blocks of order 0, 1, 2, … */
  readonly sizes: readonly number[];
}

/**
 * Returns the zones of /proc/buddyinfo.
 *   "Node 0, zone      DMA      1      0      1" → { node: "0", zone: "DMA", sizes: [1, 0, 1] }
 * Throws RXP_PROC_PARSE quoting the line for fewer than four fields, a non-number or a
 * bucket count that differs from the first line's, and for an empty file.
 */
export function parseBuddyinfo(text: string): BuddyZone[] {
  const out: BuddyZone[] = [];
  let buckets = -1;
  for (const line of scanLines(text)) {
    const parts = fields(line);
    if (parts.length < 4) throw new RxporterError('RXP_PROC_PARSE', `buddyinfo: invalid number of fields in line ${JSON.stringify(line)}`);
    const trim = (s: string) => (s.endsWith(',') ? s.slice(0, -1) : s);
    const n = parts.length - 4;
    if (buckets === -1) buckets = n;
    else if (buckets !== n) throw new RxporterError('RXP_PROC_PARSE', `buddyinfo: ${n} buckets instead of ${buckets} in line ${JSON.stringify(line)}`);
    const sizes: number[] = [];
    for (let i = 4; i < parts.length; i++) {
      const v = goFloat(parts[i]);
      if (!v.ok) throw new RxporterError('RXP_PROC_PARSE', `buddyinfo: invalid value ${JSON.stringify(parts[i])} in line ${JSON.stringify(line)}`);
      sizes.push(v.value);
    }
    out.push({ node: trim(parts[1]), zone: trim(parts[3]), sizes });
  }
  if (out.length === 0) throw new RxporterError('RXP_PROC_PARSE', 'buddyinfo: empty file');
  return out;
}
