import { RxporterError } from '../errors';
import type { MetricFamily } from '../model/family';
import { parseMdstat } from '../procfs/mdstat';
import { readProcText } from '../procfs/read';
import { MD_CONTAINER_LEVELS, MD_REDUNDANT_LEVELS, parseRaidDisks } from '../sysfs/mdraid';
import { parseUint, parseValueOrNone } from '../sysfs/parse';
import { isMissing, listDir, readTrimmed } from '../sysfs/read';
import { FamilyBuilder } from './familyBuilder';
import { syncCollector } from './syncCollector';
import { simpleDefinition, type CollectorContext } from './types';

const STATE_HELP = 'Indicates the state of md-device.';

/** Adds the sysfs part: raid_disks and degraded of each md array under <sysfs>/block. */
function addMdraids(ctx: CollectorContext, b: FamilyBuilder): void {
  let devices: string[];
  try {
    devices = listDir(ctx.sysPath, 'block').filter((d) => d.startsWith('md'));
  } catch (e) {
    if (isMissing(e)) throw new RxporterError('RXP_NO_DATA', 'Not collecting mdraids, file does not exist', false, { cause: e });
    throw e;
  }
  for (const device of devices) {
    const md = `block/${device}/md`;
    let level: string;
    try {
      level = readTrimmed(ctx.sysPath, `${md}/level`);
    } catch (e) {
      if (!isMissing(e)) throw e;
      // Not an md array (no md/ directory), or one that was stopped after listing.
      continue;
    }
    try {
      if (!MD_CONTAINER_LEVELS.has(level)) {
        const disks = parseRaidDisks(readProcText(ctx.sysPath, `${md}/raid_disks`));
        if (disks !== undefined) b.gauge('node_md_raid_disks', 'Number of raid disks on device.', { device }, disks);
      }
      let degraded: number | undefined = 0;
      if (MD_REDUNDANT_LEVELS.has(level)) {
        // undefined for the kernel's "no value" marker: that sample is left out
        degraded = parseValueOrNone(readTrimmed(ctx.sysPath, `${md}/degraded`), parseUint, `${md}/degraded`);
      }
      b.gauge('node_md_degraded', 'Number of degraded disks on device.', { device }, degraded);
    } catch (e) {
      if (!isMissing(e)) throw e;
      ctx.log.debug('md device vanished', { collector: 'mdadm', device });
    }
  }
}

/**
 * Returns node_exporter's mdadm families: per-device state, disks and blocks from
 * <procfs>/mdstat, raid_disks and degraded from sysfs. Throws RXP_NO_DATA without mdstat.
 */
export function mdadmFamilies(ctx: CollectorContext): MetricFamily[] {
  let text: string;
  try {
    text = readProcText(ctx.procPath, 'mdstat');
  } catch (e) {
    if (isMissing(e)) throw new RxporterError('RXP_NO_DATA', 'Not collecting mdstat, file does not exist', false, { cause: e });
    throw e;
  }
  const b = new FamilyBuilder();
  for (const md of parseMdstat(text)) {
    const device = md.name;
    b.gauge('node_md_disks_required', 'Total number of disks of device.', { device }, md.disksTotal);
    b.gauge('node_md_disks', 'Number of active/failed/spare disks of device.', { device, state: 'active' }, md.disksActive);
    b.gauge('node_md_disks', 'Number of active/failed/spare disks of device.', { device, state: 'failed' }, md.disksFailed);
    b.gauge('node_md_disks', 'Number of active/failed/spare disks of device.', { device, state: 'spare' }, md.disksSpare);
    for (const [label, state] of [
      ['active', 'active'],
      ['inactive', 'inactive'],
      ['recovering', 'recovering'],
      ['resync', 'resyncing'],
      ['check', 'checking'],
    ]) {
      b.gauge('node_md_state', STATE_HELP, { device, state: label }, md.state === state ? 1 : 0);
    }
    b.gauge('node_md_blocks', 'Total number of blocks on device.', { device }, md.blocksTotal);
    b.gauge('node_md_blocks_synced', 'Number of blocks synced on device.', { device }, md.blocksSynced);
  }
  addMdraids(ctx, b);
  return b.families();
}

/** The mdadm collector (default on): md RAID arrays. */
export const mdadm = syncCollector('mdadm', true, mdadmFamilies);

/** The mdadm collector's registration. */
export const mdadmDefinition = simpleDefinition(mdadm);
