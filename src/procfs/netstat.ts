import { RxporterError } from '../errors';
import { goFloatOrUndefined, splitFields, splitLines } from './fields';

/** Counters of one protocol: field name → value. */
export type ProtocolStats = Map<string, number>;

const bad = (file: string, what: string, line: string) => new RxporterError('RXP_PROC_PARSE', `${file}: ${what}: ${JSON.stringify(line)}`);

/**
 * Returns the counters of /proc/net/netstat or /proc/net/snmp: pairs of lines, names then
 * values, each starting with the protocol and a colon.
 *   "Tcp: RtoAlgorithm RtoMin" "Tcp: 1 200" → Tcp → { RtoAlgorithm: 1, RtoMin: 200 }
 * A protocol seen twice keeps its last pair. Throws RXP_PROC_PARSE quoting the line when
 * a pair's field counts differ, a line lacks its protocol, or a value is not a number.
 */
export function parseNetstatPairs(text: string, file: string): Map<string, ProtocolStats> {
  const out = new Map<string, ProtocolStats>();
  const lines = splitLines(text);
  for (let i = 0; i < lines.length; i += 2) {
    const names = lines[i].split(' ');
    const values = (lines[i + 1] ?? '').split(' ');
    const head = names[0];
    if (head.length < 2 || !head.endsWith(':')) throw bad(file, 'invalid header line', lines[i]);
    if (names.length !== values.length) throw bad(file, 'field count mismatch', lines[i + 1] ?? '');
    const protocol = head.slice(0, -1);
    const stats: ProtocolStats = new Map();
    for (let j = 1; j < names.length; j++) {
      const v = goFloatOrUndefined(values[j]);
      if (v === undefined) throw bad(file, `invalid value ${JSON.stringify(values[j])}`, lines[i + 1]);
      stats.set(names[j], v);
    }
    out.set(protocol, stats);
  }
  return out;
}

/**
 * Returns the counters of /proc/net/snmp6: one "Ip6InReceives  123" per line, the protocol
 * being the name up to its first "6". Lines without a value or a "6" are skipped. Throws
 * RXP_PROC_PARSE quoting the line on a value that is not a number.
 */
export function parseSnmp6(text: string): Map<string, ProtocolStats> {
  const out = new Map<string, ProtocolStats>();
  for (const line of splitLines(text)) {
    const f = splitFields(line);
    if (f.length < 2) continue;
    const six = f[0].indexOf('6');
    if (six < 0) continue;
    const protocol = f[0].slice(0, six + 1);
    const v = goFloatOrUndefined(f[1]);
    if (v === undefined) throw bad('net/snmp6', 'invalid value', line);
    let stats = out.get(protocol);
    if (!stats) out.set(protocol, (stats = new Map()));
    stats.set(f[0].slice(six + 1), v);
  }
  return out;
}
