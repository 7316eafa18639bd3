import { RxporterError } from '../errors';
import { intBase0OrNaN, splitLines } from './fields';

/** One protocol line of sockstat: "TCP: inuse 4 orphan 0 tw 4 alloc 17 mem 1". */
export interface SockstatProtocol {
  readonly protocol: string;
  /** Values by key, in the file's order. */
  readonly values: ReadonlyMap<string, number>;
}

/** /proc/net/sockstat or sockstat6: the "sockets: used N" count (IPv4 only) and per-protocol values. */
export interface Sockstat {
  readonly used?: number;
  readonly protocols: readonly SockstatProtocol[];
}

/**
 * Returns a sockstat file: each line a protocol with a colon, then key/value pairs.
 *   "sockets: used 229" "TCP: inuse 4 orphan 0 tw 4 alloc 17 mem 1"
 * Throws RXP_PROC_PARSE quoting the line when it has no pair, an odd number of fields or
 * a value that is not an integer.
 */
export function parseSockstat(text: string, file = 'net/sockstat'): Sockstat {
  let used: number | undefined;
  const protocols: SockstatProtocol[] = [];
  for (const line of splitLines(text)) {
    const f = line.split(' ');
    if (f.length < 3 || (f.length - 1) % 2 !== 0) throw new RxporterError('RXP_PROC_PARSE', `${file}: malformed line: ${JSON.stringify(line)}`);
    const values = new Map<string, number>();
    for (let i = 1; i < f.length; i += 2) {
      const v = intBase0OrNaN(f[i + 1]);
      if (Number.isNaN(v)) throw new RxporterError('RXP_PROC_PARSE', `${file}: invalid value in line: ${JSON.stringify(line)}`);
      values.set(f[i], v);
    }
    const protocol = f[0].endsWith(':') ? f[0].slice(0, -1) : f[0];
    if (protocol === 'sockets') used = values.get('used') ?? 0;
    else protocols.push({ protocol, values });
  }
  return { used, protocols };
}
