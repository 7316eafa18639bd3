import { RxporterError } from '../errors';
import { hexOrNaN, splitFields, splitLines, uintOrNaN } from './fields';

/** Totals of /proc/net/ip_vs_stats. */
export interface IpvsStats {
  readonly connections: number;
  readonly incomingPackets: number;
  readonly outgoingPackets: number;
  readonly incomingBytes: number;
  readonly outgoingBytes: number;
}

/** One real server of /proc/net/ip_vs with its virtual service. */
export interface IpvsBackend {
  /** Virtual service address, "" for a firewall-mark service. */
  readonly localAddress: string;
  readonly localPort: number;
  readonly localMark: string;
  readonly remoteAddress: string;
  readonly remotePort: number;
  readonly proto: string;
  readonly weight: number;
  readonly activeConn: number;
  readonly inactConn: number;
}

const bad = (file: string, what: string, line: string) => new RxporterError('RXP_PROC_PARSE', `${file}: ${what}: ${JSON.stringify(line)}`);

/**
 * Returns the totals of ip_vs_stats: its third line holds five hexadecimal counters.
 *   " 16AA370 E33656E5        0     51D8C8883AB3                0"
 * Throws RXP_PROC_PARSE when the file is shorter or the line is not five hex numbers.
 */
export function parseIpvsStats(text: string): IpvsStats {
  const lines = text.split('\n');
  if (lines.length < 4) throw bad('net/ip_vs_stats', 'too short', text);
  const f = splitFields(lines[2]);
  const v = f.map(hexOrNaN);
  if (f.length !== 5 || v.some(Number.isNaN)) throw bad('net/ip_vs_stats', 'invalid counters', lines[2]);
  return { connections: v[0], incomingPackets: v[1], outgoingPackets: v[2], incomingBytes: v[3], outgoingBytes: v[4] };
}

/**
 * Returns an IPv6 address (8 groups of 16 bits) in Go's net.IP.String() form: an
 * IPv4-mapped address dotted, otherwise lower-case groups with the longest run (≥ 2) of
 * zero groups, the first on a tie, written "::".
 */
export function formatIpv6(groups: readonly number[]): string {
  const mapped = groups.slice(0, 5).every((g) => g === 0) && groups[5] === 0xffff;
  if (mapped) return `${groups[6] >> 8}.${groups[6] & 255}.${groups[7] >> 8}.${groups[7] & 255}`;
  let best = -1;
  let bestLen = 0;
  for (let i = 0; i < 8; ) {
    if (groups[i] !== 0) {
      i++;
      continue;
    }
    let j = i;
    while (j < 8 && groups[j] === 0) j++;
    if (j - i > bestLen && j - i >= 2) {
      best = i;
      bestLen = j - i;
    }
    i = j;
  }
  const hex = (a: number, b: number) => groups.slice(a, b).map((g) => g.toString(16)).join(':');
  if (best < 0) return hex(0, 8);
  return `${hex(0, best)}::${hex(best + bestLen, 8)}`;
}

/** Returns the address and port of "C0A80016:0CEA" (IPv4, hex) or "[2620:0:…:1]:0050" (IPv6). */
export function parseIpvsAddress(s: string, line: string): { address: string; port: number } {
  let address: string;
  if (s.length === 13 && s[8] === ':') {
    const b = [0, 2, 4, 6].map((i) => hexOrNaN(s.slice(i, i + 2)));
    if (b.some(Number.isNaN)) throw bad('net/ip_vs', 'invalid address', line);
    address = b.join('.');
  } else if (s.length === 46 && s[0] === '[' && s[40] === ']') {
    const parts = s.slice(1, 40).split(':');
    const g = parts.map((p) => (p.length >= 1 && p.length <= 4 ? hexOrNaN(p) : NaN));
    if (g.length !== 8 || g.some(Number.isNaN)) throw bad('net/ip_vs', 'invalid IPv6 address', line);
    address = formatIpv6(g);
  } else throw bad('net/ip_vs', 'unexpected address', line);
  const port = hexOrNaN(s.slice(-4));
  if (Number.isNaN(port) || port > 0xffff) throw bad('net/ip_vs', 'invalid port', line);
  return { address, port };
}

/**
 * Returns the real servers of /proc/net/ip_vs, each with its virtual service (a "TCP",
 * "UDP" or "FWM" line before it):
 *   "TCP  C0A80016:0CEA wlc" "  -> C0A85216:0CEA      Tunnel  100    248        2"
 * Header and short lines are skipped. Throws RXP_PROC_PARSE quoting the line on a bad
 * address or a non-numeric count.
 */
export function parseIpvsBackends(text: string): IpvsBackend[] {
  const out: IpvsBackend[] = [];
  let proto = '';
  let localMark = '';
  let localAddress = '';
  let localPort = 0;
  for (const line of splitLines(text)) {
    const f = splitFields(line);
    if (f.length < 2 || f[0] === 'IP' || f[0] === 'Prot' || f[1] === 'RemoteAddress:Port') continue;
    if (f[0] === 'TCP' || f[0] === 'UDP') {
      proto = f[0];
      localMark = '';
      ({ address: localAddress, port: localPort } = parseIpvsAddress(f[1], line));
    } else if (f[0] === 'FWM') {
      proto = f[0];
      localMark = f[1];
      localAddress = '';
      localPort = 0;
    } else if (f[0] === '->') {
      if (f.length < 6) continue;
      const remote = parseIpvsAddress(f[1], line);
      const [weight, activeConn, inactConn] = [f[3], f[4], f[5]].map(uintOrNaN);
      if ([weight, activeConn, inactConn].some(Number.isNaN)) throw bad('net/ip_vs', 'invalid count', line);
      out.push({ localAddress, localPort, localMark, remoteAddress: remote.address, remotePort: remote.port, proto, weight, activeConn, inactConn });
    }
  }
  return out;
}
