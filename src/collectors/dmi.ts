import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { RxporterError } from '../errors';
import type { MetricFamily } from '../model/family';
import { readAttrBytes, trimSpaceBytes } from '../sysfs/attr';
import { toValidUtf8 } from '../sysfs/hwmon';
import { defer, from } from 'rxjs';
import type { Collector, CollectorContext, CollectorDefinition } from './types';

/** DMI files → node_dmi_info label names. */
const LABELS: Readonly<Record<string, string>> = {
  bios_date: 'bios_date',
  bios_release: 'bios_release',
  bios_vendor: 'bios_vendor',
  bios_version: 'bios_version',
  board_asset_tag: 'board_asset_tag',
  board_name: 'board_name',
  board_serial: 'board_serial',
  board_vendor: 'board_vendor',
  board_version: 'board_version',
  chassis_asset_tag: 'chassis_asset_tag',
  chassis_serial: 'chassis_serial',
  chassis_vendor: 'chassis_vendor',
  chassis_version: 'chassis_version',
  product_family: 'product_family',
  product_name: 'product_name',
  product_serial: 'product_serial',
  product_sku: 'product_sku',
  product_uuid: 'product_uuid',
  product_version: 'product_version',
  sys_vendor: 'system_vendor',
};

const HELP =
  "A metric with a constant '1' value labeled by bios_date, bios_release, bios_vendor, bios_version, " +
  'board_asset_tag, board_name, board_serial, board_vendor, board_version, chassis_asset_tag, ' +
  'chassis_serial, chassis_vendor, chassis_version, product_family, product_name, product_serial, ' +
  'product_sku, product_uuid, product_version, system_vendor if provided by DMI.';

/**
 * Returns the node_dmi_info labels from <sysfs>/class/dmi/id: one per readable file
 * (root-only files such as product_serial are left out when unreadable). {} without DMI.
 */
export function readDmiLabels(sysPath: string): Record<string, string> {
  const dir = join(sysPath, 'class', 'dmi', 'id');
  let entries;
  try {
    entries = readdirSync(dir, { withFileTypes: true });
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    if (code === 'ENOENT' || code === 'ENOTDIR') return {};
    throw new RxporterError('RXP_PROC_READ', `${dir}: ${(e as Error).message}`, false, { cause: e });
  }
  const labels: Record<string, string> = {};
  for (const f of entries) {
    const label = LABELS[f.name];
    if (!f.isFile() || label === undefined) continue;
    try {
      labels[label] = toValidUtf8(trimSpaceBytes(readAttrBytes(join(dir, f.name))));
    } catch (e) {
      const code = (e as NodeJS.ErrnoException).code;
      if (code === 'EACCES' || code === 'EPERM') continue;
      throw new RxporterError('RXP_PROC_READ', `${join(dir, f.name)}: ${(e as Error).message}`, false, { cause: e });
    }
  }
  return labels;
}

/**
 * Returns the dmi collector. DMI data cannot change while the system runs, so it is read
 * once (on the first successful scrape, as node_exporter reads it once at start).
 */
export function createDmiCollector(): Collector {
  let labels: Record<string, string> | undefined;
  return {
    name: 'dmi',
    defaultEnabled: true,
    collect: (ctx: CollectorContext) =>
      defer(() => {
        labels ??= readDmiLabels(ctx.sysPath);
        if (Object.keys(labels).length === 0) throw new RxporterError('RXP_NO_DATA', 'Platform does not support Desktop Management Interface (DMI) information');
        const family: MetricFamily = { name: 'node_dmi_info', help: HELP, type: 'gauge', samples: [{ labels, value: 1 }] };
        return from([family]);
      }),
  };
}

/** The dmi collector's registration. */
export const dmiDefinition: CollectorDefinition = { name: 'dmi', defaultEnabled: true, create: () => createDmiCollector() };
