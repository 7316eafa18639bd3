import { defer, from, Observable } from 'rxjs';
import { gauge, type MetricFamily } from '../model/family';
import { parseArp, type ArpEntry } from '../procfs/arp';
import { readProcText } from '../procfs/read';
import { createDeviceFilter, deviceFilterOptions, type DeviceFilter } from './networkFilters';
import type { Collector, CollectorDefinition } from './types';

/** Returns node_arp_entries: the number of entries per device the filter keeps. */
export function arpFamilies(entries: readonly ArpEntry[], filter: DeviceFilter): MetricFamily[] {
  const counts = new Map<string, number>();
  for (const e of entries) counts.set(e.device, (counts.get(e.device) ?? 0) + 1);
  const samples = [...counts].filter(([d]) => !filter.ignored(d)).map(([device, value]) => ({ labels: { device }, value }));
  return samples.length > 0 ? [gauge('node_arp_entries', 'ARP entries by device', samples)] : [];
}

/** Options of the arp collector (node_exporter's flags). */
export interface ArpOptions {
  readonly deviceInclude: string;
  readonly deviceExclude: string;
  /** node_exporter's --collector.arp.netlink (default true): the live neighbour table, see createArpCollector. */
  readonly netlink: boolean;
  /** Where the live procfs is for netlink mode (default "/proc"; tests point it elsewhere). */
  readonly liveProcPath?: string;
}

/**
 * Returns the arp collector. With --no-collector.arp.netlink it counts <procfs>/net/arp.
 * In netlink mode node_exporter asks the live kernel for IPv4 neighbours (RTM_GETNEIGH)
 * and drops NOARP ones; Node.js cannot open netlink, so rxporter reads the live
 * /proc/net/arp, which the kernel fills from the same table with NOARP entries skipped
 * (whatever --path.procfs says, as netlink ignores it too).
 */
export function createArpCollector(o: ArpOptions): Collector {
  const filter = createDeviceFilter(o.deviceExclude, o.deviceInclude);
  return {
    name: 'arp',
    defaultEnabled: true,
    collect: (ctx): Observable<MetricFamily> =>
      defer(() => from(arpFamilies(parseArp(readProcText(o.netlink ? (o.liveProcPath ?? '/proc') : ctx.procPath, 'net/arp')), filter))),
  };
}

/** The arp collector's registration, with node_exporter's flags. */
export const arpDefinition: CollectorDefinition = {
  name: 'arp',
  defaultEnabled: true,
  options: {
    ...deviceFilterOptions('arp', 'arp devices'),
    netlink: { doc: 'Use netlink to gather stats instead of /proc/net/arp (read from the live /proc/net/arp).', format: 'bool', default: true, arg: 'collector.arp.netlink' },
  },
  create: (o) =>
    createArpCollector({ deviceInclude: String(o.deviceInclude ?? ''), deviceExclude: String(o.deviceExclude ?? ''), netlink: o.netlink !== false }),
};
