import { defer, from, Observable } from 'rxjs';
import type { MetricFamily } from '../model/family';
import { hostPageSize } from '../procfs/pageSize';
import { readProcText } from '../procfs/read';
import { parseSockstat, type Sockstat } from '../procfs/sockstat';
import { isMissing } from '../sysfs/read';
import { simpleDefinition, type Collector, type CollectorContext } from './types';

/** Keys node_exporter exports per protocol, in its order ("inuse" always, the others when present). */
const KEYS = ['inuse', 'orphan', 'tw', 'alloc', 'mem', 'memory'] as const;

/** Returns node_exporter's node_sockstat_* gauges for IPv4 and IPv6 statistics (either may be absent). */
export function sockstatFamilies(v4: Sockstat | undefined, v6: Sockstat | undefined, pageSize: number): MetricFamily[] {
  const out: MetricFamily[] = [];
  const add = (name: string, help: string, value: number) => out.push({ name, help, type: 'gauge', samples: [{ labels: {}, value }] });
  if (v4?.used !== undefined) add('node_sockstat_sockets_used', 'Number of IPv4 sockets in use.', v4.used);
  for (const s of [v4, v6]) {
    for (const p of s?.protocols ?? []) {
      const pairs: [string, number | undefined][] = KEYS.map((k) => [k, k === 'inuse' ? (p.values.get(k) ?? 0) : p.values.get(k)]);
      const mem = p.values.get('mem');
      if (mem !== undefined) pairs.push(['mem_bytes', mem * pageSize]);
      for (const [k, v] of pairs) {
        if (v !== undefined) add(`node_sockstat_${p.protocol}_${k}`, `Number of ${p.protocol} sockets in state ${k}.`, v);
      }
    }
  }
  return out;
}

const optional = (ctx: CollectorContext, rel: string): Sockstat | undefined => {
  try {
    return parseSockstat(readProcText(ctx.procPath, rel), rel);
  } catch (e) {
    if (!isMissing(e)) throw e;
    ctx.log.debug('sockstat statistics not found, skipping', { collector: 'sockstat', file: rel });
    return undefined;
  }
};

/**
 * Returns the sockstat collector: <procfs>/net/sockstat and sockstat6 (each may be absent
 * when IPv4 or IPv6 is off); memory pages become bytes with `pageSize()` (this machine's).
 */
export const createSockstatCollector = (pageSize: () => number = hostPageSize): Collector => ({
  name: 'sockstat',
  defaultEnabled: true,
  collect: (ctx): Observable<MetricFamily> =>
    defer(() => from(sockstatFamilies(optional(ctx, 'net/sockstat'), optional(ctx, 'net/sockstat6'), pageSize()))),
});

/** The sockstat collector with this machine's page size. */
export const sockstat = createSockstatCollector();

/** The sockstat collector's registration (on by default, as in node_exporter). */
export const sockstatDefinition = simpleDefinition(sockstat);
