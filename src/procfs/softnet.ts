import { RxporterError } from '../errors';
import { hexOrNaN, splitFields, splitLines } from './fields';

/** One CPU line of /proc/net/softnet_stat. */
export interface SoftnetStat {
  readonly index: number;
  readonly processed: number;
  readonly dropped: number;
  readonly timeSqueezed: number;
  readonly cpuCollision: number;
  readonly receivedRps: number;
  readonly flowLimitCount: number;
  readonly backlogLen: number;
}

/**
 * Returns the per-CPU lines of /proc/net/softnet_stat (hexadecimal 32-bit columns; the
 * 10th, 11th and 12th–13th appeared in Linux 2.6.39, 4.18 and 5.14; before 5.14 the CPU
 * index is the line number).
 *   "00049279 00000000 00000001 00000000 00000000 00000000 00000000 00000000 00000000 00000000 00000000"
 * Throws RXP_PROC_PARSE quoting the line when it has fewer than 9 columns or a column used
 * is not a 32-bit hex number.
 */
export function parseSoftnet(text: string): SoftnetStat[] {
  const out: SoftnetStat[] = [];
  splitLines(text).forEach((line, i) => {
    const c = splitFields(line);
    const hex = (k: number): number => {
      const v = hexOrNaN(c[k]);
      if (Number.isNaN(v) || v > 0xffffffff) throw new RxporterError('RXP_PROC_PARSE', `net/softnet_stat: invalid value in line: ${JSON.stringify(line)}`);
      return v;
    };
    if (c.length < 9) throw new RxporterError('RXP_PROC_PARSE', `net/softnet_stat: ${c.length} columns, at least 9 expected: ${JSON.stringify(line)}`);
    for (let k = 0; k < 9; k++) hex(k);
    out.push({
      processed: hex(0),
      dropped: hex(1),
      timeSqueezed: hex(2),
      cpuCollision: hex(8),
      receivedRps: c.length >= 10 ? hex(9) : 0,
      flowLimitCount: c.length >= 11 ? hex(10) : 0,
      backlogLen: c.length >= 13 ? hex(11) : 0,
      index: c.length >= 13 ? hex(12) : i,
    });
  });
  return out;
}
