import { defer, from } from 'rxjs';
import type { MetricFamily } from '../model/family';
import { readUintIfExists } from '../sysfs/sysAttr';
import { simpleDefinition, type Collector, type CollectorContext } from './types';

/** /sys/kernel/mm/ksm file → metric name suffix, help, type, scale. */
const FILES: readonly (readonly [string, string, string, 'gauge' | 'counter', number])[] = [
  ['full_scans', 'full_scans_total', 'How many times all mergeable areas have been scanned.', 'counter', 1],
  ['general_profit', 'general_profit_bytes', 'How effective is KSM. ksm_saved_pages * sizeof(page) - (all_rmap_items) * sizeof(rmap_item)', 'gauge', 1],
  ['merge_across_nodes', 'merge_across_nodes', 'Specifies if pages from different NUMA nodes can be merged.', 'gauge', 1],
  ['pages_shared', 'pages_shared', 'How many shared pages are being used.', 'gauge', 1],
  ['pages_sharing', 'pages_sharing', 'How many more sites are sharing them i.e. how much saved.', 'gauge', 1],
  ['pages_to_scan', 'pages_to_scan', 'How many pages to scan before ksmd goes to sleep.', 'gauge', 1],
  ['pages_unshared', 'pages_unshared', 'How many pages unique but repeatedly checked for merging.', 'gauge', 1],
  ['pages_volatile', 'pages_volatile', 'How many pages changing too fast to be placed in a tree.', 'gauge', 1],
  ['run', 'run', 'The status of ksmd. stopped = 0, running = 1', 'gauge', 1],
  ['sleep_millisecs', 'sleep_seconds', 'How many seconds ksmd should sleep before next scan.', 'gauge', 1000],
];

/** Returns the values of the ksm files present, by file name (a missing file is skipped with a debug line). */
export function readKsm(ctx: CollectorContext): Map<string, number> {
  const out = new Map<string, number>();
  for (const [file] of FILES) {
    const v = readUintIfExists(ctx.sysPath, `kernel/mm/ksm/${file}`);
    if (v !== undefined) out.set(file, v);
    else ctx.log.debug('ksmd file not found, skipping', { collector: 'ksmd', file });
  }
  return out;
}

/** Returns one node_ksmd_* family per ksm file read. */
export const ksmdFamilies = (values: ReadonlyMap<string, number>): MetricFamily[] =>
  FILES.filter(([file]) => values.has(file)).map(([file, name, help, type, scale]) => ({
    name: `node_ksmd_${name}`,
    help,
    type,
    samples: [{ labels: {}, value: values.get(file)! / scale }],
  }));

/** The ksmd collector: kernel samepage merging statistics from <sysfs>/kernel/mm/ksm. */
export const ksmd: Collector = {
  name: 'ksmd',
  defaultEnabled: false,
  collect: (ctx) => defer(() => from(ksmdFamilies(readKsm(ctx)))),
};

/** The ksmd collector's registration. */
export const ksmdDefinition = simpleDefinition(ksmd);
