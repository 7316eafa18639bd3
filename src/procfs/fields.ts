export { fields as splitFields, trimSpace } from './goStrconv';
/** 2^53, Go's float64Mantissa: counters node_exporter wraps modulo this before converting. */
export const FLOAT64_MANTISSA = 9007199254740992n;

/**
 * Returns true when `s` is a non-empty run of ASCII digits (what Go's ParseUint base 10
 * accepts, short of overflow).
 */
export function isUintText(s: string): boolean {
  const n = s.length;
  if (n === 0) return false;
  for (let i = 0; i < n; i++) {
    const c = s.charCodeAt(i);
    if (c < 48 || c > 57) return false;
  }
  return true;
}

/**
 * Returns the unsigned decimal `s` as the nearest float64 (as Go's float64(uint64) does),
 * or NaN when `s` is not a run of digits.
 */
export const uintOrNaN = (s: string): number =>
  isUintText(s) && (s.length < 20 || (s.length === 20 && s <= '18446744073709551615')) ? Number(s) : NaN;

/**
 * Returns the unsigned hexadecimal `s` (Go's ParseUint(s, 16, 64): digits only, no 0x) as
 * the nearest float64, or NaN.
 */
export function hexOrNaN(s: string): number {
  const n = s.length;
  if (n === 0) return NaN;
  for (let i = 0; i < n; i++) {
    const c = s.charCodeAt(i);
    if (!((c >= 48 && c <= 57) || (c >= 97 && c <= 102) || (c >= 65 && c <= 70))) return NaN;
  }
  // Up to 13 hex digits fit in 2^53; beyond, BigInt rounds to nearest as Go does.
  if (n <= 13) return parseInt(s, 16);
  const big = BigInt(`0x${s}`);
  return big > 0xffffffffffffffffn ? NaN : Number(big);
}

/** Returns true when `s` is a decimal integer with an optional leading minus (Go's ParseInt base 10). */
export function isIntText(s: string): boolean {
  return s.charCodeAt(0) === 45 ? isUintText(s.slice(1)) : isUintText(s);
}

/** Returns `(s mod 2^53)` as a number, s being an unsigned decimal of any size. */
export function uintMod53(s: string): number {
  // Below 2^53 (at most 15 digits is always below) nothing wraps.
  if (s.length <= 15) return Number(s);
  return Number(BigInt(s) % FLOAT64_MANTISSA);
}

/** Returns the lines of `text` without the empty one after a final newline. */
export function splitLines(text: string): string[] {
  const lines = text.split('\n');
  if (lines.length > 0 && lines[lines.length - 1] === '') lines.pop();
  return lines;
}

/**
 * Returns `s` as Go's strconv.ParseUint(s, 0, 64) reads it (base from the prefix: 0x hex,
 * 0o or a leading 0 octal, 0b binary, else decimal; underscores only after a prefix), or NaN.
 *   "42" → 42, "0x1f" → 31, "010" → 8, "N/A (no PMA)" → NaN
 */
export function uintBase0OrNaN(s: string): number {
  if (isUintText(s) && s.charCodeAt(0) !== 48) return uintOrNaN(s);
  if (s === '0') return 0;
  let base: bigint;
  let digits: string;
  const p = s.slice(0, 2).toLowerCase();
  if (p === '0x' || p === '0o' || p === '0b') {
    digits = s.slice(2).replace(/_/g, '');
    base = p === '0x' ? 16n : p === '0o' ? 8n : 2n;
    if (digits === '' || s.endsWith('_') || s.includes('__')) return NaN;
  } else if (s.charCodeAt(0) === 48) {
    digits = s.slice(1);
    base = 8n;
    if (digits.startsWith('_')) digits = digits.slice(1);
    if (digits === '' || s.endsWith('_') || s.includes('__')) return NaN;
    digits = digits.replace(/_/g, '');
  } else return NaN;
  const valid = base === 16n ? /^[0-9a-fA-F]+$/ : base === 8n ? /^[0-7]+$/ : /^[01]+$/;
  if (!valid.test(digits)) return NaN;
  let v = 0n;
  for (const ch of digits) v = v * base + BigInt(parseInt(ch, 16));
  return v > 0xffffffffffffffffn ? NaN : Number(v);
}


/**
 * Returns `s` as Go's strconv.ParseInt(s, 0, 64) reads it (optional sign, then a base-0
 * unsigned as uintBase0OrNaN), or NaN outside int64.
 *   "0x1303" → 4867, "-1" → -1, "" → NaN
 */
export function intBase0OrNaN(s: string): number {
  const c = s.charCodeAt(0);
  const neg = c === 45;
  const u = uintBase0OrNaN(neg || c === 43 ? s.slice(1) : s);
  if (Number.isNaN(u)) return NaN;
  if (neg) return u > 9223372036854775808 ? NaN : -u;
  return u > 9223372036854775807 ? NaN : u;
}

const FLOAT_RE = /^[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?$/;
const SPECIAL_FLOAT_RE = /^[+-]?(inf|infinity|nan)$/i;

/**
 * Returns `s` as Go's strconv.ParseFloat(s, 64) reads decimal input (integers, decimals,
 * exponents, Inf, NaN), or undefined when it is not a number. Hex floats and digit
 * underscores, which the kernel never writes, are rejected.
 */
export function goFloatOrUndefined(s: string): number | undefined {
  if (isIntText(s)) return Number(s);
  if (FLOAT_RE.test(s)) return Number(s);
  if (SPECIAL_FLOAT_RE.test(s)) {
    const neg = s.startsWith('-');
    return /nan/i.test(s) ? NaN : neg ? -Infinity : Infinity;
  }
  return undefined;
}
