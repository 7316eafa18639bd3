import { RxporterError } from '../errors';
import { hexOrNaN, splitFields, splitLines } from './fields';

/** One /proc/net/stat/<file>: per header, one counter per CPU line. */
export interface NetStatFile {
  readonly headers: readonly string[];
  /** header → counters, index = CPU line. */
  readonly stats: ReadonlyMap<string, readonly number[]>;
}

/**
 * Returns the counters of a /proc/net/stat/* file: a header line of names, then one line
 * of hexadecimal counters per CPU.
 *   "entries  allocs destroys"  "00000014  00000001 00000002" → entries: [20], allocs: [1], …
 * Throws RXP_PROC_PARSE quoting the line on a non-hex value or more values than headers.
 */
export function parseNetStatFile(text: string): NetStatFile {
  const lines = splitLines(text);
  const headers = lines.length > 0 ? splitFields(lines[0]) : [];
  const stats = new Map<string, number[]>();
  for (let i = 1; i < lines.length; i++) {
    const f = splitFields(lines[i]);
    if (f.length > headers.length) {
      throw new RxporterError('RXP_PROC_PARSE', `net/stat: more values than headers: ${JSON.stringify(lines[i])}`);
    }
    for (let j = 0; j < f.length; j++) {
      const v = hexOrNaN(f[j]);
      if (Number.isNaN(v)) throw new RxporterError('RXP_PROC_PARSE', `net/stat: invalid value in line: ${JSON.stringify(lines[i])}`);
      let list = stats.get(headers[j]);
      if (!list) stats.set(headers[j], (list = []));
      list.push(v);
    }
  }
  return { headers, stats };
}
