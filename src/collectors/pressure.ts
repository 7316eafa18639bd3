import { defer, from } from 'rxjs';
import { RxporterError } from '../errors';
import { counter, type MetricFamily } from '../model/family';
import { parsePressure, type PsiStats } from '../procfs/pressure';
import { readProcText } from '../procfs/read';
import { isMissingError } from '../sysfs/sysAttr';
import { simpleDefinition, type Collector, type CollectorContext } from './types';

/** The PSI resources node_exporter reads, in its order. */
export const PSI_RESOURCES = ['cpu', 'io', 'memory', 'irq'] as const;
type Resource = (typeof PSI_RESOURCES)[number];

const seconds = (micros: number): number => micros / 1000.0 / 1000.0;
const one = (name: string, help: string, micros: number): MetricFamily => counter(name, help, [{ labels: {}, value: seconds(micros) }]);

/** Returns the node_pressure_* counters of one resource (the caller has checked its lines exist). */
export function pressureFamilies(res: Resource, s: PsiStats): MetricFamily[] {
  switch (res) {
    case 'cpu':
      return [one('node_pressure_cpu_waiting_seconds_total', 'Total time in seconds that processes have waited for CPU time', s.some!.total)];
    case 'io':
      return [
        one('node_pressure_io_waiting_seconds_total', 'Total time in seconds that processes have waited due to IO congestion', s.some!.total),
        one('node_pressure_io_stalled_seconds_total', 'Total time in seconds no process could make progress due to IO congestion', s.full!.total),
      ];
    case 'memory':
      return [
        one('node_pressure_memory_waiting_seconds_total', 'Total time in seconds that processes have waited for memory', s.some!.total),
        one('node_pressure_memory_stalled_seconds_total', 'Total time in seconds no process could make progress due to memory congestion', s.full!.total),
      ];
    case 'irq':
      return [one('node_pressure_irq_stalled_seconds_total', 'Total time in seconds no process could make progress due to IRQ congestion', s.full!.total)];
  }
}

const noData = (msg: string) => new RxporterError('RXP_NO_DATA', msg);

/**
 * Returns the PSI families of every resource the kernel reports, as node_exporter: a
 * missing file skips its resource, PSI switched off (EOPNOTSUPP) or a resource without its
 * expected lines is "no data", and so is a kernel without any pressure file.
 */
export function readPressure(ctx: CollectorContext): MetricFamily[] {
  const out: MetricFamily[] = [];
  let found = 0;
  for (const res of PSI_RESOURCES) {
    let text: string;
    try {
      text = readProcText(ctx.procPath, `pressure/${res}`);
    } catch (e) {
      if (isMissingError(e)) {
        ctx.log.debug('pressure information is unavailable for this resource', { collector: 'pressure', resource: res });
        continue;
      }
      const code = ((e as RxporterError).cause as NodeJS.ErrnoException | undefined)?.code;
      if (code === 'EOPNOTSUPP' || code === 'ENOTSUP') throw noData('pressure information is disabled, add psi=1 kernel command line to enable it');
      throw e;
    }
    const s = parsePressure(text);
    if (!s.some && res !== 'irq') throw noData(`pressure information returned no 'some' data for ${res}`);
    if (!s.full && res !== 'cpu') throw noData(`pressure information returned no 'full' data for ${res}`);
    out.push(...pressureFamilies(res, s));
    found++;
  }
  if (found === 0) throw noData('pressure information is unavailable, you need a Linux kernel >= 4.20 and/or CONFIG_PSI enabled for your kernel');
  return out;
}

/** The pressure collector: pressure stall information from <procfs>/pressure. */
export const pressure: Collector = {
  name: 'pressure',
  defaultEnabled: true,
  collect: (ctx) => defer(() => from(readPressure(ctx))),
};

/** The pressure collector's registration. */
export const pressureDefinition = simpleDefinition(pressure);
