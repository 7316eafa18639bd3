import { RxporterError } from '../errors';
import { hexOrNaN, splitFields, splitLines } from './fields';

/** One CPU line of /proc/net/stat/nf_conntrack (the counters node_exporter sums). */
export interface ConntrackStatEntry {
  readonly found: number;
  readonly invalid: number;
  readonly ignore: number;
  readonly insert: number;
  readonly insertFailed: number;
  readonly drop: number;
  readonly earlyDrop: number;
  readonly searchRestart: number;
}

/**
 * Returns the per-CPU lines of /proc/net/stat/nf_conntrack after its header: 16 or 17
 * hexadecimal columns (search_restart, the 17th, came with Linux 2.6.35).
 *   "00000021  00000000 00000000 00000000 00000003 0000588a …"
 * Throws RXP_PROC_PARSE quoting the line on another column count or a non-hex value.
 */
export function parseConntrackStat(text: string): ConntrackStatEntry[] {
  const out: ConntrackStatEntry[] = [];
  const lines = splitLines(text);
  for (let i = 1; i < lines.length; i++) {
    const v = splitFields(lines[i]).map(hexOrNaN);
    if (v.length < 16 || v.length > 17 || v.some(Number.isNaN)) {
      throw new RxporterError('RXP_PROC_PARSE', `net/stat/nf_conntrack: invalid line: ${JSON.stringify(lines[i])}`);
    }
    out.push({
      found: v[2],
      invalid: v[4],
      ignore: v[5],
      insert: v[8],
      insertFailed: v[9],
      drop: v[10],
      earlyDrop: v[11],
      searchRestart: v.length === 17 ? v[16] : 0,
    });
  }
  return out;
}
