/**
 * Go strconv and strings semantics for the system collectors' parsers, written as plain
 * character loops (no regular expressions: these run on every line of every scrape).
 */

const isDigit = (c: number): boolean => c >= 48 && c <= 57;

/**
 * Returns the value of `s` as strconv.ParseUint(s, 10, 64) accepts it (ASCII digits only),
 * rounded to the nearest float64 as Go's float64(uint64) does, or NaN.
 *   "1884160" → 1884160, "-1" → NaN, "" → NaN, "18446744073709551616" → NaN (overflow)
 */
export function goUint(s: string): number {
  const n = s.length;
  if (n === 0) return NaN;
  for (let i = 0; i < n; i++) if (!isDigit(s.charCodeAt(i))) return NaN;
  if (n >= 20) {
    let d = s;
    while (d.length > 1 && d[0] === '0') d = d.slice(1);
    if (d.length > 20 || (d.length === 20 && d > '18446744073709551615')) return NaN;
  }
  return Number(s);
}

/**
 * Returns the value of `s` as strconv.ParseInt(s, 10, 64) accepts it (an optional sign,
 * then ASCII digits), or NaN.
 *   "-12" → -12, "+3" → 3, "1.5" → NaN
 */
export function goInt(s: string): number {
  const c = s.charCodeAt(0);
  const signed = c === 45 || c === 43;
  const digits = signed ? s.slice(1) : s;
  const v = goUint(digits);
  if (Number.isNaN(v)) return NaN;
  if (digits.length >= 19) {
    // int64 bounds, compared as digit strings: float64 cannot tell 2^63-1 from 2^63.
    let d = digits;
    while (d.length > 1 && d[0] === '0') d = d.slice(1);
    if (d.length > 19 || (d.length === 19 && d > (c === 45 ? '9223372036854775808' : '9223372036854775807'))) return NaN;
  }
  return c === 45 ? -v : v;
}

/**
 * Returns the value of `s` as strconv.ParseInt(s, 0, 64) accepts it: a sign, then a
 * decimal, 0x hex, 0o / leading-0 octal or 0b binary number, `_` between digits; or NaN.
 *   "0x10" → 16, "010" → 8, "1_000" → 1000, "08" → NaN
 */
export function goIntBase0(s: string): number {
  const first = s.charCodeAt(s[0] === '-' || s[0] === '+' ? 1 : 0);
  if (first !== 48) {
    const fast = goInt(s); // no prefix possible: plain decimal, the common case
    if (!Number.isNaN(fast)) return fast;
  }
  let i = 0;
  let neg = false;
  if (s[0] === '+' || s[0] === '-') {
    neg = s[0] === '-';
    i = 1;
  }
  let body = s.slice(i);
  let base = 10;
  let prefix = false;
  if (body.length > 1 && body[0] === '0') {
    prefix = true;
    const p = body[1];
    if (p === 'x' || p === 'X') base = 16;
    else if (p === 'b' || p === 'B') base = 2;
    else if (p === 'o' || p === 'O') base = 8;
    body = base === 10 ? body.slice(1) : body.slice(2);
    if (base === 10) base = 8;
  }
  if (body.length === 0) return NaN;
  // An underscore must follow a digit (or the base prefix) and precede a digit.
  let v = 0n;
  const b = BigInt(base);
  for (let k = 0; k < body.length; k++) {
    const ch = body[k];
    if (ch === '_') {
      const prevOk = k === 0 ? prefix : body[k - 1] !== '_';
      if (!prevOk || k === body.length - 1 || body[k + 1] === '_') return NaN;
      continue;
    }
    const d = parseInt(ch, 36);
    if (Number.isNaN(d) || d >= base) return NaN;
    v = v * b + BigInt(d);
  }
  if (neg) v = -v;
  if (v > 9223372036854775807n || v < -9223372036854775808n) return NaN;
  return Number(v);
}

/**
 * Returns the value of `s` as strconv.ParseFloat(s, 64) accepts a decimal float (sign,
 * digits, optional fraction and exponent, "inf", "infinity", "nan" in any case), or NaN
 * with `ok` false. Hex floats and underscores, which /proc never writes, are refused.
 *   "0.21" → 0.21, "1e3" → 1000, "Inf" → Infinity, "1." → 1, "." → not ok
 */
export function goFloat(s: string): { value: number; ok: boolean } {
  const n = s.length;
  let i = 0;
  if (s[0] === '+' || s[0] === '-') i = 1;
  const rest = s.slice(i).toLowerCase();
  if (rest === 'inf' || rest === 'infinity') return { value: s[0] === '-' ? -Infinity : Infinity, ok: true };
  if (rest === 'nan') return { value: NaN, ok: true };
  let mantissa = 0;
  while (i < n && isDigit(s.charCodeAt(i))) {
    i++;
    mantissa++;
  }
  if (i < n && s[i] === '.') {
    i++;
    while (i < n && isDigit(s.charCodeAt(i))) {
      i++;
      mantissa++;
    }
  }
  if (mantissa === 0) return { value: NaN, ok: false };
  if (i < n && (s[i] === 'e' || s[i] === 'E')) {
    i++;
    if (i < n && (s[i] === '+' || s[i] === '-')) i++;
    const start = i;
    while (i < n && isDigit(s.charCodeAt(i))) i++;
    if (i === start) return { value: NaN, ok: false };
  }
  if (i !== n) return { value: NaN, ok: false };
  return { value: Number(s), ok: true };
}

const isSpace = (c: number): boolean => c === 32 || (c >= 9 && c <= 13);

/**
 * Returns the whitespace-separated fields of `line`, as Go's strings.Fields for ASCII:
 *   "  a\tb  c " → ["a", "b", "c"]
 */
export function fields(line: string): string[] {
  const out: string[] = [];
  const n = line.length;
  let start = -1;
  for (let i = 0; i < n; i++) {
    if (isSpace(line.charCodeAt(i))) {
      if (start >= 0) {
        out.push(line.slice(start, i));
        start = -1;
      }
    } else if (start < 0) start = i;
  }
  if (start >= 0) out.push(line.slice(start));
  return out;
}

/**
 * Returns the lines of `text` as bufio.Scanner yields them: split on "\n", a final "\r"
 * dropped, no empty line after a trailing newline.
 */
export function scanLines(text: string): string[] {
  if (text === '') return [];
  const lines = text.split('\n');
  if (lines[lines.length - 1] === '') lines.pop();
  for (let i = 0; i < lines.length; i++) {
    const l = lines[i];
    if (l.charCodeAt(l.length - 1) === 13) lines[i] = l.slice(0, -1);
  }
  return lines;
}

/** Returns `s` without leading and trailing ASCII whitespace (Go's strings.TrimSpace for ASCII). */
export function trimSpace(s: string): string {
  let a = 0;
  let b = s.length;
  while (a < b && isSpace(s.charCodeAt(a))) a++;
  while (b > a && isSpace(s.charCodeAt(b - 1))) b--;
  return a === 0 && b === s.length ? s : s.slice(a, b);
}

/** Compares two strings bytewise for ASCII (Go's sort.Strings / filepath.Glob order). */
export const byteOrder = (a: string, b: string): number => (a < b ? -1 : a > b ? 1 : 0);
