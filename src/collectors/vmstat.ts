import { defer, from } from 'rxjs';
import type { MetricFamily } from '../model/family';
import { readProcText } from '../procfs/read';
import { parseVmstat } from '../procfs/vmstat';
import type { Collector, CollectorDefinition } from './types';

/** node_exporter's default `--collector.vmstat.fields`. */
export const DEFAULT_VMSTAT_FIELDS = '^(oom_kill|pgpg|pswp|pg.*fault).*';

/** Returns one untyped node_vmstat_<field> family per field matching `pattern`. */
export const vmstatFamilies = (values: readonly [string, number][], pattern: RegExp): MetricFamily[] =>
  values
    .filter(([name]) => pattern.test(name))
    .map(([name, value]) => ({ name: `node_vmstat_${name}`, help: `/proc/vmstat information field ${name}.`, type: 'untyped' as const, samples: [{ labels: {}, value }] }));

/** Returns the vmstat collector: the selected fields of <procfs>/vmstat. */
export function createVmstatCollector(o: { fields: string }): Collector {
  const pattern = new RegExp(o.fields);
  return {
    name: 'vmstat',
    defaultEnabled: true,
    collect: (ctx) => defer(() => from(vmstatFamilies(parseVmstat(readProcText(ctx.procPath, 'vmstat')), pattern))),
  };
}

/** The vmstat collector's registration, with node_exporter's `--collector.vmstat.fields`. */
export const vmstatDefinition: CollectorDefinition = {
  name: 'vmstat',
  defaultEnabled: true,
  options: {
    fields: { doc: 'Regexp of fields to return for vmstat collector.', format: 'regexp-source', default: DEFAULT_VMSTAT_FIELDS, arg: 'collector.vmstat.fields' },
  },
  create: (o) => createVmstatCollector({ fields: String(o.fields ?? DEFAULT_VMSTAT_FIELDS) }),
};
