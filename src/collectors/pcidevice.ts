import { readFileSync } from 'node:fs';
import { basename, dirname } from 'node:path';
import { RxporterError } from '../errors';
import type { Log } from '../log/types';
import type { MetricFamily } from '../model/family';
import { readProcText } from '../procfs/read';
import { parseInt64, parseUint } from '../sysfs/parse';
import { parseIntBase0, parsePciIds, parsePciLinkSpeed, parsePciLocation, pciLocationLabels, type PciIds } from '../sysfs/pcidevice';
import { isMissing, listDir, readLink } from '../sysfs/read';
import { FamilyBuilder } from './familyBuilder';
import { syncCollector } from './syncCollector';
import type { Collector, CollectorContext, CollectorDefinition } from './types';

const DEVICES = 'bus/pci/devices';
const DEFAULT_IDS_PATHS = ['/usr/share/misc/pci.ids', '/usr/share/hwdata/pci.ids'];
const POWER_STATES = ['D0', 'D1', 'D2', 'D3hot', 'D3cold', 'unknown', 'error'];
const LOC = ['segment', 'bus', 'device', 'function'] as const;

const hexId = (v: number, width: number): string => `0x${(v >>> 0).toString(16).padStart(width, '0')}`;

/** Options of the pcidevice collector (node_exporter's flags). */
export interface PcideviceOptions {
  /** Resolve vendor, device, subsystem and class names from pci.ids. */
  readonly names: boolean;
  /** The pci.ids file; '' tries the usual system paths. */
  readonly idsFile: string;
}

/** Reads a sysfs attribute: trimmed text, undefined when missing. */
function attr(sys: string, rel: string): string | undefined {
  try {
    return readProcText(sys, rel).trim();
  } catch (e) {
    if (isMissing(e)) return undefined;
    throw e;
  }
}

const bad = (dev: string, file: string, v: string) => new RxporterError('RXP_PROC_PARSE', `pcidevice ${dev}: cannot parse ${file} ${JSON.stringify(v)}`);

/** Adds the families of one device; returns false when it vanished while being read. */
function addDevice(ctx: CollectorContext, b: FamilyBuilder, name: string, ids: PciIds | undefined): boolean {
  const sys = ctx.sysPath;
  const dir = `${DEVICES}/${name}`;
  const target = readLink(sys, dir);
  const loc = parsePciLocation(basename(target));
  if (!loc) throw new RxporterError('RXP_PROC_PARSE', `pcidevice: invalid device location ${JSON.stringify(basename(target))}`);
  const parentStr = basename(dirname(target));
  let parent: string[] = ['*', '*', '*', '*'];
  if (!parentStr.startsWith('pci')) {
    const p = parsePciLocation(parentStr);
    if (!p) throw new RxporterError('RXP_PROC_PARSE', `pcidevice: invalid parent location ${JSON.stringify(parentStr)}`);
    parent = pciLocationLabels(p);
  }
  const ident: number[] = [];
  for (const f of ['class', 'vendor', 'device', 'subsystem_vendor', 'subsystem_device', 'revision']) {
    const raw = readProcText(sys, `${dir}/${f}`).trim();
    const v = parseIntBase0(raw);
    if (Number.isNaN(v)) throw bad(name, f, raw);
    ident.push(v);
  }
  // Link widths and the NUMA node may read "Unknown…"; SR-IOV and power files only get trimmed.
  const num = (f: string, parse: (s: string) => number, unknownOk = false): number | undefined => {
    const raw = attr(sys, `${dir}/${f}`);
    if (raw === undefined || raw === '' || (unknownOk && raw.startsWith('Unknown'))) return undefined;
    const v = parse(raw);
    if (Number.isNaN(v)) throw bad(name, f, raw);
    return v;
  };
  const maxSpeed = (() => {
    const raw = attr(sys, `${dir}/max_link_speed`);
    return raw === undefined ? undefined : parsePciLinkSpeed(raw);
  })();
  const curSpeed = (() => {
    const raw = attr(sys, `${dir}/current_link_speed`);
    return raw === undefined ? undefined : parsePciLinkSpeed(raw);
  })();
  const maxWidth = num('max_link_width', parseInt64, true);
  const curWidth = num('current_link_width', parseInt64, true);
  const numa = num('numa_node', parseInt64, true);
  const autoprobe = num('sriov_drivers_autoprobe', parseInt64);
  const numvfs = num('sriov_numvfs', parseUint);
  num('sriov_offset', parseUint);
  num('sriov_stride', parseUint);
  const totalvfs = num('sriov_totalvfs', parseUint);
  num('sriov_vf_device', (s) => (/^[0-9a-fA-F]{1,8}$/.test(s) ? parseInt(s, 16) : NaN));
  const msix = num('sriov_vf_total_msix', parseUint);
  const d3cold = num('d3cold_allowed', parseInt64);
  const power = attr(sys, `${dir}/power_state`);

  const locValues = pciLocationLabels(loc);
  const locLabels: Record<string, string> = {};
  LOC.forEach((k, i) => (locLabels[k] = locValues[i]));
  const [cls, vendor, device, subVendor, subDevice, rev] = ident;
  const info: Record<string, string> = {
    ...locLabels,
    parent_segment: parent[0],
    parent_bus: parent[1],
    parent_device: parent[2],
    parent_function: parent[3],
    class_id: hexId(cls, 6),
    vendor_id: hexId(vendor, 4),
    device_id: hexId(device, 4),
    subsystem_vendor_id: hexId(subVendor, 4),
    subsystem_device_id: hexId(subDevice, 4),
    revision: hexId(rev, 2),
  };
  if (ids) {
    const v = info.vendor_id.slice(2).toLowerCase();
    const d = info.device_id.slice(2).toLowerCase();
    const sv = info.subsystem_vendor_id.slice(2).toLowerCase();
    const sd = info.subsystem_device_id.slice(2);
    const c = info.class_id.slice(2).toLowerCase();
    info.vendor_name = ids.vendors.get(v) ?? v;
    info.device_name = ids.devices.get(`${v}:${d}`) ?? d;
    info.subsystem_vendor_name = ids.vendors.get(sv) ?? sv;
    info.subsystem_device_name = ids.subsystems.get(`${v}:${d}:${info.subsystem_vendor_id.slice(2)}:${sd}`) ?? sd;
    info.class_name = ids.classes.get(c.slice(0, 6)) ?? ids.classes.get(c.slice(0, 4)) ?? ids.classes.get(c.slice(0, 2)) ?? `Unknown class (${c})`;
  }
  b.gauge('node_pcidevice_info', 'Non-numeric data from /sys/bus/pci/devices/<location>, value is always 1.', info, 1);
  b.gauge('node_pcidevice_max_link_transfers_per_second', "Value of maximum link's transfers per second (T/s)", locLabels, maxSpeed !== undefined ? maxSpeed * 1e9 : -1);
  b.gauge('node_pcidevice_max_link_width', "Value of maximum link's width (number of lanes)", locLabels, maxWidth ?? -1);
  b.gauge('node_pcidevice_current_link_transfers_per_second', "Value of current link's transfers per second (T/s)", locLabels, curSpeed !== undefined ? curSpeed * 1e9 : -1);
  b.gauge('node_pcidevice_current_link_width', "Value of current link's width (number of lanes)", locLabels, curWidth ?? -1);
  b.gauge('node_pcidevice_d3cold_allowed', 'Whether the PCIe device supports D3cold power state (0/1).', locLabels, d3cold !== undefined && d3cold !== 0 ? 1 : 0);
  b.gauge('node_pcidevice_sriov_drivers_autoprobe', 'Whether SR-IOV drivers autoprobe is enabled for the device (0/1).', locLabels, autoprobe !== undefined && autoprobe !== 0 ? 1 : 0);
  b.gauge('node_pcidevice_sriov_numvfs', 'Number of Virtual Functions (VFs) currently enabled for SR-IOV.', locLabels, numvfs ?? 0);
  b.gauge('node_pcidevice_sriov_totalvfs', 'Total number of Virtual Functions (VFs) supported by the device.', locLabels, totalvfs ?? 0);
  b.gauge('node_pcidevice_sriov_vf_total_msix', 'Total number of MSI-X vectors for Virtual Functions.', locLabels, msix ?? 0);
  if (power !== undefined && power !== '') {
    for (const state of POWER_STATES) {
      b.gauge('node_pcidevice_power_state', 'PCIe device power state, one of: D0, D1, D2, D3hot, D3cold, unknown or error.', { ...locLabels, state }, state === power ? 1 : 0);
    }
  }
  if (numa !== undefined && numa !== -1) {
    b.gauge('node_pcidevice_numa_node', 'NUMA node number for the PCI device. -1 indicates unknown or not available.', locLabels, numa);
  }
  return true;
}

/** Returns node_exporter's pcidevice families for <sysfs>/bus/pci/devices. */
export function pcideviceFamilies(ctx: CollectorContext, ids: PciIds | undefined): MetricFamily[] {
  let names: string[];
  try {
    names = listDir(ctx.sysPath, DEVICES);
  } catch (e) {
    if (isMissing(e)) throw new RxporterError('RXP_NO_DATA', 'PCI device not found, skipping', false, { cause: e });
    throw e;
  }
  const b = new FamilyBuilder();
  for (const name of names) {
    const gone = b.addDevice((one) => addDevice(ctx, one, name, ids), isMissing);
    if (gone !== undefined) ctx.log.debug('PCI device vanished', { collector: 'pcidevice', device: name });
  }
  return b.families();
}

/** Returns the pci.ids names, or empty tables (IDs shown instead) when no file can be read. */
export function loadPciIds(idsFile: string, log: Log): PciIds {
  for (const path of idsFile !== '' ? [idsFile] : DEFAULT_IDS_PATHS) {
    try {
      return parsePciIds(readFileSync(path, 'utf8'));
    } catch (e) {
      log.debug('Failed to open PCI IDs file', { collector: 'pcidevice', file: path, error: (e as Error).message });
    }
  }
  return { vendors: new Map(), devices: new Map(), subsystems: new Map(), classes: new Map() };
}

/** Returns the pcidevice collector; pci.ids is read once, on the first scrape, when names are on. */
export function createPcideviceCollector(o: PcideviceOptions): Collector {
  let ids: PciIds | undefined;
  return syncCollector('pcidevice', false, (ctx) => {
    if (o.names) ids ??= loadPciIds(o.idsFile, ctx.log);
    return pcideviceFamilies(ctx, ids);
  });
}

/** The pcidevice collector's registration (off by default), with node_exporter's flags. */
export const pcideviceDefinition: CollectorDefinition = {
  name: 'pcidevice',
  defaultEnabled: false,
  options: {
    idsfile: { doc: 'Path to pci.ids file to use for PCI device identification.', format: String, default: '', arg: 'collector.pcidevice.idsfile' },
    names: { doc: 'Enable PCI device name resolution (requires pci.ids file).', format: 'bool', default: false, arg: 'collector.pcidevice.names' },
  },
  create: (o) => createPcideviceCollector({ names: o.names === true, idsFile: String(o.idsfile ?? '') }),
};
