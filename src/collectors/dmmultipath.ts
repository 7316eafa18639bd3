import { RxporterError } from '../errors';
import type { MetricFamily } from '../model/family';
import { readProcText } from '../procfs/read';
import { parseUint } from '../sysfs/parse';
import { isMissing, listDir } from '../sysfs/read';
import { FamilyBuilder } from './familyBuilder';
import { syncCollector } from './syncCollector';
import { simpleDefinition, type CollectorContext } from './types';

const SECTOR = 512;

/** Returns true for a path state that means usable: SCSI "running" or NVMe "live". */
export const isPathActive = (state: string): boolean => state === 'running' || state === 'live';

function readUint(sys: string, rel: string): number {
  const raw = readProcText(sys, rel).trim();
  const v = parseUint(raw);
  if (Number.isNaN(v)) throw new RxporterError('RXP_PROC_PARSE', `dmmultipath ${rel}: invalid value ${JSON.stringify(raw)}`);
  return v;
}

/** Adds one dm device's families when it is a multipath device. */
function addDevice(sys: string, b: FamilyBuilder, dm: string): void {
  let uuid: string;
  try {
    uuid = readProcText(sys, `block/${dm}/dm/uuid`).trim();
  } catch (e) {
    if (isMissing(e)) return; // not a device-mapper device after all
    throw e;
  }
  if (!uuid.startsWith('mpath-')) return;
  const device = readProcText(sys, `block/${dm}/dm/name`).trim();
  const suspended = readUint(sys, `block/${dm}/dm/suspended`) === 1;
  const size = readUint(sys, `block/${dm}/size`) * SECTOR;
  let slaves: string[] = [];
  try {
    slaves = listDir(sys, `block/${dm}/slaves`);
  } catch (e) {
    if (!isMissing(e)) throw e;
  }
  const paths = slaves.map((path) => ({ path, state: readProcText(sys, `block/${path}/device/state`).trim() }));
  const l = { device, sysfs_name: dm };
  b.gauge('node_dmmultipath_device_info', 'Non-numeric information about a DM-multipath device.', { device, sysfs_name: dm, uuid }, 1);
  b.gauge('node_dmmultipath_device_active', 'Whether the multipath device-mapper device is active (1) or suspended (0).', l, suspended ? 0 : 1);
  b.gauge('node_dmmultipath_device_size_bytes', 'Size of the multipath device in bytes, read from /sys/block/<dm>/size.', l, size);
  let active = 0;
  for (const p of paths) {
    if (isPathActive(p.state)) active++;
    b.gauge('node_dmmultipath_path_state', 'Reports the underlying device state for a multipath path, as read from /sys/block/<dev>/device/state.', { device, path: p.path, state: p.state }, 1);
  }
  b.gauge('node_dmmultipath_device_paths', 'Number of paths for a multipath device.', l, paths.length);
  b.gauge('node_dmmultipath_device_paths_active', 'Number of paths in active state (SCSI running or NVMe live) for a multipath device.', l, active);
  b.gauge('node_dmmultipath_device_paths_failed', 'Number of paths not in active state for a multipath device.', l, paths.length - active);
}

/** Returns node_exporter's dmmultipath families for the multipath dm devices under <sysfs>/block. */
export function dmmultipathFamilies(ctx: CollectorContext): MetricFamily[] {
  let devices: string[];
  try {
    devices = listDir(ctx.sysPath, 'block').filter((n) => n.startsWith('dm-'));
  } catch (e) {
    if (isMissing(e)) throw new RxporterError('RXP_NO_DATA', 'Could not read DM-multipath devices', false, { cause: e });
    throw e;
  }
  const b = new FamilyBuilder();
  for (const dm of devices) {
    const gone = b.addDevice((one) => addDevice(ctx.sysPath, one, dm), isMissing);
    if (gone !== undefined) ctx.log.debug('dm device vanished', { collector: 'dmmultipath', device: dm, error: (gone as Error).message });
  }
  return b.families();
}

/** The dmmultipath collector (default on): DM-multipath devices and their paths. */
export const dmmultipath = syncCollector('dmmultipath', true, dmmultipathFamilies);

/** The dmmultipath collector's registration. */
export const dmmultipathDefinition = simpleDefinition(dmmultipath);
