import { RxporterError } from '../errors';
import { splitFields, splitLines, uintOrNaN } from './fields';

/** NFSv2 procedure names, in the order of a `proc2` line (procfs' field names). */
export const NFS_V2_PROCS = [
  'Null', 'GetAttr', 'SetAttr', 'Root', 'Lookup', 'ReadLink', 'Read', 'WrCache', 'Write', 'Create', 'Remove', 'Rename',
  'Link', 'SymLink', 'MkDir', 'RmDir', 'ReadDir', 'FsStat',
] as const;

/** NFSv3 procedure names, in the order of a `proc3` line. */
export const NFS_V3_PROCS = [
  'Null', 'GetAttr', 'SetAttr', 'Lookup', 'Access', 'ReadLink', 'Read', 'Write', 'Create', 'MkDir', 'SymLink', 'MkNod',
  'Remove', 'RmDir', 'Rename', 'Link', 'ReadDir', 'ReadDirPlus', 'FsStat', 'FsInfo', 'PathConf', 'Commit',
] as const;

/** NFSv4 client operation names, in the order of a client `proc4` line. */
export const NFS_V4_CLIENT_PROCS = [
  'Null', 'Read', 'Write', 'Commit', 'Open', 'OpenConfirm', 'OpenNoattr', 'OpenDowngrade', 'Close', 'Setattr', 'FsInfo',
  'Renew', 'SetClientID', 'SetClientIDConfirm', 'Lock', 'Lockt', 'Locku', 'Access', 'Getattr', 'Lookup', 'LookupRoot',
  'Remove', 'Rename', 'Link', 'Symlink', 'Create', 'Pathconf', 'StatFs', 'ReadLink', 'ReadDir', 'ServerCaps',
  'DelegReturn', 'GetACL', 'SetACL', 'FsLocations', 'ReleaseLockowner', 'Secinfo', 'FsidPresent', 'ExchangeID',
  'CreateSession', 'DestroySession', 'Sequence', 'GetLeaseTime', 'ReclaimComplete', 'GetDeviceInfo', 'LayoutGet',
  'LayoutCommit', 'LayoutReturn', 'SecinfoNoName', 'TestStateID', 'FreeStateID', 'GetDeviceList', 'BindConnToSession',
  'DestroyClientID', 'Seek', 'Allocate', 'DeAllocate', 'LayoutStats', 'Clone',
] as const;

/** The `net` line: packet and connection counts. */
export interface RpcNetwork {
  readonly netCount: number;
  readonly udpCount: number;
  readonly tcpCount: number;
  readonly tcpConnect: number;
}

/** Per-procedure counters of one NFS version: name → count. */
export type ProcCounts = Readonly<Record<string, number>>;

/** /proc/net/rpc/nfs: the NFS client's RPC statistics; absent lines read as zeros. */
export interface NfsClientStats {
  readonly network: RpcNetwork;
  readonly rpc: { readonly rpcCount: number; readonly retransmissions: number; readonly authRefreshes: number };
  readonly v2: ProcCounts;
  readonly v3: ProcCounts;
  readonly v4: ProcCounts;
}

/** Returns a parse error naming the file and quoting the line. */
export const rpcLineError = (file: string, what: string, line: string): RxporterError =>
  new RxporterError('RXP_PROC_PARSE', `${file}: ${what}: ${JSON.stringify(line)}`);

/**
 * Returns the key and unsigned values of one /proc/net/rpc line ("net 70 70 69 45"),
 * `count` values only when given. Throws RXP_PROC_PARSE when it has no value or a non-number.
 */
export function parseRpcLine(file: string, line: string, count?: number): { key: string; values: number[] } {
  const f = splitFields(line);
  if (f.length < 2) throw rpcLineError(file, 'invalid line', line);
  const raw = count === undefined ? f.slice(1) : f.slice(1, 1 + count);
  const values = raw.map(uintOrNaN);
  if (values.some(Number.isNaN)) throw rpcLineError(file, 'invalid value in line', line);
  return { key: f[0], values };
}

const zeros = (names: readonly string[]): ProcCounts => Object.fromEntries(names.map((n) => [n, 0]));

/**
 * Returns the counts of a `procN` line: the first value is the number of counters that
 * follow; it must match, and be at least `min`. Missing trailing names (older kernels)
 * read as 0, extra counters are ignored.
 */
export function parseProcLine(file: string, line: string, values: readonly number[], names: readonly string[], min: number, exact = false): ProcCounts {
  const n = values[0];
  if (values.length - 1 !== n || n < min || (exact && n !== min)) throw rpcLineError(file, 'invalid procedure counts', line);
  const out: Record<string, number> = {};
  names.forEach((name, i) => {
    out[name] = i + 1 < values.length ? values[i + 1] : 0;
  });
  return out;
}

/** Returns the `net` line's counters; throws RXP_PROC_PARSE unless it has exactly four. */
export function parseRpcNetwork(file: string, line: string, v: readonly number[]): RpcNetwork {
  if (v.length !== 4) throw rpcLineError(file, 'invalid net line', line);
  return { netCount: v[0], udpCount: v[1], tcpCount: v[2], tcpConnect: v[3] };
}

/**
 * Returns the NFS client statistics of /proc/net/rpc/nfs:
 *   "net 70 70 69 45" "rpc 1218785755 374636 1218815394" "proc2 18 16 57 …" "proc3 22 …" "proc4 48 …"
 * Throws RXP_PROC_PARSE quoting the line on an unknown key, a line of the wrong length or
 * a non-number, as procfs does.
 */
export function parseNfsClientStats(text: string): NfsClientStats {
  const F = 'net/rpc/nfs';
  let network: RpcNetwork = { netCount: 0, udpCount: 0, tcpCount: 0, tcpConnect: 0 };
  let rpc = { rpcCount: 0, retransmissions: 0, authRefreshes: 0 };
  let v2 = zeros(NFS_V2_PROCS);
  let v3 = zeros(NFS_V3_PROCS);
  let v4 = zeros(NFS_V4_CLIENT_PROCS);
  for (const line of splitLines(text)) {
    const { key, values } = parseRpcLine(F, line);
    switch (key) {
      case 'net':
        network = parseRpcNetwork(F, line, values);
        break;
      case 'rpc':
        if (values.length !== 3) throw rpcLineError(F, 'invalid rpc line', line);
        rpc = { rpcCount: values[0], retransmissions: values[1], authRefreshes: values[2] };
        break;
      case 'proc2':
        v2 = parseProcLine(F, line, values, NFS_V2_PROCS, 18);
        break;
      case 'proc3':
        v3 = parseProcLine(F, line, values, NFS_V3_PROCS, 22);
        break;
      case 'proc4':
        v4 = parseProcLine(F, line, values, NFS_V4_CLIENT_PROCS, 0);
        break;
      default:
        throw rpcLineError(F, 'unknown line', line);
    }
  }
  return { network, rpc, v2, v3, v4 };
}
