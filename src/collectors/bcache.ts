import type { Labels, MetricFamily } from '../model/family';
import { readProcText } from '../procfs/read';
import { dehumanize, parsePriorityStats, parseWritebackRateDebug } from '../sysfs/bcache';
import { isMissing, listDir } from '../sysfs/read';
import { FamilyBuilder } from './familyBuilder';
import { syncCollector } from './syncCollector';
import type { Collector, CollectorContext, CollectorDefinition } from './types';

/** Reads a bcache value file as procfs does: 0 when missing, dehumanized otherwise. */
function value(sys: string, rel: string): number {
  let text: string;
  try {
    text = readProcText(sys, rel);
  } catch (e) {
    if (isMissing(e)) return 0;
    throw e;
  }
  return dehumanize(text.endsWith('\n') ? text.slice(0, -1) : text);
}

const BDEV_TOTALS: readonly (readonly [string, string, string])[] = [
  ['bypassed', 'bypassed_bytes_total', 'Amount of IO (both reads and writes) that has bypassed the cache.'],
  ['cache_hits', 'cache_hits_total', 'Hits counted per individual IO as bcache sees them.'],
  ['cache_misses', 'cache_misses_total', 'Misses counted per individual IO as bcache sees them.'],
  ['cache_bypass_hits', 'cache_bypass_hits_total', 'Hits for IO intended to skip the cache.'],
  ['cache_bypass_misses', 'cache_bypass_misses_total', 'Misses for IO intended to skip the cache.'],
  ['cache_miss_collisions', 'cache_miss_collisions_total', 'Instances where data insertion from cache miss raced with write (data already present).'],
];

/** Adds the families of one cache set (<sysfs>/fs/bcache/<uuid>). */
function addCacheSet(sys: string, b: FamilyBuilder, uuid: string, priority: boolean): void {
  const d = `fs/bcache/${uuid}`;
  const u: Labels = { uuid };
  const g = (name: string, help: string, labels: Labels, v: number) => b.gauge(`node_bcache_${name}`, help, labels, v);
  const c = (name: string, help: string, labels: Labels, v: number) => b.counter(`node_bcache_${name}`, help, labels, v);
  g('average_key_size_sectors', 'Average data per key in the btree (sectors).', u, value(sys, `${d}/average_key_size`));
  g('btree_cache_size_bytes', 'Amount of memory currently used by the btree cache.', u, value(sys, `${d}/btree_cache_size`));
  g('cache_available_percent', 'Percentage of cache device without dirty data, usable for writeback (may contain clean cached data).', u, value(sys, `${d}/cache_available_percent`));
  g('congested', 'Congestion.', u, value(sys, `${d}/congested`));
  g('root_usage_percent', 'Percentage of the root btree node in use (tree depth increases if too high).', u, value(sys, `${d}/root_usage_percent`));
  g('tree_depth', 'Depth of the btree.', u, value(sys, `${d}/tree_depth`));
  g('active_journal_entries', 'Number of journal entries that are newer than the index.', u, value(sys, `${d}/internal/active_journal_entries`));
  g('btree_nodes', 'Total nodes in the btree.', u, value(sys, `${d}/internal/btree_nodes`));
  // node_exporter scales this microsecond value by 1e-9; kept for identical output.
  g('btree_read_average_duration_seconds', 'Average btree read duration.', u, value(sys, `${d}/internal/btree_read_average_duration_us`) * 1e-9);
  c(
    'cache_read_races_total',
    'Counts instances where while data was being read from the cache, the bucket was reused and invalidated - i.e. where the pointer was stale after the read completed.',
    u,
    value(sys, `${d}/internal/cache_read_races`),
  );
  const entries = listDir(sys, d);
  for (const bdev of entries.filter((n) => /^bdev[0-9]/.test(n))) {
    const l = { uuid, backing_device: bdev };
    const dirty = value(sys, `${d}/${bdev}/dirty_data`);
    const wrd = parseWritebackRateDebug(readProcText(sys, `${d}/${bdev}/writeback_rate_debug`));
    g('dirty_data_bytes', 'Amount of dirty data for this backing device in the cache.', l, dirty);
    g('dirty_target_bytes', 'Current dirty data target threshold for this backing device in bytes.', l, wrd.target);
    g('writeback_rate', 'Current writeback rate for this backing device in bytes.', l, wrd.rate);
    g('writeback_rate_proportional_term', 'Current result of proportional controller, part of writeback rate', l, wrd.proportional);
    g('writeback_rate_integral_term', 'Current result of integral controller, part of writeback rate', l, wrd.integral);
    g('writeback_change', 'Last writeback rate change step for this backing device.', l, wrd.change);
    for (const [file, name, help] of BDEV_TOTALS) c(name, help, l, value(sys, `${d}/${bdev}/stats_total/${file}`));
    const readaheads = value(sys, `${d}/${bdev}/stats_total/cache_readaheads`);
    if (readaheads !== 0) c('cache_readaheads_total', 'Count of times readahead occurred.', l, readaheads);
  }
  for (const cache of entries.filter((n) => /^cache[0-9]/.test(n))) {
    const l = { uuid, cache_device: cache };
    g('io_errors', 'Number of errors that have occurred, decayed by io_error_halflife.', l, value(sys, `${d}/${cache}/io_errors`));
    c('metadata_written_bytes_total', 'Sum of all non data writes (btree writes and all other metadata).', l, value(sys, `${d}/${cache}/metadata_written`));
    c('written_bytes_total', 'Sum of all data that has been written to the cache.', l, value(sys, `${d}/${cache}/written`));
    if (priority) {
      const p = parsePriorityStats(readProcText(sys, `${d}/${cache}/priority_stats`));
      g('priority_stats_unused_percent', "The percentage of the cache that doesn't contain any data.", l, p.unused);
      g('priority_stats_metadata_percent', "Bcache's metadata overhead.", l, p.metadata);
    }
  }
}

/** Returns node_exporter's bcache families for each cache set under <sysfs>/fs/bcache. */
export function bcacheFamilies(ctx: CollectorContext, priority: boolean): MetricFamily[] {
  let sets: string[];
  try {
    sets = listDir(ctx.sysPath, 'fs/bcache').filter((n) => n.includes('-'));
  } catch (e) {
    if (!isMissing(e)) throw e;
    sets = []; // no bcache: nothing to report, as node_exporter
  }
  const b = new FamilyBuilder();
  for (const uuid of sets) {
    const gone = b.addDevice((one) => addCacheSet(ctx.sysPath, one, uuid, priority), isMissing);
    if (gone !== undefined) ctx.log.debug('bcache device vanished', { collector: 'bcache', uuid, error: (gone as Error).message });
  }
  return b.families();
}

/** Returns the bcache collector; `priorityStats` adds the expensive priority_stats reads. */
export const createBcacheCollector = (priorityStats: boolean): Collector => syncCollector('bcache', true, (ctx) => bcacheFamilies(ctx, priorityStats));

/** The bcache collector's registration, with node_exporter's flag. */
export const bcacheDefinition: CollectorDefinition = {
  name: 'bcache',
  defaultEnabled: true,
  options: {
    priorityStats: { doc: 'Expose expensive priority stats.', format: 'bool', default: false, arg: 'collector.bcache.priorityStats' },
  },
  create: (o) => createBcacheCollector(o.priorityStats === true),
};
