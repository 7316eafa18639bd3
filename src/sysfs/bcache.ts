import { RxporterError } from '../errors';
import { fields, lines, parseFloat64, parseInt64, parseUint } from './parse';

const MULT: Readonly<Record<string, number>> = { k: 2 ** 10, M: 2 ** 20, G: 2 ** 30, T: 2 ** 40, P: 2 ** 50, E: 2 ** 60, Z: 2 ** 70, Y: 2 ** 80 };

const bad = (what: string) => new RxporterError('RXP_PROC_PARSE', `bcache: cannot parse ${JSON.stringify(what)}`);

/**
 * Returns the bytes of a bcache human-readable value, as procfs's dehumanize: a unit
 * suffix multiplies by a power of 1024, and the digits after the point count in
 * 1/1024ths (bcache prints "1.5k" for 1 + 5/10.24 KiB), truncated to an integer.
 *   "20.4G" → 21894266880 (20 + 4/10.24 GiB), "10473" → 10473, "3x" → 0 (unknown unit)
 * Throws RXP_PROC_PARSE for an empty or non-numeric value.
 */
export function dehumanize(s: string): number {
  if (s.length === 0) throw bad(s);
  const last = s.charCodeAt(s.length - 1);
  if (last > 57) {
    const mult = MULT[s[s.length - 1]] ?? 0;
    const num = s.slice(0, -1);
    const dot = num.indexOf('.');
    const intPart = parseFloat64(dot < 0 ? num : num.slice(0, dot));
    if (Number.isNaN(intPart)) throw bad(s);
    let mant = intPart;
    if (dot >= 0) {
      const rest = num.slice(dot + 1);
      const frac = parseFloat64(rest.includes('.') ? rest.slice(0, rest.indexOf('.')) : rest);
      if (Number.isNaN(frac)) throw bad(s);
      mant += frac / 10.24;
    }
    return Math.trunc(mant * mult);
  }
  const v = parseFloat64(s);
  if (Number.isNaN(v)) throw bad(s);
  return Math.trunc(v);
}

/** Returns a signed dehumanized value: "-427.5k" → -437760. */
export const dehumanizeSigned = (s: string): number => (s.startsWith('-') ? -dehumanize(s.slice(1)) : dehumanize(s));

/** The writeback controller state of a backing device. */
export interface WritebackRateDebug {
  readonly rate: number;
  readonly target: number;
  readonly proportional: number;
  readonly integral: number;
  readonly change: number;
}

const lastField = (line: string): string => {
  const f = fields(line);
  return f[f.length - 1] ?? '';
};

/**
 * Returns a backing device's `writeback_rate_debug`.
 *   "rate:           1.1M/sec" → rate 1150976 …
 * Throws RXP_PROC_PARSE for an unparsable value.
 */
export function parseWritebackRateDebug(text: string): WritebackRateDebug {
  const r = { rate: 0, target: 0, proportional: 0, integral: 0, change: 0 };
  for (const line of lines(text)) {
    const v = lastField(line);
    if (line.startsWith('rate:')) r.rate = dehumanize(v.endsWith('/sec') ? v.slice(0, -4) : v);
    else if (line.startsWith('dirty:')) dehumanize(v);
    else if (line.startsWith('target:')) r.target = dehumanize(v);
    else if (line.startsWith('proportional:')) r.proportional = dehumanizeSigned(v);
    else if (line.startsWith('integral:')) r.integral = dehumanizeSigned(v);
    else if (line.startsWith('change:')) r.change = dehumanizeSigned(v.endsWith('/sec') ? v.slice(0, -4) : v);
    else if (line.startsWith('next io:')) {
      if (Number.isNaN(parseInt64(v.endsWith('ms') ? v.slice(0, -2) : v))) throw bad(line);
    }
  }
  return r;
}

/**
 * Returns the unused and metadata percentages of a cache device's `priority_stats`.
 *   "Unused:		99%" / "Metadata:	0%" → { unused: 99, metadata: 0 }
 */
export function parsePriorityStats(text: string): { unused: number; metadata: number } {
  const r = { unused: 0, metadata: 0 };
  for (const line of lines(text)) {
    const isUnused = line.startsWith('Unused:');
    if (!isUnused && !line.startsWith('Metadata:')) continue;
    const raw = lastField(line);
    const v = parseUint(raw.endsWith('%') ? raw.slice(0, -1) : raw);
    if (Number.isNaN(v)) throw bad(line);
    if (isUnused) r.unused = v;
    else r.metadata = v;
  }
  return r;
}
