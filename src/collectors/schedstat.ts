import { defer, from } from 'rxjs';
import { RxporterError } from '../errors';
import { counter, type MetricFamily } from '../model/family';
import { readProcText } from '../procfs/read';
import { parseSchedstat, type SchedstatCpu } from '../procfs/schedstat';
import { isMissingError } from '../sysfs/sysAttr';
import { simpleDefinition, type Collector } from './types';

/** Returns the three node_schedstat_* counters per CPU (times in seconds). */
export const schedstatFamilies = (cpus: readonly SchedstatCpu[]): MetricFamily[] =>
  cpus.length === 0
    ? []
    : [
        counter('node_schedstat_running_seconds_total', 'Number of seconds CPU spent running a process.', cpus.map((c) => ({ labels: { cpu: c.cpu }, value: c.runningNanoseconds / 1e9 }))),
        counter('node_schedstat_waiting_seconds_total', 'Number of seconds spent by processing waiting for this CPU.', cpus.map((c) => ({ labels: { cpu: c.cpu }, value: c.waitingNanoseconds / 1e9 }))),
        counter('node_schedstat_timeslices_total', 'Number of timeslices executed by CPU.', cpus.map((c) => ({ labels: { cpu: c.cpu }, value: c.timeslices }))),
      ];

/** The schedstat collector: per-CPU scheduler statistics from <procfs>/schedstat (no data without it). */
export const schedstat: Collector = {
  name: 'schedstat',
  defaultEnabled: true,
  collect: (ctx) =>
    defer(() => {
      let text: string;
      try {
        text = readProcText(ctx.procPath, 'schedstat');
      } catch (e) {
        if (isMissingError(e)) throw new RxporterError('RXP_NO_DATA', 'schedstat file does not exist', false, { cause: e });
        throw e;
      }
      return from(schedstatFamilies(parseSchedstat(text)));
    }),
};

/** The schedstat collector's registration. */
export const schedstatDefinition = simpleDefinition(schedstat);
