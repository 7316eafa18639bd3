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

/** What the process collector reads from /proc/<pid>/stat (proc(5)); times in clock ticks, sizes in bytes or pages. */
export interface ProcessStat {
  /** The command name between the first "(" and the last ")". */
  readonly comm: string;
  readonly state: string;
  readonly ppid: number;
  readonly minflt: number;
  readonly majflt: number;
  /** User and system time in clock ticks (USER_HZ, 100 on every Linux that rxporter runs on). */
  readonly utime: number;
  readonly stime: number;
  readonly numThreads: number;
  /** Start time after boot, in clock ticks: with the pid, what tells a process from a later one reusing its pid. */
  readonly starttime: number;
  /** Virtual memory size in bytes. */
  readonly vsize: number;
  /** Resident set size in pages. */
  readonly rss: number;
}

/** Fields after the command name that parseProcessStat needs (state through rss, proc(5) fields 3-24). */
const PROCESS_FIELDS = 22;

/**
 * Returns the fields the process collector uses from a /proc/<pid>/stat (or task/<tid>/stat)
 * text, as prometheus/procfs's ProcStat reads them (the comm may hold spaces and parentheses).
 *   "42 (sleep) S 1 42 42 0 -1 4194304 95 0 0 0 0 0 0 0 20 0 1 0 1234 2437120 200 …"
 *     → { comm: "sleep", state: "S", ppid: 1, minflt: 95, …, starttime: 1234, vsize: 2437120, rss: 200 }
 * Throws RXP_PROC_PARSE quoting the text when it has no "(comm)", fewer than 24 fields (a
 * truncated file) or a non-number where a number belongs.
 */
export function parseProcessStat(text: string): ProcessStat {
  const l = text.indexOf('(');
  const r = text.lastIndexOf(')');
  if (l < 0 || r < l) throw new RxporterError('RXP_PROC_PARSE', `stat: unexpected format, couldn't extract comm ${JSON.stringify(text)}`);
  const f: string[] = [];
  let i = r + 2;
  const n = text.length;
  while (i < n && f.length < PROCESS_FIELDS) {
    while (i < n && isSpace(text.charCodeAt(i))) i++;
    if (i >= n) break;
    const start = i;
    while (i < n && !isSpace(text.charCodeAt(i))) i++;
    f.push(text.slice(start, i));
  }
  const num = (k: number): number => (k < f.length ? goInt(f[k]) : NaN);
  const s: ProcessStat = {
    comm: text.slice(l + 1, r),
    state: f[0] ?? '',
    ppid: num(1),
    minflt: num(7),
    majflt: num(9),
    utime: num(11),
    stime: num(12),
    numThreads: num(17),
    starttime: num(19),
    vsize: num(20),
    rss: num(21),
  };
  for (const v of [s.ppid, s.minflt, s.majflt, s.utime, s.stime, s.numThreads, s.starttime, s.vsize, s.rss]) {
    if (Number.isNaN(v)) throw new RxporterError('RXP_PROC_PARSE', `stat: too few or invalid fields ${JSON.stringify(text)}`);
  }
  return s;
}
