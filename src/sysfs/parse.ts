export { fields } from '../procfs/goStrconv';
export { splitLines as lines } from '../procfs/fields';
import { RxporterError } from '../errors';
import { isNoValue } from '../procfs/noValue';

/**
 * Number and line helpers shared by the procfs/sysfs parsers of the storage and hardware
 * collectors. They follow Go's strconv rules (what node_exporter and procfs use) without
 * regular expressions, since they run on every line of every scrape.
 */

const isDigit = (c: number): boolean => c >= 48 && c <= 57;

/**
 * Returns the value of a base-10 unsigned integer as strconv.ParseUint(s, 10, 64) accepts
 * it (digits only), or NaN.
 *   "1884160" → 1884160, "-1" → NaN, "0x10" → NaN, "" → NaN
 */
export function parseUint(s: string): number {
  if (s.length === 0 || s.length > 20) return NaN;
  for (let i = 0; i < s.length; i++) if (!isDigit(s.charCodeAt(i))) return NaN;
  return Number(s);
}

/**
 * Returns the value of a base-10 signed integer as strconv.ParseInt(s, 10, 64) accepts it
 * (optional sign, then digits), or NaN.
 *   "-12" → -12, "+3" → 3, "1.5" → NaN
 */
export function parseInt64(s: string): number {
  const c = s.charCodeAt(0);
  if (c === 45 /* - */) return -parseUint(s.slice(1));
  if (c === 43 /* + */) return parseUint(s.slice(1));
  return parseUint(s);
}

/**
 * Returns the value of a decimal or exponent float as strconv.ParseFloat accepts the usual
 * sysfs spellings, or NaN for anything else (empty, trailing junk, hex).
 *   "3.14" → 3.14, "-1e3" → -1000, "abc" → NaN
 */
export function parseFloat64(s: string): number {
  if (s.length === 0) return NaN;
  let i = 0;
  const c0 = s.charCodeAt(0);
  if (c0 === 43 || c0 === 45) i++;
  let digits = 0;
  for (; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (isDigit(c)) digits++;
    else if (c !== 46 /* . */ && c !== 101 && c !== 69 /* e E */ && c !== 43 && c !== 45) break;
  }
  if (digits === 0 || i !== s.length) {
    const lower = s.toLowerCase();
    if (lower === 'nan') return NaN;
    if (lower === 'inf' || lower === '+inf' || lower === 'infinity' || lower === '+infinity') return Infinity;
    if (lower === '-inf' || lower === '-infinity') return -Infinity;
    return NaN;
  }
  return Number(s);
}

/**
 * Returns an integer as Go's strconv.ParseInt(s, 0, 64) reads it (what procfs's value
 * parser uses): decimal, 0x hex, 0o or leading-0 octal, 0b binary, optional sign; or NaN.
 *   "42" → 42, "0x8380" → 33664, "010" → 8, "-3" → -3, "1.5" → NaN
 */
export function parseInt64Base0(s: string): number {
  let t = s;
  let sign = 1;
  if (t.startsWith('-') || t.startsWith('+')) {
    if (t[0] === '-') sign = -1;
    t = t.slice(1);
  }
  if (t.length === 0) return NaN;
  let base = 10;
  let digits = t;
  const p = t.slice(0, 2).toLowerCase();
  if (p === '0x') [base, digits] = [16, t.slice(2)];
  else if (p === '0o') [base, digits] = [8, t.slice(2)];
  else if (p === '0b') [base, digits] = [2, t.slice(2)];
  else if (t.length > 1 && t[0] === '0') [base, digits] = [8, t.slice(1)];
  if (digits.length === 0) return NaN;
  for (let i = 0; i < digits.length; i++) {
    const c = digits.charCodeAt(i) | 0x20;
    const d = c >= 48 && c <= 57 ? c - 48 : c >= 97 && c <= 102 ? c - 87 : 99;
    if (d >= base) return NaN;
  }
  const v = base === 10 ? Number(digits) : parseInt(digits, base);
  return sign * v;
}

/**
 * Returns the number a single-value kernel file holds, read with `parse` (one of the
 * helpers above), or undefined when the file holds the kernel's "no value" marker
 * (procfs/noValue.ts: `<unknown>`, `N/A…`, empty): that one value is left out and the
 * collector goes on (FamilyBuilder adds no sample for undefined). `what` names the file in
 * the error.
 *   ("1200000", parseUint) → 1200000, ("<unknown>", parseUint) → undefined
 * Throws RXP_PROC_PARSE quoting any other text that `parse` rejects.
 */
export function parseValueOrNone(text: string, parse: (s: string) => number, what: string): number | undefined {
  const v = parse(text);
  if (!Number.isNaN(v) || text.trim().toLowerCase() === 'nan') return v;
  if (isNoValue(text)) return undefined;
  throw new RxporterError('RXP_PROC_PARSE', `${what}: invalid value ${JSON.stringify(text)}`);
}
