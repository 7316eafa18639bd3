import { RxporterError } from '../errors';
import { fields, goFloat, scanLines } from './goStrconv';

/**
 * Returns the fields of /proc/vmstat in file order.
 *   "pgfault 2320168809" → ["pgfault", 2320168809]
 * Throws RXP_PROC_PARSE quoting a line without a numeric second field, and for an empty file.
 */
export function parseVmstat(text: string): [string, number][] {
  const out: [string, number][] = [];
  for (const line of scanLines(text)) {
    const parts = fields(line);
    const v = parts.length >= 2 ? goFloat(parts[1]) : { ok: false, value: NaN };
    if (!v.ok) throw new RxporterError('RXP_PROC_PARSE', `vmstat: invalid line ${JSON.stringify(line)}`);
    out.push([parts[0], v.value]);
  }
  if (out.length === 0) throw new RxporterError('RXP_PROC_PARSE', 'vmstat: empty file');
  return out;
}
