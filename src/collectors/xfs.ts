import type { MetricFamily } from '../model/family';
import { readProcText } from '../procfs/read';
import { isMissing, listDir } from '../sysfs/read';
import { parseXfsStats, XFS_METRICS } from '../sysfs/xfs';
import { FamilyBuilder } from './familyBuilder';
import { syncCollector } from './syncCollector';
import { simpleDefinition, type CollectorContext } from './types';

/** Returns node_exporter's xfs counters for each device under <sysfs>/fs/xfs. */
export function xfsFamilies(ctx: CollectorContext): MetricFamily[] {
  let devices: string[];
  try {
    devices = listDir(ctx.sysPath, 'fs/xfs');
  } catch (e) {
    if (!isMissing(e)) throw e;
    devices = []; // no XFS: nothing to report, as node_exporter
  }
  const b = new FamilyBuilder();
  for (const device of devices) {
    let text: string;
    try {
      text = readProcText(ctx.sysPath, `fs/xfs/${device}/stats/stats`);
    } catch (e) {
      if (!isMissing(e)) throw e;
      continue; // not a device directory (e.g. "stats"), or unmounted since the listing
    }
    const s = parseXfsStats(text);
    for (const [name, help, section, i] of XFS_METRICS) {
      b.counter(`node_xfs_${name}`, help, { device }, s.get(section)?.[i] ?? 0);
    }
  }
  return b.families();
}

/** The xfs collector (default on): per-filesystem XFS statistics. */
export const xfs = syncCollector('xfs', true, xfsFamilies);

/** The xfs collector's registration. */
export const xfsDefinition = simpleDefinition(xfs);
