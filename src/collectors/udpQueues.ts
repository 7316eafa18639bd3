import { defer, from, Observable } from 'rxjs';
import { RxporterError } from '../errors';
import { gauge, type MetricFamily, type Sample } from '../model/family';
import { parseNetIpSocketSummary, type NetIpSocketSummary } from '../procfs/netIpSocket';
import { readProcText } from '../procfs/read';
import { isMissing } from '../sysfs/read';
import { simpleDefinition, type Collector, type CollectorContext } from './types';

/** Returns node_udp_queues: tx and rx queue bytes for IPv4 and IPv6 (each when its table exists). */
export function udpQueuesFamilies(v4: NetIpSocketSummary | undefined, v6: NetIpSocketSummary | undefined): MetricFamily[] {
  const samples: Sample[] = [];
  for (const [ip, s] of [['v4', v4], ['v6', v6]] as const) {
    if (!s) continue;
    samples.push({ labels: { queue: 'tx', ip }, value: s.txQueueLength }, { labels: { queue: 'rx', ip }, value: s.rxQueueLength });
  }
  return [gauge('node_udp_queues', 'Number of allocated memory in the kernel for UDP datagrams in bytes.', samples)];
}

const table = (ctx: CollectorContext, rel: string): NetIpSocketSummary | undefined => {
  try {
    return parseNetIpSocketSummary(readProcText(ctx.procPath, rel), rel, true);
  } catch (e) {
    if (!isMissing(e)) throw e;
    ctx.log.debug('not collecting metrics of an absent socket table', { collector: 'udp_queues', file: rel });
    return undefined;
  }
};

/** The udp_queues collector: <procfs>/net/udp and udp6 queue totals; RXP_NO_DATA when both are absent. */
export const udpQueues: Collector = {
  name: 'udp_queues',
  defaultEnabled: true,
  collect: (ctx): Observable<MetricFamily> =>
    defer(() => {
      const v4 = table(ctx, 'net/udp');
      const v6 = table(ctx, 'net/udp6');
      if (!v4 && !v6) throw new RxporterError('RXP_NO_DATA', 'neither net/udp nor net/udp6 exists');
      return from(udpQueuesFamilies(v4, v6));
    }),
};

/** The udp_queues collector's registration (on by default, as in node_exporter). */
export const udpQueuesDefinition = simpleDefinition(udpQueues);
