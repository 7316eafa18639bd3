import { RxporterError } from '../errors';

/** One /proc/meminfo field, named as node_exporter names it. */
export interface MeminfoField {
  /** e.g. `MemTotal_bytes`, `Active_anon_bytes`, `HugePages_Total`. */
  readonly key: string;
  readonly value: number;
}

/**
 * Returns the fields of /proc/meminfo with node_exporter's names and units:
 * `(x)` becomes `_x`, a `kB` value is multiplied by 1024 and its key gains `_bytes`.
 *   "Active(anon):     12345 kB" → { key: 'Active_anon_bytes', value: 12641280 }
 *   "HugePages_Total:      0"    → { key: 'HugePages_Total', value: 0 }
 * Throws RXP_PROC_PARSE quoting the line for a malformed line or a non-number,
 * and for a file without any field (empty or truncated before the first line).
 */
export function parseMeminfo(text: string): MeminfoField[] {
  const out: MeminfoField[] = [];
  let start = 0;
  while (start < text.length) {
    let end = text.indexOf('\n', start);
    if (end < 0) end = text.length;
    const line = text.slice(start, end);
    start = end + 1;
    if (line.trim() === '') continue;
    const parts = line.split(/\s+/).filter((p) => p !== '');
    const colon = parts[0].endsWith(':');
    if (!colon || parts.length < 2 || parts.length > 3 || (parts.length === 3 && parts[2] !== 'kB')) {
      throw new RxporterError('RXP_PROC_PARSE', `meminfo: invalid line: ${JSON.stringify(line)}`);
    }
    let value = Number(parts[1]);
    if (!/^\d+$/.test(parts[1]) || !Number.isFinite(value)) {
      throw new RxporterError('RXP_PROC_PARSE', `meminfo: invalid value in line: ${JSON.stringify(line)}`);
    }
    let key = parts[0].slice(0, -1);
    const open = key.indexOf('(');
    if (open >= 0 && key.endsWith(')')) key = `${key.slice(0, open)}_${key.slice(open + 1, -1)}`;
    if (parts.length === 3) {
      value *= 1024;
      key += '_bytes';
    }
    out.push({ key, value });
  }
  if (out.length === 0) throw new RxporterError('RXP_PROC_PARSE', 'meminfo: no fields (empty file)');
  return out;
}
