/**
 * The kernel's "no value" markers: what a procfs or sysfs file holds when the kernel has no
 * number to give, as opposed to a damaged file.
 *
 * - an empty file (or only whitespace): many drivers' show functions print nothing;
 * - a word in angle brackets: cpufreq's cpuinfo_cur_freq and scaling_cur_freq print
 *   `<unknown>` when the driver cannot read the frequency, scaling_setspeed `<unsupported>`
 *   (drivers/cpufreq/cpufreq.c), other drivers `<not supported>` and the like;
 * - text starting with `N/A` (`N/A`, `N/A (no battery)`): drivers that report an attribute
 *   they cannot measure (hwmon, power_supply and platform drivers).
 */

/**
 * Returns true when `text` (a file's whole content, surrounding whitespace ignored) is one of
 * the kernel's "no value" markers above.
 *   "<unknown>\n" → true, "" → true, "N/A" → true, "1200000" → false, "garbage" → false
 */
export function isNoValue(text: string): boolean {
  let s = 0;
  let e = text.length;
  while (s < e && isSpace(text.charCodeAt(s))) s++;
  while (e > s && isSpace(text.charCodeAt(e - 1))) e--;
  if (s === e) return true;
  if (text.charCodeAt(s) === 60 /* < */ && text.charCodeAt(e - 1) === 62 /* > */ && e - s > 2) {
    for (let i = s + 1; i < e - 1; i++) if (!isMarkerChar(text.charCodeAt(i))) return false;
    return true;
  }
  return text.startsWith('N/A', s);
}

const isSpace = (c: number): boolean => c === 32 || (c >= 9 && c <= 13);
/** Letters, blanks, "_" and "-": what the bracketed markers are written with. */
const isMarkerChar = (c: number): boolean => (c >= 97 && c <= 122) || (c >= 65 && c <= 90) || c === 32 || c === 95 || c === 45;
