import { defer, from, Observable } from 'rxjs';
import type { MetricFamily } from '../model/family';
import { parseNetstatPairs, parseSnmp6, type ProtocolStats } from '../procfs/netstat';
import { readProcText } from '../procfs/read';
import { isMissing } from '../sysfs/read';
import type { Collector, CollectorDefinition } from './types';

/** node_exporter's default --collector.netstat.fields. */
export const DEFAULT_NETSTAT_FIELDS =
  '^(.*_(InErrors|InErrs)|Ip_Forwarding|Ip(6|Ext)_(InOctets|OutOctets)|Icmp6?_(InMsgs|OutMsgs)|TcpExt_(Listen.*|Syncookies.*|TCPSynRetrans|TCPTimeouts|TCPOFOQueue|TCPRcvQDrop)|Tcp_(ActiveOpens|InSegs|OutSegs|OutRsts|PassiveOpens|RetransSegs|CurrEstab)|Udp6?_(InDatagrams|OutDatagrams|NoPorts|RcvbufErrors|SndbufErrors))$';

/** Returns one untyped node_netstat_<Protocol>_<Field> family per field whose key matches `fields`. */
export function netstatFamilies(
  stats: ReadonlyMap<string, ProtocolStats>,
  fields: RegExp,
  /** Filter decisions by protocol and field (a fixed set per kernel), kept across scrapes. */
  cache: Map<string, Map<string, string | null>> = new Map(),
): MetricFamily[] {
  const out: MetricFamily[] = [];
  for (const [protocol, m] of stats) {
    let known = cache.get(protocol);
    if (!known) cache.set(protocol, (known = new Map()));
    for (const [name, value] of m) {
      let family = known.get(name);
      if (family === undefined) {
        const key = `${protocol}_${name}`;
        family = fields.test(key) ? `node_netstat_${key}` : null;
        if (known.size < 4096) known.set(name, family);
      }
      if (family === null) continue;
      out.push({ name: family, help: `Statistic ${protocol}${name}.`, type: 'untyped', samples: [{ labels: {}, value }] });
    }
  }
  return out;
}

/**
 * Returns the netstat collector: <procfs>/net/netstat, net/snmp and net/snmp6 (the last
 * may be absent when IPv6 is off), fields filtered by --collector.netstat.fields.
 */
export function createNetstatCollector(fields: string): Collector {
  const re = new RegExp(fields);
  const cache = new Map<string, Map<string, string | null>>();
  return {
    name: 'netstat',
    defaultEnabled: true,
    collect: (ctx): Observable<MetricFamily> =>
      defer(() => {
        const all = parseNetstatPairs(readProcText(ctx.procPath, 'net/netstat'), 'net/netstat');
        // Later files replace a protocol of the same name, as node_exporter merges them.
        for (const [k, v] of parseNetstatPairs(readProcText(ctx.procPath, 'net/snmp'), 'net/snmp')) all.set(k, v);
        let snmp6: string | undefined;
        try {
          snmp6 = readProcText(ctx.procPath, 'net/snmp6');
        } catch (e) {
          if (!isMissing(e)) throw e;
        }
        if (snmp6 !== undefined) for (const [k, v] of parseSnmp6(snmp6)) all.set(k, v);
        return from(netstatFamilies(all, re, cache));
      }),
  };
}

/** The netstat collector's registration, with node_exporter's --collector.netstat.fields. */
export const netstatDefinition: CollectorDefinition = {
  name: 'netstat',
  defaultEnabled: true,
  options: {
    fields: { doc: 'Regexp of fields to return for netstat collector.', format: 'regexp-source', default: DEFAULT_NETSTAT_FIELDS, arg: 'collector.netstat.fields' },
  },
  create: (o) => createNetstatCollector(String(o.fields ?? DEFAULT_NETSTAT_FIELDS)),
};
