import { defer, from, Observable } from 'rxjs';
import { RxporterError } from '../errors';
import { counter, gauge, type MetricFamily, type Sample } from '../model/family';
import { parseIpvsBackends, parseIpvsStats, type IpvsBackend, type IpvsStats } from '../procfs/ipvs';
import { readProcText } from '../procfs/read';
import { orNoData } from './networkFilters';
import type { Collector, CollectorDefinition } from './types';

/** Every backend label node_exporter knows, in its order. */
export const IPVS_BACKEND_LABELS = ['local_address', 'local_port', 'remote_address', 'remote_port', 'proto', 'local_mark'] as const;

/**
 * Returns the backend labels named in a comma-separated list, in node_exporter's order.
 * Throws RXP_CONFIG naming the unknown ones.
 */
export function parseIpvsLabels(list: string): string[] {
  const wanted = new Set(list.split(',').filter((l) => l !== ''));
  const out = IPVS_BACKEND_LABELS.filter((l) => wanted.delete(l));
  if (wanted.size > 0) throw new RxporterError('RXP_CONFIG', `unknown IPVS backend labels: ${JSON.stringify([...wanted].sort().join(', '))}`);
  return out;
}

const labelValue = (b: IpvsBackend, label: string): string => {
  switch (label) {
    case 'local_address':
      return b.localAddress;
    case 'local_port':
      return String(b.localPort);
    case 'remote_address':
      return b.remoteAddress;
    case 'remote_port':
      return String(b.remotePort);
    case 'proto':
      return b.proto;
    default:
      return b.localMark;
  }
};

/** Returns node_exporter's ipvs families; backends with equal label values are summed. */
export function ipvsFamilies(stats: IpvsStats, backends: readonly IpvsBackend[], labels: readonly string[]): MetricFamily[] {
  const sums = new Map<string, { labels: Record<string, string>; active: number; inact: number; weight: number }>();
  for (const b of backends) {
    const values = labels.map((l) => labelValue(b, l));
    const key = values.join('-');
    let s = sums.get(key);
    if (!s) sums.set(key, (s = { labels: Object.fromEntries(labels.map((l, i) => [l, values[i]])), active: 0, inact: 0, weight: 0 }));
    s.active += b.activeConn;
    s.inact += b.inactConn;
    s.weight += b.weight;
  }
  const per = (get: (s: { active: number; inact: number; weight: number }) => number): Sample[] =>
    [...sums.values()].map((s) => ({ labels: s.labels, value: get(s) }));
  const one = (value: number): Sample[] => [{ labels: {}, value }];
  return [
    counter('node_ipvs_connections_total', 'The total number of connections made.', one(stats.connections)),
    counter('node_ipvs_incoming_packets_total', 'The total number of incoming packets.', one(stats.incomingPackets)),
    counter('node_ipvs_outgoing_packets_total', 'The total number of outgoing packets.', one(stats.outgoingPackets)),
    counter('node_ipvs_incoming_bytes_total', 'The total amount of incoming data.', one(stats.incomingBytes)),
    counter('node_ipvs_outgoing_bytes_total', 'The total amount of outgoing data.', one(stats.outgoingBytes)),
    gauge('node_ipvs_backend_connections_active', 'The current active connections by local and remote address.', per((s) => s.active)),
    gauge('node_ipvs_backend_connections_inactive', 'The current inactive connections by local and remote address.', per((s) => s.inact)),
    gauge('node_ipvs_backend_weight', 'The current backend weight by local and remote address.', per((s) => s.weight)),
  ].filter((f) => f.samples.length > 0);
}

/**
 * Returns the ipvs collector: <procfs>/net/ip_vs_stats and net/ip_vs. Without IPVS (no
 * ip_vs_stats) the cycle reports RXP_NO_DATA, as node_exporter does.
 */
export function createIpvsCollector(backendLabels: string): Collector {
  const labels = parseIpvsLabels(backendLabels);
  return {
    name: 'ipvs',
    defaultEnabled: true,
    collect: (ctx): Observable<MetricFamily> =>
      defer(() => {
        const stats = parseIpvsStats(orNoData(() => readProcText(ctx.procPath, 'net/ip_vs_stats'), 'ipvs collector metrics are not available for this system'));
        const backends = parseIpvsBackends(readProcText(ctx.procPath, 'net/ip_vs'));
        return from(ipvsFamilies(stats, backends, labels));
      }),
  };
}

/** The ipvs collector's registration, with node_exporter's --collector.ipvs.backend-labels. */
export const ipvsDefinition: CollectorDefinition = {
  name: 'ipvs',
  defaultEnabled: true,
  options: {
    backendLabels: {
      doc: 'Comma separated list for IPVS backend stats labels.',
      format: String,
      default: IPVS_BACKEND_LABELS.join(','),
      arg: 'collector.ipvs.backend-labels',
    },
  },
  create: (o) => createIpvsCollector(String(o.backendLabels ?? IPVS_BACKEND_LABELS.join(','))),
};
