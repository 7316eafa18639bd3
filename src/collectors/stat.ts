import { defer, from } from 'rxjs';
import { counter, gauge, type MetricFamily } from '../model/family';
import { readProcText } from '../procfs/read';
import { parseStat, SOFTIRQ_VECTORS, type ProcStat } from '../procfs/stat';
import type { Collector, CollectorDefinition } from './types';

/** Returns the stat collector's families; node_softirqs_total only with `softirq`. */
export function statFamilies(s: ProcStat, softirq: boolean): MetricFamily[] {
  const one = (value: number) => [{ labels: {}, value }];
  const out = [
    counter('node_intr_total', 'Total number of interrupts serviced.', one(s.intrTotal)),
    counter('node_context_switches_total', 'Total number of context switches.', one(s.contextSwitches)),
    counter('node_forks_total', 'Total number of forks.', one(s.processesCreated)),
    gauge('node_boot_time_seconds', 'Node boot time, in unixtime.', one(s.bootTime)),
    gauge('node_procs_running', 'Number of processes in runnable state.', one(s.procsRunning)),
    gauge('node_procs_blocked', 'Number of processes blocked waiting for I/O to complete.', one(s.procsBlocked)),
  ];
  if (softirq) {
    out.push(
      counter(
        'node_softirqs_total',
        'Number of softirq calls.',
        SOFTIRQ_VECTORS.map((vector, i) => ({ labels: { vector }, value: s.softirq[i] })),
      ),
    );
  }
  return out;
}

/** Returns the stat collector: interrupts, context switches, forks, boot time, process counts from /proc/stat. */
export const createStatCollector = (o: { softirq: boolean }): Collector => ({
  name: 'stat',
  defaultEnabled: true,
  collect: (ctx) => defer(() => from(statFamilies(parseStat(readProcText(ctx.procPath, 'stat')), o.softirq))),
});

/** The stat collector's registration, with node_exporter's `--collector.stat.softirq`. */
export const statDefinition: CollectorDefinition = {
  name: 'stat',
  defaultEnabled: true,
  options: {
    softirq: { doc: 'Export softirq calls per vector.', format: 'bool', default: false, arg: 'collector.stat.softirq' },
  },
  create: (o) => createStatCollector({ softirq: o.softirq === true }),
};
