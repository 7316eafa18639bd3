import { RxporterError } from '../errors';
import { isUintText, splitFields, splitLines, uintMod53 } from './fields';

/** Byte counters of an NFS mount (the `bytes:` line). */
export interface NfsBytes {
  readonly read: number;
  readonly write: number;
  readonly directRead: number;
  readonly directWrite: number;
  readonly readTotal: number;
  readonly writeTotal: number;
  readonly readPages: number;
  readonly writePages: number;
}

/** The 27 counters of the `events:` line, in the kernel's order. */
export const NFS_EVENT_FIELDS = [
  'inodeRevalidate', 'dnodeRevalidate', 'dataInvalidate', 'attributeInvalidate', 'vfsOpen', 'vfsLookup',
  'vfsAccess', 'vfsUpdatePage', 'vfsReadPage', 'vfsReadPages', 'vfsWritePage', 'vfsWritePages', 'vfsGetdents',
  'vfsSetattr', 'vfsFlush', 'vfsFsync', 'vfsLock', 'vfsFileRelease', 'congestionWait', 'truncation',
  'writeExtension', 'sillyRename', 'shortRead', 'shortWrite', 'jukeboxDelay', 'pnfsRead', 'pnfsWrite',
] as const;

/** Event counters of an NFS mount, keyed by NFS_EVENT_FIELDS. */
export type NfsEvents = Readonly<Record<(typeof NFS_EVENT_FIELDS)[number], number>>;

/** One line of the per-op section. The three times are in ms, wrapped modulo 2^53 as node_exporter does. */
export interface NfsOperation {
  readonly operation: string;
  readonly requests: number;
  readonly transmissions: number;
  readonly majorTimeouts: number;
  readonly bytesSent: number;
  readonly bytesReceived: number;
  readonly queueMs: number;
  readonly responseMs: number;
  readonly requestMs: number;
}

/** One `xprt:` line; fields a protocol or stats version lacks are 0. idleSeconds is wrapped modulo 2^53. */
export interface NfsTransport {
  readonly protocol: string;
  readonly port: number;
  readonly bind: number;
  readonly connect: number;
  readonly connectIdleTime: number;
  readonly idleSeconds: number;
  readonly sends: number;
  readonly receives: number;
  readonly badTransactionIds: number;
  readonly cumulativeActiveRequests: number;
  readonly cumulativeBacklog: number;
  readonly maximumRpcSlotsUsed: number;
  readonly cumulativeSendingQueue: number;
  readonly cumulativePendingQueue: number;
}

/** Statistics of an NFS mount. */
export interface NfsMountStats {
  readonly statVersion: string;
  readonly ageSeconds: number;
  readonly bytes: NfsBytes;
  readonly events: NfsEvents;
  readonly operations: readonly NfsOperation[];
  readonly transports: readonly NfsTransport[];
}

/** One `device … mounted on … with fstype …` entry; `nfs` set when it carries statistics. */
export interface MountStatsEntry {
  readonly device: string;
  readonly mountPoint: string;
  readonly fsType: string;
  readonly nfs?: NfsMountStats;
}

const bad = (what: string, line: string): RxporterError =>
  new RxporterError('RXP_PROC_PARSE', `mountstats: ${what}: ${JSON.stringify(line)}`);

const ZERO_BYTES: NfsBytes = { read: 0, write: 0, directRead: 0, directWrite: 0, readTotal: 0, writeTotal: 0, readPages: 0, writePages: 0 };
const ZERO_EVENTS = Object.fromEntries(NFS_EVENT_FIELDS.map((k) => [k, 0])) as NfsEvents;

function uints(ss: readonly string[], line: string): number[] {
  const out = new Array<number>(ss.length);
  for (let i = 0; i < ss.length; i++) {
    if (!isUintText(ss[i])) throw bad('invalid number', line);
    out[i] = Number(ss[i]);
  }
  return out;
}

/** Expected number of values after the protocol on an `xprt:` line (rdma: at least). */
function transportLength(version: string, protocol: string): number | undefined {
  if (version === '1.0') return protocol === 'tcp' ? 10 : protocol === 'udp' ? 7 : undefined;
  if (version === '1.1') return protocol === 'tcp' ? 13 : protocol === 'udp' ? 10 : protocol === 'rdma' ? 20 : undefined;
  return undefined;
}

/** Returns one `xprt:` line (fields after "xprt:") as transport statistics. */
export function parseNfsTransport(ss: readonly string[], version: string, line: string): NfsTransport {
  const protocol = ss[0];
  const raw = ss.slice(1);
  const want = transportLength(version, protocol);
  if (want === undefined) throw bad(`unknown transport ${protocol} for stats version ${version}`, line);
  if (protocol === 'rdma' ? raw.length < want : raw.length !== want) throw bad('invalid transport statistics', line);
  for (const s of raw) if (!isUintText(s)) throw bad('invalid number', line);
  // udp lacks connect, connect idle time and idle time (3rd to 5th); rdma has no queue counters.
  const v: string[] = protocol === 'udp' ? [raw[0], raw[1], '0', '0', '0', ...raw.slice(2)] : raw;
  const at = (i: number) => (i < v.length && !(protocol === 'rdma' && i >= 10) ? Number(v[i]) : 0);
  return {
    protocol,
    port: at(0),
    bind: at(1),
    connect: at(2),
    connectIdleTime: at(3),
    idleSeconds: v.length > 4 ? uintMod53(v[4]) : 0,
    sends: at(5),
    receives: at(6),
    badTransactionIds: at(7),
    cumulativeActiveRequests: at(8),
    cumulativeBacklog: at(9),
    maximumRpcSlotsUsed: at(10),
    cumulativeSendingQueue: at(11),
    cumulativePendingQueue: at(12),
  };
}

function parseOperation(ss: readonly string[], line: string): NfsOperation {
  if (ss.length < 9) throw bad('invalid per-op statistics', line);
  const rest = ss.slice(1);
  const n = uints(rest, line);
  const name = ss[0];
  return {
    operation: name.endsWith(':') ? name.slice(0, -1) : name,
    requests: n[0],
    transmissions: n[1],
    majorTimeouts: n[2],
    bytesSent: n[3],
    bytesReceived: n[4],
    queueMs: uintMod53(rest[5]),
    responseMs: uintMod53(rest[6]),
    requestMs: uintMod53(rest[7]),
  };
}

/**
 * Returns the mounts of a /proc/<pid>/mountstats file, with NFS statistics for NFS mounts:
 *   "device 192.168.1.1:/srv mounted on /mnt with fstype nfs4 statvers=1.1"
 *   "\tage:\t13968" … "\tper-op statistics" "\t  READ: 1298 1298 0 207680 …" ""
 * Throws RXP_PROC_PARSE quoting the line on a malformed device line, statistics on a
 * mount that is not nfs/nfs4, or a statistics line of the wrong length or not numeric.
 */
export function parseMountStats(text: string): MountStatsEntry[] {
  const lines = splitLines(text);
  const out: MountStatsEntry[] = [];
  let i = 0;
  while (i < lines.length) {
    const line = lines[i++];
    const ss = splitFields(line);
    if (ss.length === 0 || ss[0] !== 'device') continue;
    if (ss.length < 8 || ss[2] !== 'mounted' || ss[3] !== 'on' || ss[5] !== 'with' || ss[6] !== 'fstype') {
      throw bad('invalid device line', line);
    }
    const entry = { device: ss[1], mountPoint: ss[4], fsType: ss[7] };
    if (ss.length === 8) {
      out.push(entry);
      continue;
    }
    if (entry.fsType !== 'nfs' && entry.fsType !== 'nfs4') throw bad(`statistics for fstype ${entry.fsType}`, line);
    const statVersion = ss[8].startsWith('statvers=') ? ss[8].slice(9) : ss[8];
    let ageSeconds = 0;
    let bytes = ZERO_BYTES;
    let events = ZERO_EVENTS;
    const transports: NfsTransport[] = [];
    const operations: NfsOperation[] = [];
    let perOp = false;
    for (; i < lines.length; i++) {
      const l = lines[i];
      const f = splitFields(l);
      if (f.length === 0) break;
      if (f[0] === 'per-op') {
        perOp = true;
        i++;
        break;
      }
      switch (f[0]) {
        case 'age:': {
          if (f.length < 2 || !/^\d+(\.\d+)?$/.test(f[1])) throw bad('invalid age', l);
          ageSeconds = Number(f[1]);
          break;
        }
        case 'bytes:': {
          if (f.length !== 9) throw bad('invalid bytes statistics', l);
          const n = uints(f.slice(1), l);
          bytes = { read: n[0], write: n[1], directRead: n[2], directWrite: n[3], readTotal: n[4], writeTotal: n[5], readPages: n[6], writePages: n[7] };
          break;
        }
        case 'events:': {
          if (f.length !== NFS_EVENT_FIELDS.length + 1) throw bad('invalid events statistics', l);
          const n = uints(f.slice(1), l);
          events = Object.fromEntries(NFS_EVENT_FIELDS.map((k, j) => [k, n[j]])) as NfsEvents;
          break;
        }
        case 'xprt:': {
          if (f.length < 3) throw bad('invalid transport statistics', l);
          transports.push(parseNfsTransport(f.slice(1), statVersion, l));
          break;
        }
        default: // opts:, caps:, sec:, nfsv4:, RPC iostats … carry nothing we export
      }
    }
    if (perOp) {
      for (; i < lines.length; i++) {
        const f = splitFields(lines[i]);
        if (f.length === 0) break;
        operations.push(parseOperation(f, lines[i]));
      }
    }
    out.push({ ...entry, nfs: { statVersion, ageSeconds, bytes, events, operations, transports } });
  }
  return out;
}
