import { RxporterError } from '../errors';
import { goInt } from './goStrconv';

const isSpace = (c: number): boolean => c === 32 || (c >= 9 && c <= 13);

/** What the processes collector reads from /proc/<pid>/stat. */
export interface PidStat {
  /** One-letter state: R, S, D, Z, T, t, X, I, … */
  readonly state: string;
  readonly numThreads: number;
}

/** Fields after the command name that procfs scans (state through cguest_time). */
const SCANNED_FIELDS = 42;

/**
 * Returns the state and thread count of a /proc/<pid>/stat (or task/<tid>/stat) text. The
 * command name may hold spaces and parentheses, so the fields start after the last ")".
 *   "1 (systemd) S 0 1 1 0 -1 4194560 … 20 0 1 0 29 …" → { state: "S", numThreads: 1 }
 * Throws RXP_PROC_PARSE quoting the text when it has no "(comm)" or too few fields.
 */
export function parsePidStat(text: string): PidStat {
  const l = text.indexOf('(');
  const r = text.lastIndexOf(')');
  if (l < 0 || r < 0) throw new RxporterError('RXP_PROC_PARSE', `stat: unexpected format, couldn't extract comm ${JSON.stringify(text)}`);
  // Walk the fields instead of splitting them: only the 1st and 18th are needed, per process and thread.
  let state = '';
  let threads = '';
  let count = 0;
  let i = r + 2;
  const n = text.length;
  while (i < n && count < SCANNED_FIELDS) {
    while (i < n && isSpace(text.charCodeAt(i))) i++;
    if (i >= n) break;
    const start = i;
    while (i < n && !isSpace(text.charCodeAt(i))) i++;
    if (count === 0) state = text.slice(start, i);
    else if (count === 17) threads = text.slice(start, i);
    count++;
  }
  const numThreads = count >= SCANNED_FIELDS ? goInt(threads) : NaN;
  if (Number.isNaN(numThreads)) throw new RxporterError('RXP_PROC_PARSE', `stat: too few or invalid fields ${JSON.stringify(text)}`);
  return { state, numThreads };
}
