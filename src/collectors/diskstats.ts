import { statSync } from 'node:fs';
import { join } from 'node:path';
import { RxporterError } from '../errors';
import type { MetricFamily } from '../model/family';
import { parseDiskstats } from '../procfs/diskstats';
import { readProcText } from '../procfs/read';
import { parseFloat64, parseUint } from '../sysfs/parse';
import { isMissing } from '../sysfs/read';
import { parseUdevData } from '../sysfs/udev';
import { FamilyBuilder } from './familyBuilder';
import { syncCollector } from './syncCollector';
import type { Collector, CollectorContext, CollectorDefinition } from './types';

/** node_exporter's default `--collector.diskstats.device-exclude`. */
export const DEFAULT_DISKSTATS_EXCLUDE = '^(z?ram|loop|fd|(h|s|v|xv)d[a-z]|nvme\\d+n\\d+p)\\d+$';

const TICK = 1 / 1000; // the kernel counts these times in milliseconds
const SECTOR = 512; // diskstats sectors are always 512 bytes

/** The per-counter families in /proc/diskstats order: name, help, type, scale. */
const COUNTERS: readonly (readonly [string, string, 'counter' | 'gauge', number])[] = [
  ['reads_completed_total', 'The total number of reads completed successfully.', 'counter', 1],
  ['reads_merged_total', 'The total number of reads merged.', 'counter', 1],
  ['read_bytes_total', 'The total number of bytes read successfully.', 'counter', SECTOR],
  ['read_time_seconds_total', 'The total number of seconds spent by all reads.', 'counter', TICK],
  ['writes_completed_total', 'The total number of writes completed successfully.', 'counter', 1],
  ['writes_merged_total', 'The number of writes merged.', 'counter', 1],
  ['written_bytes_total', 'The total number of bytes written successfully.', 'counter', SECTOR],
  ['write_time_seconds_total', 'This is the total number of seconds spent by all writes.', 'counter', TICK],
  ['io_now', 'The number of I/Os currently in progress.', 'gauge', 1],
  ['io_time_seconds_total', 'Total seconds spent doing I/Os.', 'counter', TICK],
  ['io_time_weighted_seconds_total', 'The weighted # of seconds spent doing I/Os.', 'counter', TICK],
  ['discards_completed_total', 'The total number of discards completed successfully.', 'counter', 1],
  ['discards_merged_total', 'The total number of discards merged.', 'counter', 1],
  ['discarded_sectors_total', 'The total number of sectors discarded successfully.', 'counter', 1],
  ['discard_time_seconds_total', 'This is the total number of seconds spent by all discards.', 'counter', TICK],
  ['flush_requests_total', 'The total number of flush requests completed successfully', 'counter', 1],
  ['flush_requests_time_seconds_total', 'This is the total number of seconds spent by all flush requests.', 'counter', TICK],
];

const ATA: readonly (readonly [string, string, string])[] = [
  ['ID_ATA_WRITE_CACHE', 'node_disk_ata_write_cache', 'ATA disk has a write cache.'],
  ['ID_ATA_WRITE_CACHE_ENABLED', 'node_disk_ata_write_cache_enabled', 'ATA disk has its write cache enabled.'],
  ['ID_ATA_ROTATION_RATE_RPM', 'node_disk_ata_rotation_rate_rpm', 'ATA disk rotation rate in RPMs (0 for SSDs).'],
];

/** Options of the diskstats collector (node_exporter's flags). */
export interface DiskstatsOptions {
  /** Regexp of devices to exclude; '' for none. */
  readonly deviceExclude: string;
  /** Regexp of devices to include; '' for all. */
  readonly deviceInclude: string;
}

/** Returns a device filter: true when the device is to be skipped. */
export function diskstatsFilter(o: DiskstatsOptions): (device: string) => boolean {
  const ex = o.deviceExclude !== '' ? new RegExp(o.deviceExclude) : undefined;
  const inc = o.deviceInclude !== '' ? new RegExp(o.deviceInclude) : undefined;
  return (d) => (ex !== undefined && ex.test(d)) || (inc !== undefined && !inc.test(d));
}

/** Returns the "rotational" label: "1" only when queue/rotational reads 1. */
function rotational(sysPath: string, device: string): string {
  try {
    return parseUint(readProcText(sysPath, `block/${device}/queue/rotational`).trim()) === 1 ? '1' : '0';
  } catch {
    return '0';
  }
}

/** Returns node_exporter's diskstats families for the devices the filter keeps. */
export function diskstatsFamilies(ctx: CollectorContext, ignored: (device: string) => boolean, udev: boolean): MetricFamily[] {
  const b = new FamilyBuilder();
  for (const d of parseDiskstats(readProcText(ctx.procPath, 'diskstats'))) {
    const device = d.device;
    if (ignored(device)) continue;
    let info = new Map<string, string>();
    if (udev) {
      try {
        info = parseUdevData(readProcText(ctx.udevDataPath, `b${d.major}:${d.minor}`));
      } catch (e) {
        ctx.log.debug('Failed to parse udev info', { collector: 'diskstats', device, error: (e as Error).message });
      }
    }
    const p = (k: string) => info.get(k) ?? '';
    const serial = p('SCSI_IDENT_SERIAL') || p('ID_SERIAL_SHORT') || p('ID_SERIAL');
    b.gauge('node_disk_info', 'Info of /sys/block/<block_device>.', {
      device,
      major: String(d.major),
      minor: String(d.minor),
      path: p('ID_PATH'),
      wwn: p('ID_WWN'),
      model: p('ID_MODEL'),
      serial,
      revision: p('ID_REVISION'),
      rotational: rotational(ctx.sysPath, device),
    }, 1);
    const n = Math.min(d.counters.length, COUNTERS.length);
    for (let i = 0; i < n; i++) {
      const [name, help, type, scale] = COUNTERS[i];
      b.add(`node_disk_${name}`, help, type, { device }, d.counters[i] * scale);
    }
    if (p('ID_FS_TYPE') !== '') {
      b.gauge('node_disk_filesystem_info', 'Info about disk filesystem.', {
        device,
        type: p('ID_FS_TYPE'),
        usage: p('ID_FS_USAGE'),
        uuid: p('ID_FS_UUID'),
        version: p('ID_FS_VERSION'),
      }, 1);
    }
    if (p('DM_NAME') !== '') {
      b.gauge('node_disk_device_mapper_info', 'Info about disk device mapper.', {
        device,
        name: p('DM_NAME'),
        uuid: p('DM_UUID'),
        vg_name: p('DM_VG_NAME'),
        lv_name: p('DM_LV_NAME'),
        lv_layer: p('DM_LV_LAYER'),
      }, 1);
    }
    if (p('ID_ATA') !== '') {
      for (const [key, name, help] of ATA) {
        const raw = info.get(key);
        if (raw === undefined) {
          ctx.log.debug('Udev attribute does not exist', { collector: 'diskstats', attribute: key });
          continue;
        }
        const v = parseFloat64(raw);
        if (Number.isNaN(v) && raw.toLowerCase() !== 'nan') {
          ctx.log.error('Failed to parse ATA value', { collector: 'diskstats', device, attribute: key, value: raw });
          continue;
        }
        b.gauge(name, help, { device }, v);
      }
    }
  }
  return b.families();
}

/** Returns the diskstats collector: /proc/diskstats plus udev properties of each kept device. */
export function createDiskstatsCollector(o: DiskstatsOptions): Collector {
  const ignored = diskstatsFilter(o);
  let warned = false;
  return syncCollector('diskstats', true, (ctx) => {
    let udev = false;
    try {
      udev = statSync(ctx.udevDataPath).isDirectory();
    } catch {
      udev = false;
    }
    if (!udev && !warned) {
      warned = true;
      ctx.log.error('Failed to open directory, disabling udev device properties', { collector: 'diskstats', path: ctx.udevDataPath });
    }
    try {
      return diskstatsFamilies(ctx, ignored, udev);
    } catch (e) {
      if (isMissing(e)) throw new RxporterError('RXP_PROC_MISSING', `couldn't get diskstats: ${join(ctx.procPath, 'diskstats')} missing`, false, { cause: e });
      throw e;
    }
  });
}

/**
 * Resolves node_exporter's three filter flags to one exclude and one include pattern:
 * the deprecated ignored-devices stands in for an unset device-exclude; device-include
 * drops the default exclude; an explicit exclude with an include is a configuration error.
 */
export function resolveDiskstatsOptions(o: Readonly<Record<string, unknown>>): DiskstatsOptions {
  let exclude = String(o.deviceExclude ?? DEFAULT_DISKSTATS_EXCLUDE);
  const include = String(o.deviceInclude ?? '');
  const old = String(o.ignoredDevices ?? '');
  const excludeSet = exclude !== DEFAULT_DISKSTATS_EXCLUDE;
  if (old !== '') {
    if (excludeSet) {
      throw new RxporterError('RXP_CONFIG', '--collector.diskstats.ignored-devices and --collector.diskstats.device-exclude are mutually exclusive');
    }
    exclude = old;
  }
  if (include !== '') {
    if ((excludeSet || old !== '') && exclude !== '') throw new RxporterError('RXP_CONFIG', 'diskstats: device-exclude & device-include are mutually exclusive');
    exclude = '';
  }
  return { deviceExclude: exclude, deviceInclude: include };
}

/** The diskstats collector's registration, with node_exporter's flags. */
export const diskstatsDefinition: CollectorDefinition = {
  name: 'diskstats',
  defaultEnabled: true,
  options: {
    deviceExclude: {
      doc: 'Regexp of diskstats devices to exclude (mutually exclusive to device-include).',
      format: 'regexp-source',
      default: DEFAULT_DISKSTATS_EXCLUDE,
      arg: 'collector.diskstats.device-exclude',
    },
    deviceInclude: {
      doc: 'Regexp of diskstats devices to include (mutually exclusive to device-exclude).',
      format: 'regexp-source',
      default: '',
      arg: 'collector.diskstats.device-include',
    },
    ignoredDevices: {
      doc: 'DEPRECATED: Use collector.diskstats.device-exclude',
      format: 'regexp-source',
      default: '',
      arg: 'collector.diskstats.ignored-devices',
    },
  },
  create: (o) => createDiskstatsCollector(resolveDiskstatsOptions(o)),
};
