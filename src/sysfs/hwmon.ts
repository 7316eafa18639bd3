/** The sensor types node_exporter reads from an hwmon directory. */
export const HWMON_SENSOR_TYPES: ReadonlySet<string> = new Set([
  'vrm', 'beep_enable', 'update_interval', 'in', 'cpu', 'fan', 'pwm', 'temp', 'curr', 'power', 'energy', 'humidity', 'intrusion', 'freq',
]);

/** An hwmon attribute file name split as node_exporter splits it. */
export interface SensorFileName {
  readonly type: string;
  /** The sensor number, 0 when the name has none. */
  readonly num: number;
  /** What follows the first '_' after the number; '' for none. */
  readonly property: string;
}

const isDigit = (c: number) => c >= 48 && c <= 57;

/**
 * Returns an hwmon file name split into type, number and property (node_exporter's
 * `^([^0-9]+)([0-9]*)?(_(.+))?$`), or undefined when it does not have that shape.
 *   "temp1_crit_alarm" → { type: 'temp', num: 1, property: 'crit_alarm' }
 *   "beep_enable"      → { type: 'beep_enable', num: 0, property: '' }
 *   "1abc"             → undefined
 */
export function explodeSensorFilename(name: string): SensorFileName | undefined {
  let i = 0;
  while (i < name.length && !isDigit(name.charCodeAt(i))) i++;
  if (i === 0) return undefined;
  let j = i;
  while (j < name.length && isDigit(name.charCodeAt(j))) j++;
  if (j === name.length) return { type: name.slice(0, i), num: j > i ? Number(name.slice(i, j)) : 0, property: '' };
  // Without digits the greedy type took every non-digit, so what follows must be "_…".
  if (j === i || name.charCodeAt(j) !== 95 /* _ */ || j + 1 === name.length) return undefined;
  const num = Number(name.slice(i, j));
  if (!Number.isSafeInteger(num)) return undefined;
  return { type: name.slice(0, i), num, property: name.slice(j + 1) };
}

/**
 * Returns node_exporter's cleaned metric name part: lower-cased, each character outside
 * [a-z0-9:_] replaced by '_', leading and trailing '_' trimmed.
 *   "Coretemp.0\n" → "coretemp_0"
 */
export function cleanMetricName(name: string): string {
  let out = '';
  const lower = name.toLowerCase();
  for (const ch of lower) {
    const c = ch.codePointAt(0)!;
    out += (c >= 97 && c <= 122) || isDigit(c) || c === 58 || c === 95 ? ch : '_';
  }
  let s = 0;
  let e = out.length;
  while (s < e && out.charCodeAt(s) === 95) s++;
  while (e > s && out.charCodeAt(e - 1) === 95) e--;
  return out.slice(s, e);
}

/** Returns the byte length of the valid UTF-8 sequence at `i`, or 0 when it is not valid. */
function utf8Len(b: Uint8Array, i: number): number {
  const c = b[i];
  if (c < 0x80) return 1;
  const cont = (k: number, lo = 0x80, hi = 0xbf) => i + k < b.length && b[i + k] >= lo && b[i + k] <= hi;
  if (c >= 0xc2 && c <= 0xdf) return cont(1) ? 2 : 0;
  if (c === 0xe0) return cont(1, 0xa0) && cont(2) ? 3 : 0;
  if ((c >= 0xe1 && c <= 0xec) || c === 0xee || c === 0xef) return cont(1) && cont(2) ? 3 : 0;
  if (c === 0xed) return cont(1, 0x80, 0x9f) && cont(2) ? 3 : 0;
  if (c === 0xf0) return cont(1, 0x90) && cont(2) && cont(3) ? 4 : 0;
  if (c >= 0xf1 && c <= 0xf3) return cont(1) && cont(2) && cont(3) ? 4 : 0;
  if (c === 0xf4) return cont(1, 0x80, 0x8f) && cont(2) && cont(3) ? 4 : 0;
  return 0;
}

/**
 * Returns the bytes as a string with each run of invalid UTF-8 replaced by one U+FFFD,
 * as Go's strings.ToValidUTF8(s, "\uFFFD").
 */
export function toValidUtf8(b: Uint8Array): string {
  const parts: string[] = [];
  let start = 0;
  let i = 0;
  let invalid = false;
  const dec = (from: number, to: number) => Buffer.from(b.buffer, b.byteOffset + from, to - from).toString('utf8');
  while (i < b.length) {
    const n = utf8Len(b, i);
    if (n > 0) {
      i += n;
      invalid = false;
      continue;
    }
    if (start < i) parts.push(dec(start, i));
    if (!invalid) parts.push('\uFFFD');
    invalid = true;
    i++;
    start = i;
  }
  if (start < b.length) parts.push(dec(start, b.length));
  return parts.join('');
}
