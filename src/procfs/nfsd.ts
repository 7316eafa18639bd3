import { NFS_V2_PROCS, NFS_V3_PROCS, parseProcLine, parseRpcLine, parseRpcNetwork, rpcLineError, type ProcCounts, type RpcNetwork } from './nfs';
import { splitLines } from './fields';

/** NFSv4 server operation names, in the order of a `proc4ops` line (procfs' field names). */
export const NFSD_V4_OPS = [
  'Op0Unused', 'Op1Unused', 'Op2Future', 'Access', 'Close', 'Commit', 'Create', 'DelegPurge', 'DelegReturn', 'GetAttr',
  'GetFH', 'Link', 'Lock', 'Lockt', 'Locku', 'Lookup', 'LookupRoot', 'Nverify', 'Open', 'OpenAttr', 'OpenConfirm',
  'OpenDgrd', 'PutFH', 'PutPubFH', 'PutRootFH', 'Read', 'ReadDir', 'ReadLink', 'Remove', 'Rename', 'Renew', 'RestoreFH',
  'SaveFH', 'SecInfo', 'SetAttr', 'SetClientID', 'SetClientIDConfirm', 'Verify', 'Write', 'RelLockOwner',
] as const;

/** /proc/net/rpc/nfsd: the NFS server's statistics; absent lines read as zeros. */
export interface NfsdStats {
  readonly replyCache: { readonly hits: number; readonly misses: number; readonly noCache: number };
  readonly fileHandles: { readonly stale: number };
  readonly io: { readonly read: number; readonly write: number };
  readonly threads: number;
  readonly readAhead: { readonly cacheSize: number; readonly notFound: number };
  readonly network: RpcNetwork;
  readonly rpc: { readonly rpcCount: number; readonly badFmt: number; readonly badAuth: number; readonly badClnt: number };
  readonly v2: ProcCounts;
  readonly v3: ProcCounts;
  readonly v4Ops: ProcCounts;
  readonly wdelegGetattr: number;
}

const zeros = (names: readonly string[]): ProcCounts => Object.fromEntries(names.map((n) => [n, 0]));

/**
 * Returns the NFS server statistics of /proc/net/rpc/nfsd:
 *   "rc 0 6 18622" "fh 0 0 0 0 0" "io 157286400 72864" "th 8 0 0.000 …" "ra 32 0 … 0"
 *   "net 972 55 917 1" "rpc 18628 3 1 2 0" "proc2 18 …" "proc3 22 …" "proc4 2 2 10853"
 *   "proc4ops 72 …" "wdeleg_getattr 15"
 * Throws RXP_PROC_PARSE quoting the line on an unknown key, a line of the wrong length or
 * a non-number, as procfs does.
 */
export function parseNfsdStats(text: string): NfsdStats {
  const F = 'net/rpc/nfsd';
  let replyCache = { hits: 0, misses: 0, noCache: 0 };
  let fileHandles = { stale: 0 };
  let io = { read: 0, write: 0 };
  let threads = 0;
  let readAhead = { cacheSize: 0, notFound: 0 };
  let network: RpcNetwork = { netCount: 0, udpCount: 0, tcpCount: 0, tcpConnect: 0 };
  let rpc = { rpcCount: 0, badFmt: 0, badAuth: 0, badClnt: 0 };
  let v2 = zeros(NFS_V2_PROCS);
  let v3 = zeros(NFS_V3_PROCS);
  let v4Ops = zeros(NFSD_V4_OPS);
  let wdelegGetattr = 0;
  for (const line of splitLines(text)) {
    // The th line ends in floating-point histogram buckets; only the first two values count.
    const isTh = line.startsWith('th ') || line.startsWith('th\t');
    const { key, values: v } = parseRpcLine(F, line, isTh ? 2 : undefined);
    const need = (n: number) => {
      if (v.length !== n) throw rpcLineError(F, `invalid ${key} line`, line);
    };
    switch (key) {
      case 'rc':
        need(3);
        replyCache = { hits: v[0], misses: v[1], noCache: v[2] };
        break;
      case 'fh':
        need(5);
        fileHandles = { stale: v[0] };
        break;
      case 'io':
        need(2);
        io = { read: v[0], write: v[1] };
        break;
      case 'th':
        need(2);
        threads = v[0];
        break;
      case 'ra':
        need(12);
        readAhead = { cacheSize: v[0], notFound: v[11] };
        break;
      case 'net':
        network = parseRpcNetwork(F, line, v);
        break;
      case 'rpc':
        need(5);
        rpc = { rpcCount: v[0], badFmt: v[2], badAuth: v[3], badClnt: v[4] };
        break;
      case 'proc2':
        v2 = parseProcLine(F, line, v, NFS_V2_PROCS, 18);
        break;
      case 'proc3':
        v3 = parseProcLine(F, line, v, NFS_V3_PROCS, 22);
        break;
      case 'proc4':
        parseProcLine(F, line, v, ['Null', 'Compound'], 2, true);
        break;
      case 'proc4ops':
        v4Ops = parseProcLine(F, line, v, NFSD_V4_OPS, 39);
        break;
      case 'wdeleg_getattr':
        wdelegGetattr = v[0];
        break;
      default:
        throw rpcLineError(F, 'unknown line', line);
    }
  }
  return { replyCache, fileHandles, io, threads, readAhead, network, rpc, v2, v3, v4Ops, wdelegGetattr };
}
