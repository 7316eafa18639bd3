import { defer, from } from 'rxjs';
import { gauge, type MetricFamily } from '../model/family';
import { readProcText } from '../procfs/read';
import { parseSlabinfo, type Slab } from '../procfs/slabinfo';
import type { Collector, CollectorDefinition } from './types';

const COLUMNS: [keyof Slab, string, string][] = [
  ['activeObjects', 'active_objects', 'The number of objects that are currently active (i.e., in use).'],
  ['objects', 'objects', 'The total number of allocated objects (i.e., objects that are both in use and not in use).'],
  ['objectSize', 'object_size_bytes', 'The size of objects in this slab, in bytes.'],
  ['objectsPerSlab', 'objects_per_slab', 'The number of objects stored in each slab.'],
  ['pagesPerSlab', 'pages_per_slab', 'The number of pages allocated for each slab.'],
];

/** Returns the five node_slabinfo_* families for the given caches. */
export const slabinfoFamilies = (slabs: readonly Slab[]): MetricFamily[] =>
  slabs.length === 0
    ? []
    : COLUMNS.map(([key, name, help]) =>
        gauge(`node_slabinfo_${name}`, help, slabs.map((s) => ({ labels: { slab: s.name }, value: s[key] as number }))),
      );

/** Returns the slabinfo collector: kernel slab caches from <procfs>/slabinfo, filtered by name. */
export function createSlabinfoCollector(o: { slabsInclude: string; slabsExclude: string }): Collector {
  const include = o.slabsInclude !== '' ? new RegExp(o.slabsInclude) : undefined;
  const exclude = o.slabsExclude !== '' ? new RegExp(o.slabsExclude) : undefined;
  const keep = (s: Slab) => !((exclude && exclude.test(s.name)) || (include && !include.test(s.name)));
  return {
    name: 'slabinfo',
    defaultEnabled: false,
    collect: (ctx) => defer(() => from(slabinfoFamilies(parseSlabinfo(readProcText(ctx.procPath, 'slabinfo')).filter(keep)))),
  };
}

/** The slabinfo collector's registration, with node_exporter's flags. */
export const slabinfoDefinition: CollectorDefinition = {
  name: 'slabinfo',
  defaultEnabled: false,
  options: {
    slabsInclude: { doc: 'Regexp of slabs to include in slabinfo collector.', format: 'regexp-source', default: '.*', arg: 'collector.slabinfo.slabs-include' },
    slabsExclude: { doc: 'Regexp of slabs to exclude in slabinfo collector.', format: 'regexp-source', default: '', arg: 'collector.slabinfo.slabs-exclude' },
  },
  create: (o) => createSlabinfoCollector({ slabsInclude: String(o.slabsInclude ?? '.*'), slabsExclude: String(o.slabsExclude ?? '') }),
};
