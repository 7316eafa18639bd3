import { defer, from, Observable } from 'rxjs';
import { RxporterError } from '../errors';
import { gauge, type MetricFamily } from '../model/family';
import { parseConntrackStat, type ConntrackStatEntry } from '../procfs/conntrackStat';
import { trimSpace, uintOrNaN } from '../procfs/fields';
import { readProcText } from '../procfs/read';
import { orNoData } from './networkFilters';
import { simpleDefinition, type Collector } from './types';

const STATS: readonly [string, keyof ConntrackStatEntry, string][] = [
  ['found', 'found', 'Number of searched entries which were successful.'],
  ['invalid', 'invalid', 'Number of packets seen which can not be tracked.'],
  ['ignore', 'ignore', 'Number of packets seen which are already connected to a conntrack entry.'],
  ['insert', 'insert', 'Number of entries inserted into the list.'],
  ['insert_failed', 'insertFailed', 'Number of entries for which list insertion was attempted but failed.'],
  ['drop', 'drop', 'Number of packets dropped due to conntrack failure.'],
  ['early_drop', 'earlyDrop', 'Number of dropped conntrack entries to make room for new ones, if maximum table size was reached.'],
  ['search_restart', 'searchRestart', 'Number of conntrack table lookups which had to be restarted due to hashtable resizes.'],
];

/** Returns node_exporter's node_nf_conntrack_* gauges: entries, limit and the per-CPU statistics summed. */
export function conntrackFamilies(entries: number, limit: number, stats: readonly ConntrackStatEntry[]): MetricFamily[] {
  const one = (value: number) => [{ labels: {}, value }];
  return [
    gauge('node_nf_conntrack_entries', 'Number of currently allocated flow entries for connection tracking.', one(entries)),
    gauge('node_nf_conntrack_entries_limit', 'Maximum size of connection tracking table.', one(limit)),
    ...STATS.map(([suffix, key, help]) => gauge(`node_nf_conntrack_stat_${suffix}`, help, one(stats.reduce((s, e) => s + e[key], 0)))),
  ];
}

const readUint = (procPath: string, rel: string): number => {
  const text = trimSpace(readProcText(procPath, rel));
  const v = uintOrNaN(text);
  if (Number.isNaN(v)) throw new RxporterError('RXP_PROC_PARSE', `${rel}: not an unsigned integer: ${JSON.stringify(text)}`);
  return v;
};

/**
 * The conntrack collector: <procfs>/sys/net/netfilter/nf_conntrack_{count,max} and
 * net/stat/nf_conntrack. Without them (module not loaded) the cycle reports RXP_NO_DATA.
 */
export const conntrack: Collector = {
  name: 'conntrack',
  defaultEnabled: true,
  collect: (ctx): Observable<MetricFamily> =>
    defer(() =>
      orNoData(() => {
        const entries = readUint(ctx.procPath, 'sys/net/netfilter/nf_conntrack_count');
        const limit = readUint(ctx.procPath, 'sys/net/netfilter/nf_conntrack_max');
        const stats = parseConntrackStat(readProcText(ctx.procPath, 'net/stat/nf_conntrack'));
        return from(conntrackFamilies(entries, limit, stats));
      }, 'conntrack probably not loaded'),
    ),
};

/** The conntrack collector's registration (on by default, as in node_exporter). */
export const conntrackDefinition = simpleDefinition(conntrack);
