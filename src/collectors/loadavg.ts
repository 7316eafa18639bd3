import { defer, from } from 'rxjs';
import { gauge, type MetricFamily } from '../model/family';
import { parseLoadavg } from '../procfs/loadavg';
import { readProcText } from '../procfs/read';
import { simpleDefinition, type Collector } from './types';

/** Returns node_load1, node_load5 and node_load15. */
export const loadavgFamilies = (loads: readonly number[]): MetricFamily[] =>
  ['1', '5', '15'].map((m, i) => gauge(`node_load${m}`, `${m}m load average.`, [{ labels: {}, value: loads[i] }]));

/** The loadavg collector: load averages from <procfs>/loadavg. */
export const loadavg: Collector = {
  name: 'loadavg',
  defaultEnabled: true,
  collect: (ctx) => defer(() => from(loadavgFamilies(parseLoadavg(readProcText(ctx.procPath, 'loadavg'))))),
};

/** The loadavg collector's registration. */
export const loadavgDefinition = simpleDefinition(loadavg);
