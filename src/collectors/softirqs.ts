import { defer, from } from 'rxjs';
import { counter, type MetricFamily, type Sample } from '../model/family';
import { readProcText } from '../procfs/read';
import { parseSoftirqs, SOFTIRQ_TYPES } from '../procfs/softirqs';
import { simpleDefinition, type Collector } from './types';

/** Returns node_softirqs_functions_total: one sample per softirq type and CPU. */
export function softirqsFamilies(counts: ReadonlyMap<string, readonly number[]>): MetricFamily[] {
  const samples: Sample[] = [];
  for (const type of SOFTIRQ_TYPES) counts.get(type)?.forEach((value, cpu) => samples.push({ labels: { cpu: String(cpu), type }, value }));
  return samples.length === 0 ? [] : [counter('node_softirqs_functions_total', 'Softirq counts per CPU.', samples)];
}

/** The softirqs collector: per-CPU softirq counts from <procfs>/softirqs. */
export const softirqs: Collector = {
  name: 'softirqs',
  defaultEnabled: false,
  collect: (ctx) => defer(() => from(softirqsFamilies(parseSoftirqs(readProcText(ctx.procPath, 'softirqs'))))),
};

/** The softirqs collector's registration. */
export const softirqsDefinition = simpleDefinition(softirqs);
