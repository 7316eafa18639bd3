import { networkInterfaces } from 'node:os';
import { defer, from, Observable } from 'rxjs';
import { RxporterError } from '../errors';
import type { Log } from '../log/types';
import type { MetricFamily, Sample } from '../model/family';
import { parseNetDev } from '../procfs/netDev';
import { readProcText } from '../procfs/read';
import { listNetClassDevices, readAttribute, readNetStatistics } from '../sysfs/netClass';
import { isMissing } from '../sysfs/read';
import { createDeviceFilter, type DeviceFilter } from './networkFilters';
import type { Collector, CollectorContext, CollectorDefinition } from './types';

/** Per-device counters keyed by node_exporter's statistic names (before the legacy renames). */
export type NetDevStats = Map<string, Map<string, number>>;

/** rtnl_link_stats64 field (sysfs statistics file) → node_exporter's netlink statistic name. */
const LINK_STATS: readonly [string, string][] = [
  ['rx_packets', 'receive_packets'], ['tx_packets', 'transmit_packets'], ['rx_bytes', 'receive_bytes'],
  ['tx_bytes', 'transmit_bytes'], ['rx_errors', 'receive_errors'], ['tx_errors', 'transmit_errors'],
  ['rx_dropped', 'receive_dropped'], ['tx_dropped', 'transmit_dropped'], ['multicast', 'multicast'],
  ['collisions', 'collisions'], ['rx_length_errors', 'receive_length_errors'], ['rx_over_errors', 'receive_over_errors'],
  ['rx_crc_errors', 'receive_crc_errors'], ['rx_frame_errors', 'receive_frame_errors'], ['rx_fifo_errors', 'receive_fifo_errors'],
  ['rx_missed_errors', 'receive_missed_errors'], ['tx_aborted_errors', 'transmit_aborted_errors'],
  ['tx_carrier_errors', 'transmit_carrier_errors'], ['tx_fifo_errors', 'transmit_fifo_errors'],
  ['tx_heartbeat_errors', 'transmit_heartbeat_errors'], ['tx_window_errors', 'transmit_window_errors'],
  ['rx_compressed', 'receive_compressed'], ['tx_compressed', 'transmit_compressed'], ['rx_nohandler', 'receive_nohandler'],
];

const STAT_FILES = LINK_STATS.map(([file]) => file);

/**
 * Returns the statistics netlink would give (RTM_GETLINK's rtnl_link_stats64), read from
 * <liveSys>/class/net/<dev>/statistics. Node cannot open netlink sockets; the kernel
 * exports the same struct per device in sysfs. Like netlink, this is the live network
 * namespace, whatever --path.sysfs says. A device that vanishes meanwhile is skipped.
 */
export function readLinkStats(liveSys: string, filter: DeviceFilter, log: Log): NetDevStats {
  const out: NetDevStats = new Map();
  for (const dev of listNetClassDevices(liveSys)) {
    if (filter.ignored(dev)) continue;
    let raw: Map<string, number>;
    try {
      raw = readNetStatistics(liveSys, dev, STAT_FILES);
    } catch (e) {
      if (!isMissing(e)) throw e;
      log.debug('device vanished while being read', { collector: 'netdev', device: dev });
      continue;
    }
    const stats = new Map<string, number>();
    for (const [file, key] of LINK_STATS) stats.set(key, raw.get(file) ?? 0);
    out.set(dev, stats);
  }
  return out;
}

/**
 * Returns netlink's statistics folded as node_exporter folds them by default, cheaply: the
 * live /proc/net/dev holds the same kernel counters already summed the same way
 * (net-procfs.c), in one read; only rx_nohandler, which it lacks, is read per device
 * from <liveSys>/class/net/<dev>/statistics. A device gone meanwhile is skipped.
 */
export function readLinkStatsFolded(liveProc: string, liveSys: string, filter: DeviceFilter, log: Log): NetDevStats {
  const out = readProcNetDev(liveProc, filter);
  for (const [dev, m] of out) {
    try {
      m.set('receive_nohandler', readNetStatistics(liveSys, dev, ['rx_nohandler']).get('rx_nohandler') ?? 0);
    } catch (e) {
      if (!isMissing(e)) throw e;
      log.debug('device vanished while being read', { collector: 'netdev', device: dev });
      out.delete(dev);
    }
  }
  return out;
}

/** Returns the statistics of <procfs>/net/dev (node_exporter's --no-collector.netdev.netlink). */
export function readProcNetDev(procPath: string, filter: DeviceFilter): NetDevStats {
  const out: NetDevStats = new Map();
  for (const line of parseNetDev(readProcText(procPath, 'net/dev'))) {
    if (filter.ignored(line.name)) continue;
    out.set(line.name, new Map(Object.entries(line.stats)));
  }
  return out;
}

const pop = (m: Map<string, number>, k: string): number | undefined => {
  const v = m.get(k);
  m.delete(k);
  return v;
};
const popz = (m: Map<string, number>, k: string): number => pop(m, k) ?? 0;

/**
 * Renames and folds the statistics in place into /proc/net/dev's historic names, as
 * node_exporter does unless --collector.netdev.enable-detailed-metrics (the sums follow
 * the kernel's net-procfs.c).
 */
export function legacyNetDevNames(m: Map<string, number>): void {
  const move = (from: string, to: string, extra: readonly string[] = []) => {
    const v = pop(m, from);
    if (v !== undefined) m.set(to, extra.reduce((s, k) => s + popz(m, k), v));
  };
  move('receive_errors', 'receive_errs');
  move('receive_dropped', 'receive_drop', ['receive_missed_errors']);
  move('receive_fifo_errors', 'receive_fifo');
  move('receive_frame_errors', 'receive_frame', ['receive_length_errors', 'receive_over_errors', 'receive_crc_errors']);
  move('multicast', 'receive_multicast');
  move('transmit_errors', 'transmit_errs');
  move('transmit_dropped', 'transmit_drop');
  move('transmit_fifo_errors', 'transmit_fifo');
  move('collisions', 'transmit_colls');
  move('transmit_carrier_errors', 'transmit_carrier', ['transmit_aborted_errors', 'transmit_heartbeat_errors', 'transmit_window_errors']);
}

/** Returns node_network_<stat>_total counters, labelled by device (and ifalias when given). */
export function netdevFamilies(stats: NetDevStats, detailed: boolean, ifAliases?: ReadonlyMap<string, string>): MetricFamily[] {
  const fams = new Map<string, Sample[]>();
  for (const [dev, m] of stats) {
    if (!detailed) legacyNetDevNames(m);
    const alias = ifAliases?.get(dev);
    const labels: Record<string, string> = alias === undefined ? { device: dev } : { device: dev, ifalias: alias };
    for (const [key, value] of m) {
      let s = fams.get(key);
      if (!s) fams.set(key, (s = []));
      s.push({ labels, value });
    }
  }
  return [...fams].map(([key, samples]) => ({
    name: `node_network_${key}_total`,
    help: `Network device statistic ${key}.`,
    type: 'counter',
    samples,
  }));
}

/** Returns the scope node_exporter gives an address: link-local, interface-local, global or "". */
export function addressScope(address: string, family: 'IPv4' | 'IPv6'): string {
  const a = address.toLowerCase();
  if (family === 'IPv4') {
    const [o1, o2] = a.split('.').map(Number);
    if (o1 === 127 || (o1 === 169 && o2 === 254)) return 'link-local';
    if (o1 === 224 && o2 === 0 && a.split('.')[2] === '0') return 'link-local';
    if (o1 >= 224 || o1 === 0) return '';
    return 'global';
  }
  if (a === '::1' || /^fe[89ab]/.test(a) || /^ff[0-9a-f]2:/.test(a)) return 'link-local';
  if (/^ff[0-9a-f]1:/.test(a)) return 'interface-local';
  if (a === '::' || a.startsWith('ff')) return '';
  return 'global';
}

/** Returns node_network_address_info from the host's interface addresses (os.networkInterfaces). */
export function addressInfoFamily(filter: DeviceFilter): MetricFamily {
  const samples: Sample[] = [];
  for (const [device, addrs] of Object.entries(networkInterfaces())) {
    if (filter.ignored(device) || !addrs) continue;
    for (const a of addrs) {
      const cidr = a.cidr ?? '';
      const netmask = cidr.slice(cidr.lastIndexOf('/') + 1);
      const family = a.family === 'IPv4' ? 'IPv4' : 'IPv6';
      samples.push({ labels: { device, address: a.address, netmask, scope: addressScope(a.address, family) }, value: 1 });
    }
  }
  return { name: 'node_network_address_info', help: 'node network address by device', type: 'gauge', samples };
}

/** Options of the netdev collector (node_exporter's flags). */
export interface NetdevOptions {
  readonly deviceInclude: string;
  readonly deviceExclude: string;
  /** node_exporter's --collector.netdev.netlink (default true): live statistics, see readLinkStats. */
  readonly netlink: boolean;
  readonly labelIfAlias: boolean;
  readonly addressInfo: boolean;
  readonly detailedMetrics: boolean;
  /** Where the live sysfs is for netlink mode (default "/sys"; tests point it elsewhere). */
  readonly liveSysPath?: string;
  /** Where the live procfs is for netlink mode (default "/proc"; tests point it elsewhere). */
  readonly liveProcPath?: string;
}

/** Returns the netdev collector: per-interface traffic counters. */
export function createNetdevCollector(o: NetdevOptions): Collector {
  if (o.deviceInclude !== '' && o.deviceExclude !== '') {
    throw new RxporterError('RXP_CONFIG', 'netdev: device-exclude & device-include are mutually exclusive');
  }
  const filter = createDeviceFilter(o.deviceExclude, o.deviceInclude);
  const collect = (ctx: CollectorContext): MetricFamily[] => {
    const liveSys = o.liveSysPath ?? '/sys';
    const stats = !o.netlink
      ? readProcNetDev(ctx.procPath, filter)
      : o.detailedMetrics
        ? readLinkStats(liveSys, filter, ctx.log)
        : readLinkStatsFolded(o.liveProcPath ?? '/proc', liveSys, filter, ctx.log);
    let aliases: Map<string, string> | undefined;
    if (o.labelIfAlias) {
      aliases = new Map();
      for (const dev of listNetClassDevices(ctx.sysPath)) aliases.set(dev, readAttribute(ctx.sysPath, `class/net/${dev}/ifalias`) ?? '');
    }
    const fams = netdevFamilies(stats, o.detailedMetrics, aliases);
    if (o.addressInfo) fams.push(addressInfoFamily(filter));
    return fams;
  };
  return { name: 'netdev', defaultEnabled: true, collect: (ctx): Observable<MetricFamily> => defer(() => from(collect(ctx))) };
}

const flag = (doc: string, arg: string, def = false) => ({ doc, format: 'bool', default: def, arg });

/** The netdev collector's registration, with node_exporter's flags (the deprecated white/blacklist ones included). */
export const netdevDefinition: CollectorDefinition = {
  name: 'netdev',
  defaultEnabled: true,
  options: {
    deviceInclude: { doc: 'Regexp of net devices to include (mutually exclusive to device-exclude).', format: 'regexp-source', default: '', arg: 'collector.netdev.device-include' },
    deviceWhitelist: { doc: 'DEPRECATED: Use collector.netdev.device-include', format: 'regexp-source', default: '', arg: 'collector.netdev.device-whitelist' },
    deviceExclude: { doc: 'Regexp of net devices to exclude (mutually exclusive to device-include).', format: 'regexp-source', default: '', arg: 'collector.netdev.device-exclude' },
    deviceBlacklist: { doc: 'DEPRECATED: Use collector.netdev.device-exclude', format: 'regexp-source', default: '', arg: 'collector.netdev.device-blacklist' },
    addressInfo: flag('Collect address-info for every device', 'collector.netdev.address-info'),
    enableDetailedMetrics: flag('Use (incompatible) metric names that provide more detailed stats on Linux', 'collector.netdev.enable-detailed-metrics'),
    netlink: flag('Use netlink to gather stats instead of /proc/net/dev (read from the live /sys/class/net/*/statistics, the same kernel counters).', 'collector.netdev.netlink', true),
    labelIfalias: flag('Add ifAlias label', 'collector.netdev.label-ifalias'),
  },
  create: (o) => {
    const pick = (now: unknown, old: unknown, what: string): string => {
      const n = String(now ?? '');
      const d = String(old ?? '');
      if (d === '') return n;
      if (n !== '') throw new RxporterError('RXP_CONFIG', `--collector.netdev.device-${what === 'include' ? 'whitelist' : 'blacklist'} and --collector.netdev.device-${what} are mutually exclusive`);
      return d;
    };
    return createNetdevCollector({
      deviceInclude: pick(o.deviceInclude, o.deviceWhitelist, 'include'),
      deviceExclude: pick(o.deviceExclude, o.deviceBlacklist, 'exclude'),
      netlink: o.netlink !== false,
      labelIfAlias: o.labelIfalias === true,
      addressInfo: o.addressInfo === true,
      detailedMetrics: o.enableDetailedMetrics === true,
    });
  },
};
