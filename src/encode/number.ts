/**
 * Returns `v` as Go's strconv.FormatFloat(v, 'g', -1, 64) prints it, which is what
 * client_golang writes: shortest round-trip digits, exponent form when the decimal
 * exponent is < -4 or >= 6 (the shortest form uses precision 6 for that test).
 *   1234 → "1234", 16658055168 → "1.6658055168e+10", 1e-5 → "1e-05", NaN → "NaN"
 */
export function formatValue(v: number): string {
  if (Number.isInteger(v) && v > -1e6 && v < 1e6) return v === 0 && 1 / v < 0 ? '-0' : String(v);
  if (Number.isNaN(v)) return 'NaN';
  if (v === Infinity) return '+Inf';
  if (v === -Infinity) return '-Inf';
  const e = v.toExponential(); // shortest digits, e.g. "1.6658055168e+10"
  const at = e.indexOf('e');
  const exp = Number(e.slice(at + 1));
  if (exp < -4 || exp >= 6) {
    const sign = exp < 0 ? '-' : '+';
    const abs = exp < 0 ? -exp : exp;
    return `${e.slice(0, at)}e${sign}${abs < 10 ? '0' : ''}${abs}`;
  }
  // In [-4, 6) JavaScript prints plain decimals with the same shortest digits.
  return String(v);
}
