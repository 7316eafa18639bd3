import { RxporterError } from '../errors';
import type { MetricFamily } from '../model/family';
import { readProcText } from '../procfs/read';
import { parseUint } from '../sysfs/parse';
import { isMissing, listDir } from '../sysfs/read';
import { FamilyBuilder } from './familyBuilder';
import { syncCollector } from './syncCollector';
import { simpleDefinition, type CollectorContext } from './types';

const NAMESPACE = /nvme\d+n(\d+)/;

/** Reads a count as procfs does for namespaces: an unparsable value is 0. */
const count = (text: string): number => {
  const v = parseUint(text.trim());
  return Number.isNaN(v) ? 0 : v;
};

/** Adds one controller's families. */
function addDevice(sys: string, b: FamilyBuilder, device: string): void {
  const dir = `class/nvme/${device}`;
  const read = (f: string) => readProcText(sys, `${dir}/${f}`).trim();
  b.gauge('node_nvme_info', 'Non-numeric data from /sys/class/nvme/<device>, value is always 1.', {
    device,
    firmware_revision: read('firmware_rev'),
    model: read('model'),
    serial: read('serial'),
    state: read('state'),
    cntlid: read('cntlid'),
  }, 1);
  for (const entry of listDir(sys, dir)) {
    const m = NAMESPACE.exec(entry);
    if (!m) continue;
    const nsid = m[1];
    const ns = `${entry}`;
    const used = count(read(`${ns}/nuse`));
    const size = count(read(`${ns}/size`));
    const lbs = count(read(`${ns}/queue/logical_block_size`));
    let ana = 'unknown';
    try {
      ana = read(`${ns}/ana_state`);
    } catch {
      // not a multipath namespace
    }
    const l = { device, nsid };
    b.gauge('node_nvme_namespace_info', 'Information about NVMe namespaces. Value is always 1', { device, nsid, ana_state: ana }, 1);
    b.gauge('node_nvme_namespace_capacity_bytes', 'Capacity of the NVMe namespace in bytes. Computed as namespace_size * namespace_logical_block_size', l, size * lbs);
    b.gauge('node_nvme_namespace_size_bytes', 'Size of the NVMe namespace in bytes. Available in /sys/class/nvme/<device>/<namespace>/size', l, size * lbs);
    b.gauge('node_nvme_namespace_used_bytes', 'Used space of the NVMe namespace in bytes. Available in /sys/class/nvme/<device>/<namespace>/nuse', l, used * lbs);
    b.gauge(
      'node_nvme_namespace_logical_block_size_bytes',
      'Logical block size of the NVMe namespace in bytes. Usually 4Kb. Available in /sys/class/nvme/<device>/<namespace>/queue/logical_block_size',
      l,
      lbs,
    );
  }
}

/** Returns node_exporter's nvme families for <sysfs>/class/nvme; RXP_NO_DATA without it. */
export function nvmeFamilies(ctx: CollectorContext): MetricFamily[] {
  let devices: string[];
  try {
    devices = listDir(ctx.sysPath, 'class/nvme');
  } catch (e) {
    if (isMissing(e)) throw new RxporterError('RXP_NO_DATA', 'nvme statistics not found, skipping', false, { cause: e });
    throw e;
  }
  const b = new FamilyBuilder();
  for (const device of devices) {
    const gone = b.addDevice((one) => addDevice(ctx.sysPath, one, device), isMissing);
    if (gone !== undefined) ctx.log.debug('nvme device vanished', { collector: 'nvme', device, error: (gone as Error).message });
  }
  return b.families();
}

/** The nvme collector (default on): NVMe controllers and namespaces. */
export const nvme = syncCollector('nvme', true, nvmeFamilies);

/** The nvme collector's registration. */
export const nvmeDefinition = simpleDefinition(nvme);
