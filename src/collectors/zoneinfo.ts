import { defer, from } from 'rxjs';
import type { MetricFamily, Sample } from '../model/family';
import { readProcText } from '../procfs/read';
import { parseZoneinfo, type Zone } from '../procfs/zoneinfo';
import { simpleDefinition, type Collector } from './types';

type Kind = 'gauge' | 'counter';

/** /proc/zoneinfo key → node_zoneinfo_<name>, help, type (node_exporter's descriptions). */
const METRICS: Readonly<Record<string, readonly [string, string, Kind]>> = {
  nr_free_pages: ['nr_free_pages', 'Total number of free pages in the zone', 'gauge'],
  min: ['min_pages', 'Zone watermark pages_min', 'gauge'],
  low: ['low_pages', 'Zone watermark pages_low', 'gauge'],
  high: ['high_pages', 'Zone watermark pages_high', 'gauge'],
  scanned: ['scanned_pages', 'Pages scanned since last reclaim', 'gauge'],
  spanned: ['spanned_pages', 'Total pages spanned by the zone, including holes', 'gauge'],
  present: ['present_pages', 'Physical pages existing within the zone', 'gauge'],
  managed: ['managed_pages', 'Present pages managed by the buddy system', 'gauge'],
  nr_active_anon: ['nr_active_anon_pages', 'Number of anonymous pages recently more used', 'gauge'],
  nr_inactive_anon: ['nr_inactive_anon_pages', 'Number of anonymous pages recently less used', 'gauge'],
  nr_isolated_anon: ['nr_isolated_anon_pages', 'Temporary isolated pages from anon lru', 'gauge'],
  nr_anon_pages: ['nr_anon_pages', 'Number of anonymous pages currently used by the system', 'gauge'],
  nr_anon_transparent_hugepages: ['nr_anon_transparent_hugepages', 'Number of anonymous transparent huge pages currently used by the system', 'gauge'],
  nr_active_file: ['nr_active_file_pages', 'Number of active pages with file-backing', 'gauge'],
  nr_inactive_file: ['nr_inactive_file_pages', 'Number of inactive pages with file-backing', 'gauge'],
  nr_isolated_file: ['nr_isolated_file_pages', 'Temporary isolated pages from file lru', 'gauge'],
  nr_file_pages: ['nr_file_pages', 'Number of file pages', 'gauge'],
  nr_slab_reclaimable: ['nr_slab_reclaimable_pages', 'Number of reclaimable slab pages', 'gauge'],
  nr_slab_unreclaimable: ['nr_slab_unreclaimable_pages', 'Number of unreclaimable slab pages', 'gauge'],
  nr_mlock_stack: ['nr_mlock_stack_pages', 'mlock()ed pages found and moved off LRU', 'gauge'],
  nr_kernel_stack: ['nr_kernel_stacks', 'Number of kernel stacks', 'gauge'],
  nr_mapped: ['nr_mapped_pages', 'Number of mapped pages', 'gauge'],
  nr_dirty: ['nr_dirty_pages', 'Number of dirty pages', 'gauge'],
  nr_writeback: ['nr_writeback_pages', 'Number of writeback pages', 'gauge'],
  nr_unevictable: ['nr_unevictable_pages', 'Number of unevictable pages', 'gauge'],
  nr_shmem: ['nr_shmem_pages', 'Number of shmem pages (included tmpfs/GEM pages)', 'gauge'],
  nr_dirtied: ['nr_dirtied_total', 'Page dirtyings since bootup', 'counter'],
  nr_written: ['nr_written_total', 'Page writings since bootup', 'counter'],
  numa_hit: ['numa_hit_total', 'Allocated in intended node', 'counter'],
  numa_miss: ['numa_miss_total', 'Allocated in non intended node', 'counter'],
  numa_foreign: ['numa_foreign_total', 'Was intended here, hit elsewhere', 'counter'],
  numa_interleave: ['numa_interleave_total', 'Interleaver preferred this zone', 'counter'],
  numa_local: ['numa_local_total', 'Allocation from local node', 'counter'],
  numa_other: ['numa_other_total', 'Allocation from other node', 'counter'],
};

/** Returns the node_zoneinfo_* families: one sample per zone for each value it has, and the protection array. */
export function zoneinfoFamilies(zones: readonly Zone[]): MetricFamily[] {
  const families = new Map<string, { name: string; help: string; type: Kind; samples: Sample[] }>();
  const add = (name: string, help: string, type: Kind, labels: Sample['labels'], value: number) => {
    let f = families.get(name);
    if (!f) families.set(name, (f = { name, help, type, samples: [] }));
    f.samples.push({ labels, value });
  };
  for (const z of zones) {
    const labels = { node: z.node, zone: z.zone };
    for (const [key, value] of z.values) {
      const [suffix, help, type] = METRICS[key];
      add(`node_zoneinfo_${suffix}`, help, type, labels, value);
    }
    z.protection?.forEach((value, i) => add(`node_zoneinfo_protection_${i}`, `Protection array ${i}. field`, 'gauge', labels, value));
  }
  return [...families.values()];
}

/** The zoneinfo collector: per-zone page counts from <procfs>/zoneinfo. */
export const zoneinfo: Collector = {
  name: 'zoneinfo',
  defaultEnabled: false,
  collect: (ctx) => defer(() => from(zoneinfoFamilies(parseZoneinfo(readProcText(ctx.procPath, 'zoneinfo'))))),
};

/** The zoneinfo collector's registration. */
export const zoneinfoDefinition = simpleDefinition(zoneinfo);
