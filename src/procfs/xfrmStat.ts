import { RxporterError } from '../errors';
import { isIntText, splitFields, splitLines } from './fields';

/**
 * Returns the counters of /proc/net/xfrm_stat by name ("XfrmInError  1" per line).
 * Throws RXP_PROC_PARSE quoting the line when it is not a name and an integer.
 */
export function parseXfrmStat(text: string): Map<string, number> {
  const out = new Map<string, number>();
  for (const line of splitLines(text)) {
    const f = splitFields(line);
    const v = f.length === 2 && isIntText(f[1].startsWith('+') ? f[1].slice(1) : f[1]) ? Number(f[1]) : NaN;
    if (!Number.isSafeInteger(v)) throw new RxporterError('RXP_PROC_PARSE', `net/xfrm_stat: invalid line: ${JSON.stringify(line)}`);
    out.set(f[0], v);
  }
  return out;
}
