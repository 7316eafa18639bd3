import { defer, from, Observable } from 'rxjs';
import { counter, type MetricFamily, type Sample } from '../model/family';
import { NFS_V2_PROCS, NFS_V3_PROCS, NFS_V4_CLIENT_PROCS, parseNfsClientStats, type NfsClientStats } from '../procfs/nfs';
import { readProcText } from '../procfs/read';
import { orNoData } from './networkFilters';
import { simpleDefinition, type Collector } from './types';

const one = (value: number): Sample[] => [{ labels: {}, value }];

/** Returns node_exporter's node_nfs_* families for the NFS client statistics. */
export function nfsFamilies(s: NfsClientStats): MetricFamily[] {
  const requests: Sample[] = [];
  const add = (proto: string, names: readonly string[], counts: Readonly<Record<string, number>>) => {
    for (const method of names) requests.push({ labels: { proto, method }, value: counts[method] });
  };
  add('2', NFS_V2_PROCS, s.v2);
  add('3', NFS_V3_PROCS, s.v3);
  add('4', NFS_V4_CLIENT_PROCS, s.v4);
  return [
    counter('node_nfs_packets_total', 'Total NFSd network packets (sent+received) by protocol type.', [
      { labels: { protocol: 'udp' }, value: s.network.udpCount },
      { labels: { protocol: 'tcp' }, value: s.network.tcpCount },
    ]),
    counter('node_nfs_connections_total', 'Total number of NFSd TCP connections.', one(s.network.tcpConnect)),
    counter('node_nfs_rpcs_total', 'Total number of RPCs performed.', one(s.rpc.rpcCount)),
    counter('node_nfs_rpc_retransmissions_total', 'Number of RPC transmissions performed.', one(s.rpc.retransmissions)),
    counter('node_nfs_rpc_authentication_refreshes_total', 'Number of RPC authentication refreshes performed.', one(s.rpc.authRefreshes)),
    counter('node_nfs_requests_total', 'Number of NFS procedures invoked.', requests),
  ];
}

/**
 * The nfs collector: NFS client RPC statistics from <procfs>/net/rpc/nfs. Without that
 * file (no NFS client module) the cycle reports RXP_NO_DATA, as node_exporter reports
 * no data (success 0).
 */
export const nfs: Collector = {
  name: 'nfs',
  defaultEnabled: true,
  collect: (ctx): Observable<MetricFamily> =>
    defer(() => from(nfsFamilies(parseNfsClientStats(orNoData(() => readProcText(ctx.procPath, 'net/rpc/nfs'), 'Not collecting NFS metrics: net/rpc/nfs does not exist'))))),
};

/** The nfs collector's registration (on by default, as in node_exporter). */
export const nfsDefinition = simpleDefinition(nfs);
