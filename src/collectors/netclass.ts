import { defer, from, Observable } from 'rxjs';
import type { Log } from '../log/types';
import type { MetricFamily, Sample } from '../model/family';
import { listNetClassDevices, readNetClassIface, type NetClassIface } from '../sysfs/netClass';
import { isMissing } from '../sysfs/read';
import { orNoData } from './networkFilters';
import type { Collector, CollectorDefinition } from './types';

/** Numeric properties exported as node_network_<name>: [metric name, attribute, type]. */
const PROPERTIES: readonly [string, string, 'gauge' | 'counter'][] = [
  ['address_assign_type', 'addr_assign_type', 'gauge'],
  ['carrier', 'carrier', 'gauge'],
  ['carrier_changes_total', 'carrier_changes', 'counter'],
  ['carrier_up_changes_total', 'carrier_up_count', 'counter'],
  ['carrier_down_changes_total', 'carrier_down_count', 'counter'],
  ['device_id', 'dev_id', 'gauge'],
  ['dormant', 'dormant', 'gauge'],
  ['flags', 'flags', 'gauge'],
  ['iface_id', 'ifindex', 'gauge'],
  ['iface_link', 'iflink', 'gauge'],
  ['iface_link_mode', 'link_mode', 'gauge'],
  ['mtu_bytes', 'mtu', 'gauge'],
  ['name_assign_type', 'name_assign_type', 'gauge'],
  ['net_dev_group', 'netdev_group', 'gauge'],
  ['transmit_queue_length', 'tx_queue_len', 'gauge'],
  ['protocol_type', 'type', 'gauge'],
];

/** The attributes netclassFamilies uses: only these are read (no use reading phys_port_id & co). */
const USED_ATTRS: readonly string[] = [
  ...PROPERTIES.map(([, attr]) => attr),
  'speed',
  'operstate',
  'address',
  'broadcast',
  'duplex',
  'ifalias',
].sort();

/** Returns "up" when IFF_UP is set in the flags, "down" when not, "unknown" without flags. */
export const adminState = (flags: number | undefined): string => (flags === undefined ? 'unknown' : flags % 2 === 1 || flags % 2 === -1 ? 'up' : 'down');

/**
 * Returns node_exporter's netclass families: node_network_up, node_network_info and one
 * gauge or counter per numeric property; speed in bytes/s, left out when negative and
 * `ignoreInvalidSpeed`.
 */
export function netclassFamilies(ifaces: readonly NetClassIface[], ignoreInvalidSpeed: boolean): MetricFamily[] {
  const fams = new Map<string, { help: string; type: 'gauge' | 'counter'; samples: Sample[] }>();
  const push = (name: string, help: string, type: 'gauge' | 'counter', s: Sample) => {
    let f = fams.get(name);
    if (!f) fams.set(name, (f = { help, type, samples: [] }));
    f.samples.push(s);
  };
  const prop = (name: string) => `Network device property: ${name}`;
  for (const i of ifaces) {
    const device = i.name;
    const text = (k: string) => i.texts.get(k) ?? '';
    const operstate = text('operstate');
    push('up', "Value is 1 if operstate is 'up', 0 otherwise.", 'gauge', { labels: { device }, value: operstate === 'up' ? 1 : 0 });
    push('info', 'Non-numeric data from /sys/class/net/<iface>, value is always 1.', 'gauge', {
      labels: {
        device,
        address: text('address'),
        broadcast: text('broadcast'),
        duplex: text('duplex'),
        operstate,
        adminstate: adminState(i.ints.get('flags')),
        ifalias: text('ifalias'),
      },
      value: 1,
    });
    for (const [name, attr, type] of PROPERTIES.slice(0, 14)) {
      const v = i.ints.get(attr);
      if (v !== undefined) push(name, prop(name), type, { labels: { device }, value: v });
    }
    const speed = i.ints.get('speed');
    if (speed !== undefined && (speed >= 0 || !ignoreInvalidSpeed)) {
      // Go's int64 arithmetic: speed*1000*1000/8, truncated toward zero.
      push('speed_bytes', prop('speed_bytes'), 'gauge', { labels: { device }, value: Math.trunc((speed * 1000 * 1000) / 8) });
    }
    for (const [name, attr, type] of PROPERTIES.slice(14)) {
      const v = i.ints.get(attr);
      if (v !== undefined) push(name, prop(name), type, { labels: { device }, value: v });
    }
  }
  return [...fams].map(([name, f]) => ({ name: `node_network_${name}`, help: f.help, type: f.type, samples: f.samples }));
}

/** Returns the interfaces of <sysfs>/class/net not ignored; one that vanishes meanwhile is skipped. */
export function readNetClass(sysPath: string, ignored: RegExp, log: Log): NetClassIface[] {
  const out: NetClassIface[] = [];
  for (const dev of listNetClassDevices(sysPath)) {
    if (ignored.test(dev)) continue;
    try {
      out.push(readNetClassIface(sysPath, dev, USED_ATTRS));
    } catch (e) {
      if (!isMissing(e)) throw e;
      log.debug('device vanished while being read', { collector: 'netclass', device: dev });
    }
  }
  return out;
}

/** Options of the netclass collector (node_exporter's flags). */
export interface NetclassOptions {
  readonly ignoredDevices: string;
  readonly ignoreInvalidSpeed: boolean;
  /** node_exporter's --collector.netclass.netlink; Node cannot use netlink, so sysfs is read either way. */
  readonly netlink?: boolean;
}

/**
 * Returns the netclass collector: interface properties from <sysfs>/class/net. Without
 * that directory the cycle reports RXP_NO_DATA, as node_exporter does.
 */
export function createNetclassCollector(o: NetclassOptions): Collector {
  const ignored = new RegExp(o.ignoredDevices);
  let warned = false;
  return {
    name: 'netclass',
    defaultEnabled: true,
    collect: (ctx): Observable<MetricFamily> =>
      defer(() => {
        if (o.netlink && !warned) {
          warned = true;
          ctx.log.warn('netlink is not available to Node.js: reading /sys/class/net instead', { collector: 'netclass' });
        }
        const ifaces = orNoData(() => readNetClass(ctx.sysPath, ignored, ctx.log), 'Could not read netclass file');
        return from(netclassFamilies(ifaces, o.ignoreInvalidSpeed));
      }),
  };
}

/** The netclass collector's registration, with node_exporter's flags. */
export const netclassDefinition: CollectorDefinition = {
  name: 'netclass',
  defaultEnabled: true,
  options: {
    ignoredDevices: { doc: 'Regexp of net devices to ignore for netclass collector.', format: 'regexp-source', default: '^$', arg: 'collector.netclass.ignored-devices' },
    ignoreInvalidSpeed: { doc: 'Ignore devices where the speed is invalid. This will be the default behavior in 2.x.', format: 'bool', default: false, arg: 'collector.netclass.ignore-invalid-speed' },
    netlink: { doc: 'Use netlink to gather stats instead of /proc/net/dev (not available to Node.js: sysfs is read).', format: 'bool', default: false, arg: 'collector.netclass.netlink' },
  },
  create: (o) =>
    createNetclassCollector({ ignoredDevices: String(o.ignoredDevices ?? '^$'), ignoreInvalidSpeed: o.ignoreInvalidSpeed === true, netlink: o.netlink === true }),
};
