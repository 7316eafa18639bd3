import { defer, from, Observable } from 'rxjs';
import type { MetricFamily } from '../model/family';
import { readProcText } from '../procfs/read';
import { parseSoftnet, type SoftnetStat } from '../procfs/softnet';
import { simpleDefinition, type Collector } from './types';

const FAMILIES: readonly [string, string, 'counter' | 'gauge', keyof SoftnetStat][] = [
  ['processed_total', 'Number of processed packets', 'counter', 'processed'],
  ['dropped_total', 'Number of dropped packets', 'counter', 'dropped'],
  ['times_squeezed_total', 'Number of times processing packets ran out of quota', 'counter', 'timeSqueezed'],
  ['cpu_collision_total', 'Number of collision occur while obtaining device lock while transmitting', 'counter', 'cpuCollision'],
  ['received_rps_total', 'Number of times cpu woken up received_rps', 'counter', 'receivedRps'],
  ['flow_limit_count_total', 'Number of times flow limit has been reached', 'counter', 'flowLimitCount'],
  ['backlog_len', 'Softnet backlog status', 'gauge', 'backlogLen'],
];

/** Returns node_exporter's node_softnet_* families, one sample per CPU each. */
export const softnetFamilies = (stats: readonly SoftnetStat[]): MetricFamily[] =>
  FAMILIES.map(([suffix, help, type, key]) => ({
    name: `node_softnet_${suffix}`,
    help,
    type,
    samples: stats.map((s) => ({ labels: { cpu: String(s.index) }, value: s[key] })),
  })).filter((f) => f.samples.length > 0);

/** The softnet collector: per-CPU packet processing statistics from <procfs>/net/softnet_stat. */
export const softnet: Collector = {
  name: 'softnet',
  defaultEnabled: true,
  collect: (ctx): Observable<MetricFamily> => defer(() => from(softnetFamilies(parseSoftnet(readProcText(ctx.procPath, 'net/softnet_stat'))))),
};

/** The softnet collector's registration (on by default, as in node_exporter). */
export const softnetDefinition = simpleDefinition(softnet);
