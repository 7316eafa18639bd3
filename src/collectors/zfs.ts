import { RxporterError } from '../errors';
import type { MetricFamily } from '../model/family';
import { readProcText } from '../procfs/read';
import { parseZfsKstat, parseZpoolIo, parseZpoolObjset, parseZpoolState, ZPOOL_STATES } from '../procfs/zfs';
import { isMissing, listDirents } from '../sysfs/read';
import { FamilyBuilder } from './familyBuilder';
import { syncCollector } from './syncCollector';
import { simpleDefinition, type CollectorContext } from './types';

const BASE = 'spl/kstat/zfs';

/** node_exporter's subsystem → kstat file map. */
const SUBSYSTEMS: readonly (readonly [string, string])[] = [
  ['zfs_abd', 'abdstats'],
  ['zfs_arc', 'arcstats'],
  ['zfs_dbuf', 'dbufstats'],
  ['zfs_dmu_tx', 'dmu_tx'],
  ['zfs_dnode', 'dnodestats'],
  ['zfs_fm', 'fm'],
  ['zfs_vdev_cache', 'vdev_cache_stats'],
  ['zfs_vdev_mirror', 'vdev_mirror_stats'],
  ['zfs_xuio', 'xuio_stats'],
  ['zfs_zfetch', 'zfetchstats'],
  ['zfs_zil', 'zil'],
];

/** node_exporter's metric name for a kstat: the part after its last dot, '-' as '_'. */
const metricName = (kstat: string): string => kstat.slice(kstat.lastIndexOf('.') + 1).replace(/-/g, '_');

/** Reads a file that may vanish between listing and reading; undefined (with a debug line) when it did. */
function readVanishing(ctx: CollectorContext, rel: string): string | undefined {
  try {
    return readProcText(ctx.procPath, rel);
  } catch (e) {
    if (!isMissing(e)) throw e;
    ctx.log.debug('zfs file vanished', { collector: 'zfs', path: rel });
    return undefined;
  }
}

/**
 * Returns node_exporter's zfs families from <procfs>/spl/kstat/zfs: one untyped family per
 * kstat of each subsystem file, per-pool io counters, per-dataset objset counters and the
 * pool state gauge. Throws RXP_NO_DATA when ZFS is not loaded.
 */
export function zfsFamilies(ctx: CollectorContext): MetricFamily[] {
  let pools;
  try {
    pools = listDirents(ctx.procPath, BASE);
  } catch (e) {
    if (isMissing(e)) throw new RxporterError('RXP_NO_DATA', 'ZFS / ZFS statistics are not available', false, { cause: e });
    throw e;
  }
  const b = new FamilyBuilder();
  for (const [subsystem, file] of SUBSYSTEMS) {
    let text: string;
    try {
      text = readProcText(ctx.procPath, `${BASE}/${file}`);
    } catch (e) {
      if (!isMissing(e)) throw e;
      ctx.log.debug('zfs kstat file not available', { collector: 'zfs', file });
      continue;
    }
    for (const k of parseZfsKstat(text, file)) {
      const key = `kstat.zfs.misc.${file}.${k.name}`;
      b.untyped(`node_${subsystem}_${metricName(key)}`, key, {}, k.value);
    }
  }
  // List each pool's directory once (node_exporter globs */io, */objset-*, */state); a
  // listed file that cannot be read any more vanished in between and is skipped.
  const listed: { pool: string; files: string[] }[] = [];
  for (const d of pools) {
    if (!d.isDirectory() && !d.isSymbolicLink()) continue;
    try {
      listed.push({ pool: d.name, files: listDirents(ctx.procPath, `${BASE}/${d.name}`).map((f) => f.name) });
    } catch (e) {
      if (!isMissing(e)) throw e;
    }
  }
  for (const { pool, files } of listed) {
    if (!files.includes('io')) continue;
    const text = readVanishing(ctx, `${BASE}/${pool}/io`);
    if (text === undefined) continue;
    for (const k of parseZpoolIo(text)) {
      const key = `kstat.zfs.misc.io.${k.name}`;
      b.untyped(`node_zfs_zpool_${metricName(key)}`, key, { zpool: pool }, k.value);
    }
  }
  for (const { pool, files } of listed) {
    for (const f of files) {
      if (!f.startsWith('objset-')) continue;
      const text = readVanishing(ctx, `${BASE}/${pool}/${f}`);
      if (text === undefined) continue;
      const o = parseZpoolObjset(text);
      for (const k of o.stats) {
        const key = `kstat.zfs.misc.objset.${k.name}`;
        b.untyped(`node_zfs_zpool_dataset_${metricName(key)}`, key, { zpool: pool, dataset: o.dataset }, k.value);
      }
    }
  }
  for (const { pool, files } of listed) {
    if (!files.includes('state')) continue;
    const text = readVanishing(ctx, `${BASE}/${pool}/state`);
    if (text === undefined) continue;
    const state = parseZpoolState(text);
    for (const s of ZPOOL_STATES) b.gauge('node_zfs_zpool_state', 'kstat.zfs.misc.state', { zpool: pool, state: s }, state === s ? 1 : 0);
  }
  return b.families();
}

/** The zfs collector (default on): ZFS kstats from <procfs>/spl/kstat/zfs. */
export const zfs = syncCollector('zfs', true, zfsFamilies);

/** The zfs collector's registration. */
export const zfsDefinition = simpleDefinition(zfs);
