import { RxporterError } from '../errors';
import { splitFields, splitLines, trimSpace, uintOrNaN } from './fields';

/** The 16 counters of a /proc/net/dev line, in the file's order, named as node_exporter names them. */
export const NET_DEV_FIELDS = [
  'receive_bytes', 'receive_packets', 'receive_errors', 'receive_dropped', 'receive_fifo', 'receive_frame',
  'receive_compressed', 'receive_multicast', 'transmit_bytes', 'transmit_packets', 'transmit_errors',
  'transmit_dropped', 'transmit_fifo', 'transmit_colls', 'transmit_carrier', 'transmit_compressed',
] as const;

/** One interface of /proc/net/dev: its name and counters keyed by NET_DEV_FIELDS. */
export interface NetDevLine {
  readonly name: string;
  readonly stats: Record<string, number>;
}

/**
 * Returns the interfaces of /proc/net/dev, skipping its two header lines:
 *   "    lo: 1000 10 0 0 0 0 0 0 1000 10 0 0 0 0 0 0"
 * Throws RXP_PROC_PARSE quoting the line when it has no colon, an empty name, fewer
 * than 16 values or a non-number.
 */
export function parseNetDev(text: string): NetDevLine[] {
  const out: NetDevLine[] = [];
  const lines = splitLines(text);
  for (let i = 2; i < lines.length; i++) {
    const line = lines[i];
    const colon = line.lastIndexOf(':');
    const name = colon < 0 ? '' : trimSpace(line.slice(0, colon));
    const f = colon < 0 ? [] : splitFields(line.slice(colon + 1));
    if (name === '' || f.length < NET_DEV_FIELDS.length) {
      throw new RxporterError('RXP_PROC_PARSE', `net/dev: invalid line: ${JSON.stringify(line)}`);
    }
    const stats: Record<string, number> = {};
    for (let j = 0; j < NET_DEV_FIELDS.length; j++) {
      const v = uintOrNaN(f[j]);
      if (Number.isNaN(v)) throw new RxporterError('RXP_PROC_PARSE', `net/dev: invalid value in line: ${JSON.stringify(line)}`);
      stats[NET_DEV_FIELDS[j]] = v;
    }
    out.push({ name, stats });
  }
  return out;
}
