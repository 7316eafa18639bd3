import { RxporterError } from '../errors';
import { fields, goFloat } from './goStrconv';

/**
 * Returns the 1, 5 and 15 minute load averages of /proc/loadavg.
 *   "0.21 0.37 0.39 1/719 19737" → [0.21, 0.37, 0.39]
 * Throws RXP_PROC_PARSE quoting the text when it has fewer than three fields or a non-number.
 */
export function parseLoadavg(text: string): [number, number, number] {
  const f = fields(text);
  if (f.length < 3) throw new RxporterError('RXP_PROC_PARSE', `loadavg: unexpected content: ${JSON.stringify(text)}`);
  const out: number[] = [];
  for (let i = 0; i < 3; i++) {
    const v = goFloat(f[i]);
    if (!v.ok) throw new RxporterError('RXP_PROC_PARSE', `loadavg: could not parse load ${JSON.stringify(f[i])}`);
    out.push(v.value);
  }
  return out as [number, number, number];
}
