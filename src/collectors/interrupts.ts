import { defer, from } from 'rxjs';
import { counter, type MetricFamily, type Sample } from '../model/family';
import type { Log } from '../log/types';
import { parseInterrupts, type Interrupt } from '../procfs/interrupts';
import { readProcText } from '../procfs/read';
import type { Collector, CollectorDefinition } from './types';

/** Options of the interrupts collector (node_exporter's `--collector.interrupts.*`). */
export interface InterruptsOptions {
  /** Regexp of "name;info;devices" to include ('' includes all). */
  readonly nameInclude: string;
  /** Regexp of "name;info;devices" to exclude ('' excludes none). */
  readonly nameExclude: string;
  /** Export counts of 0 too (default true). */
  readonly includeZeros: boolean;
}

/** Returns node_interrupts_total: one sample per interrupt and CPU that the filters keep. */
export function interruptsFamilies(
  rows: readonly Interrupt[],
  o: { include?: RegExp; exclude?: RegExp; includeZeros: boolean },
  log?: Log,
): MetricFamily[] {
  const samples: Sample[] = [];
  for (const r of rows) {
    const filterName = `${r.name};${r.info};${r.devices}`;
    if ((o.exclude && o.exclude.test(filterName)) || (o.include && !o.include.test(filterName))) {
      log?.debug('ignoring interrupt name', { collector: 'interrupts', filter_name: filterName });
      continue;
    }
    r.values.forEach((value, cpu) => {
      if (!o.includeZeros && value === 0) return;
      samples.push({ labels: { cpu: String(cpu), type: r.name, info: r.info, devices: r.devices }, value });
    });
  }
  return samples.length === 0 ? [] : [counter('node_interrupts_total', 'Interrupt details.', samples)];
}

/** Returns the interrupts collector: per-CPU interrupt counts from <procfs>/interrupts. */
export function createInterruptsCollector(o: InterruptsOptions): Collector {
  const include = o.nameInclude !== '' ? new RegExp(o.nameInclude) : undefined;
  const exclude = o.nameExclude !== '' ? new RegExp(o.nameExclude) : undefined;
  return {
    name: 'interrupts',
    defaultEnabled: false,
    collect: (ctx) =>
      defer(() => from(interruptsFamilies(parseInterrupts(readProcText(ctx.procPath, 'interrupts')), { include, exclude, includeZeros: o.includeZeros }, ctx.log))),
  };
}

/** The interrupts collector's registration, with node_exporter's flags. */
export const interruptsDefinition: CollectorDefinition = {
  name: 'interrupts',
  defaultEnabled: false,
  options: {
    nameInclude: {
      doc: 'Regexp of interrupts name to include (mutually exclusive to --collector.interrupts.name-exclude).',
      format: 'regexp-source',
      default: '',
      arg: 'collector.interrupts.name-include',
    },
    nameExclude: {
      doc: 'Regexp of interrupts name to exclude (mutually exclusive to --collector.interrupts.name-include).',
      format: 'regexp-source',
      default: '',
      arg: 'collector.interrupts.name-exclude',
    },
    includeZeros: { doc: 'Include interrupts that have a zero value.', format: 'bool', default: true, arg: 'collector.interrupts.include-zeros' },
  },
  create: (o) =>
    createInterruptsCollector({
      nameInclude: String(o.nameInclude ?? ''),
      nameExclude: String(o.nameExclude ?? ''),
      includeZeros: o.includeZeros !== false,
    }),
};
