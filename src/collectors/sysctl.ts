import { defer, from } from 'rxjs';
import { RxporterError } from '../errors';
import { gauge, type MetricFamily } from '../model/family';
import { parseSysctlInts, parseSysctlStrings, sysctlPath } from '../procfs/sysctl';
import { readSysAttr } from '../sysfs/sysAttr';
import type { Collector, CollectorDefinition } from './types';

/** One selected sysctl: "name" or "name:key1,key2" (keys name the fields of a multi-value sysctl). */
export interface SysctlSpec {
  readonly name: string;
  readonly keys: readonly string[];
  /** true for --collector.sysctl.include (values), false for include-info (strings as labels). */
  readonly numeric: boolean;
}

/** Returns a spec from a flag value: "fs.file-nr:total,current,max" → keys total, current, max. */
export function parseSysctlSpec(include: string, numeric: boolean): SysctlSpec {
  const colon = include.indexOf(':');
  if (colon < 0) return { name: include, keys: [], numeric };
  return { name: include.slice(0, colon), keys: include.slice(colon + 1).split(','), numeric };
}

/** Returns node_exporter's SanitizeMetricName: each run of invalid characters (with the underscores around it) becomes "_". */
export function sanitizeMetricName(name: string): string {
  let out = '';
  let i = 0;
  const valid = (c: number) => (c >= 48 && c <= 57) || (c >= 65 && c <= 90) || (c >= 97 && c <= 122) || c === 95;
  while (i < name.length) {
    // Find the next invalid run, then absorb the underscores on both sides of it.
    let j = i;
    while (j < name.length && valid(name.charCodeAt(j))) j++;
    if (j >= name.length) {
      out += name.slice(i);
      break;
    }
    let start = j;
    while (start > i && name[start - 1] === '_') start--;
    let end = j;
    while (end < name.length && !valid(name.charCodeAt(end))) end++;
    while (end < name.length && name[end] === '_') end++;
    out += `${name.slice(i, start)}_`;
    i = end;
  }
  return out;
}

const SYSCTL_INFO_HELP = 'sysctl info';

/** Returns the families of one sysctl's values, or throws RXP_PROC_PARSE as node_exporter fails. */
export function sysctlFamilies(s: SysctlSpec, values: readonly number[] | readonly string[]): MetricFamily[] {
  const fail = (msg: string) => new RxporterError('RXP_PROC_PARSE', msg);
  const metric = `node_sysctl_${sanitizeMetricName(s.name)}`;
  if (values.length === 0) throw fail(`sysctl ${s.name} has no values`);
  if (values.length === 1) {
    if (s.keys.length > 0) throw fail(`sysctl ${s.name} has only one value, but expected ${s.keys.join(' ')}`);
    return s.numeric
      ? [{ name: metric, help: `sysctl ${s.name}`, type: 'untyped', samples: [{ labels: {}, value: values[0] as number }] }]
      : [gauge('node_sysctl_info', SYSCTL_INFO_HELP, [{ labels: { name: s.name, value: values[0] as string, index: '0' }, value: 1 }])];
  }
  if (s.keys.length === 0) {
    return s.numeric
      ? [{ name: metric, help: `sysctl ${s.name}`, type: 'untyped', samples: (values as number[]).map((value, i) => ({ labels: { index: String(i) }, value })) }]
      : [gauge('node_sysctl_info', SYSCTL_INFO_HELP, (values as string[]).map((value, i) => ({ labels: { name: s.name, value, index: String(i) }, value: 1 })))];
  }
  if (values.length !== s.keys.length) throw fail(`sysctl ${s.name} has ${values.length} keys but only ${s.keys.length} defined in flag`);
  if (!s.numeric) throw fail('mapped sysctl string values not supported');
  return (values as number[]).map((value, i) => ({
    name: `${metric}_${s.keys[i]}`,
    help: `sysctl ${s.name}, field ${i}`,
    type: 'untyped' as const,
    samples: [{ labels: {}, value }],
  }));
}

/** Returns the sysctl collector: the selected /proc/sys values as metrics or info labels. */
export function createSysctlCollector(specs: readonly SysctlSpec[]): Collector {
  return {
    name: 'sysctl',
    defaultEnabled: false,
    collect: (ctx) =>
      defer(() => {
        const out: MetricFamily[] = [];
        for (const s of specs) {
          // procfs reads sysctls as sysfs attributes: one read of at most 128 bytes.
          const text = readSysAttr(ctx.procPath, sysctlPath(s.name));
          out.push(...sysctlFamilies(s, s.numeric ? parseSysctlInts(text, s.name) : parseSysctlStrings(text)));
        }
        return from(out);
      }),
  };
}

// The config hands over a list: one item per flag, commas inside an item kept (config/flags.ts).
const list = (v: unknown): string[] => (Array.isArray(v) ? v.map(String) : []);

/** The sysctl collector's registration, with node_exporter's repeatable flags. */
export const sysctlDefinition: CollectorDefinition = {
  name: 'sysctl',
  defaultEnabled: false,
  options: {
    include: { doc: 'Select sysctl metrics to include (repeatable; name or name:key1,key2,…).', format: 'string-list', default: [], arg: 'collector.sysctl.include' },
    includeInfo: { doc: 'Select sysctl metrics to include as info metrics (repeatable).', format: 'string-list', default: [], arg: 'collector.sysctl.include-info' },
  },
  create: (o) =>
    createSysctlCollector([
      ...list(o.include).map((i) => parseSysctlSpec(i, true)),
      ...list(o.includeInfo).map((i) => parseSysctlSpec(i, false)),
    ]),
};
