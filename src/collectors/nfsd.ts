import { defer, from, Observable } from 'rxjs';
import { counter, gauge, type MetricFamily, type Sample } from '../model/family';
import { parseNfsdStats, type NfsdStats } from '../procfs/nfsd';
import { readProcText } from '../procfs/read';
import { orNoData } from './networkFilters';
import { simpleDefinition, type Collector } from './types';

const one = (value: number): Sample[] => [{ labels: {}, value }];

/** Methods node_exporter exports per protocol, in its order (NFSv2's Null is left out, as upstream does). */
const V2 = ['GetAttr', 'SetAttr', 'Root', 'Lookup', 'ReadLink', 'Read', 'WrCache', 'Write', 'Create', 'Remove', 'Rename', 'Link', 'SymLink', 'MkDir', 'RmDir', 'ReadDir', 'FsStat'];
const V3 = ['GetAttr', 'SetAttr', 'Lookup', 'Access', 'ReadLink', 'Read', 'Write', 'Create', 'MkDir', 'SymLink', 'MkNod', 'Remove', 'RmDir', 'Rename', 'Link', 'ReadDir', 'ReadDirPlus', 'FsStat', 'FsInfo', 'PathConf', 'Commit'];
const V4 = [
  'Access', 'Close', 'Commit', 'Create', 'DelegPurge', 'DelegReturn', 'GetAttr', 'GetFH', 'Link', 'Lock', 'Lockt', 'Locku', 'Lookup',
  'LookupRoot', 'Nverify', 'Open', 'OpenAttr', 'OpenConfirm', 'OpenDgrd', 'PutFH', 'Read', 'ReadDir', 'ReadLink', 'Remove', 'Rename',
  'Renew', 'RestoreFH', 'SaveFH', 'SecInfo', 'SetAttr', 'SetClientID', 'SetClientIDConfirm', 'Verify', 'Write', 'RelLockOwner',
];

/** Returns node_exporter's node_nfsd_* families for the NFS server statistics. */
export function nfsdFamilies(s: NfsdStats): MetricFamily[] {
  const requests: Sample[] = [];
  const add = (proto: string, names: readonly string[], counts: Readonly<Record<string, number>>) => {
    for (const method of names) requests.push({ labels: { proto, method }, value: counts[method] });
  };
  add('2', V2, s.v2);
  add('3', V3, s.v3);
  add('4', V4, s.v4Ops);
  requests.push({ labels: { proto: '4', method: 'WdelegGetattr' }, value: s.wdelegGetattr });
  return [
    counter('node_nfsd_reply_cache_hits_total', 'Total number of NFSd Reply Cache hits (client lost server response).', one(s.replyCache.hits)),
    counter('node_nfsd_reply_cache_misses_total', 'Total number of NFSd Reply Cache an operation that requires caching (idempotent).', one(s.replyCache.misses)),
    counter('node_nfsd_reply_cache_nocache_total', 'Total number of NFSd Reply Cache non-idempotent operations (rename/delete/…).', one(s.replyCache.noCache)),
    counter('node_nfsd_file_handles_stale_total', 'Total number of NFSd stale file handles', one(s.fileHandles.stale)),
    counter('node_nfsd_disk_bytes_read_total', 'Total NFSd bytes read.', one(s.io.read)),
    counter('node_nfsd_disk_bytes_written_total', 'Total NFSd bytes written.', one(s.io.write)),
    gauge('node_nfsd_server_threads', 'Total number of NFSd kernel threads that are running.', one(s.threads)),
    gauge('node_nfsd_read_ahead_cache_size_blocks', 'How large the read ahead cache is in blocks.', one(s.readAhead.cacheSize)),
    counter('node_nfsd_read_ahead_cache_not_found_total', 'Total number of NFSd read ahead cache not found.', one(s.readAhead.notFound)),
    counter('node_nfsd_packets_total', 'Total NFSd network packets (sent+received) by protocol type.', [
      { labels: { proto: 'udp' }, value: s.network.udpCount },
      { labels: { proto: 'tcp' }, value: s.network.tcpCount },
    ]),
    counter('node_nfsd_connections_total', 'Total number of NFSd TCP connections.', one(s.network.tcpConnect)),
    counter('node_nfsd_rpc_errors_total', 'Total number of NFSd RPC errors by error type.', [
      { labels: { error: 'fmt' }, value: s.rpc.badFmt },
      { labels: { error: 'auth' }, value: s.rpc.badAuth },
      { labels: { error: 'cInt' }, value: s.rpc.badClnt },
    ]),
    counter('node_nfsd_server_rpcs_total', 'Total number of NFSd RPCs.', one(s.rpc.rpcCount)),
    counter('node_nfsd_requests_total', 'Total number NFSd Requests by method and protocol.', requests),
  ];
}

/**
 * The nfsd collector: NFS server statistics from <procfs>/net/rpc/nfsd. Without that
 * file (no NFS server) the cycle reports RXP_NO_DATA, as node_exporter reports no data
 * (success 0).
 */
export const nfsd: Collector = {
  name: 'nfsd',
  defaultEnabled: true,
  collect: (ctx): Observable<MetricFamily> =>
    defer(() => from(nfsdFamilies(parseNfsdStats(orNoData(() => readProcText(ctx.procPath, 'net/rpc/nfsd'), 'Not collecting NFSd metrics: net/rpc/nfsd does not exist'))))),
};

/** The nfsd collector's registration (on by default, as in node_exporter). */
export const nfsdDefinition = simpleDefinition(nfsd);
