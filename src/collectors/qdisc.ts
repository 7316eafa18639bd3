import { defer, from, Observable } from 'rxjs';
import { RxporterError } from '../errors';
import type { MetricFamily, Sample } from '../model/family';
import { readProcText } from '../procfs/read';
import { createDeviceFilter, type DeviceFilter } from './networkFilters';
import type { Collector, CollectorDefinition } from './types';

/** One queueing discipline, as ema/qdisc's QdiscInfo. */
export interface QdiscInfo {
  readonly ifaceName: string;
  readonly parent: number;
  readonly kind: string;
  readonly bytes: number;
  readonly packets: number;
  readonly drops: number;
  readonly requeues: number;
  readonly overlimits: number;
  readonly qlen: number;
  readonly backlog: number;
}

const bad = (what: string) => new RxporterError('RXP_PROC_PARSE', `qdisc fixture results.json: ${what}`);

/**
 * Returns the qdiscs of a results.json fixture (a JSON array of QdiscInfo; keys matched
 * case-insensitively and missing numbers read as 0, as encoding/json does). Throws
 * RXP_PROC_PARSE on malformed JSON or a field of the wrong type.
 */
export function parseQdiscResults(text: string): QdiscInfo[] {
  let v: unknown;
  try {
    v = JSON.parse(text);
  } catch (e) {
    throw new RxporterError('RXP_PROC_PARSE', `qdisc fixture results.json: ${(e as Error).message}`, false, { cause: e });
  }
  if (v === null) return [];
  if (!Array.isArray(v)) throw bad('not a JSON array');
  return v.map((x): QdiscInfo => {
    const o = (x ?? {}) as Record<string, unknown>;
    if (typeof o !== 'object' || Array.isArray(o)) throw bad('array element is not an object');
    const get = (key: string): unknown => {
      if (key in o) return o[key];
      const k = Object.keys(o).find((n) => n.toLowerCase() === key.toLowerCase());
      return k === undefined ? undefined : o[k];
    };
    const num = (key: string): number => {
      const n = get(key);
      if (n === undefined || n === null) return 0;
      if (typeof n !== 'number' || !Number.isInteger(n) || n < 0) throw bad(`${key} is not an unsigned integer`);
      return n;
    };
    const str = (key: string): string => {
      const s = get(key);
      if (s === undefined || s === null) return '';
      if (typeof s !== 'string') throw bad(`${key} is not a string`);
      return s;
    };
    return {
      ifaceName: str('IfaceName'),
      parent: num('Parent'),
      kind: str('Kind'),
      bytes: num('Bytes'),
      packets: num('Packets'),
      drops: num('Drops'),
      requeues: num('Requeues'),
      overlimits: num('Overlimits'),
      qlen: num('Qlen'),
      backlog: num('Backlog'),
    };
  });
}

const FAMILIES: readonly [string, string, 'counter' | 'gauge', keyof QdiscInfo][] = [
  ['bytes_total', 'Number of bytes sent.', 'counter', 'bytes'],
  ['packets_total', 'Number of packets sent.', 'counter', 'packets'],
  ['drops_total', 'Number of packets dropped.', 'counter', 'drops'],
  ['requeues_total', 'Number of packets dequeued, not transmitted, and requeued.', 'counter', 'requeues'],
  ['overlimits_total', 'Number of overlimit packets.', 'counter', 'overlimits'],
  ['current_queue_length', 'Number of packets currently in queue to be sent.', 'gauge', 'qlen'],
  ['backlog', 'Number of bytes currently in queue to be sent.', 'gauge', 'backlog'],
];

/** Returns node_exporter's node_qdisc_* families for the root qdiscs (parent 0) of devices the filter keeps. */
export function qdiscFamilies(qdiscs: readonly QdiscInfo[], filter: DeviceFilter): MetricFamily[] {
  const kept = qdiscs.filter((q) => q.parent === 0 && !filter.ignored(q.ifaceName));
  return FAMILIES.map(([suffix, help, type, key]) => ({
    name: `node_qdisc_${suffix}`,
    help,
    type,
    samples: kept.map((q): Sample => ({ labels: { device: q.ifaceName, kind: q.kind }, value: q[key] as number })),
  })).filter((f) => f.samples.length > 0);
}

/** Options of the qdisc collector (node_exporter's flags). */
export interface QdiscOptions {
  readonly fixtures: string;
  readonly deviceInclude: string;
  readonly deviceExclude: string;
}

/**
 * Returns the qdisc collector. node_exporter lists qdiscs over rtnetlink, which Node.js
 * cannot open; rxporter serves them from --collector.qdisc.fixtures (upstream's
 * results.json) only, and reports RXP_NO_DATA without it.
 */
export function createQdiscCollector(o: QdiscOptions): Collector {
  if (o.deviceInclude !== '' && o.deviceExclude !== '') {
    throw new RxporterError('RXP_CONFIG', 'collector.qdisc.device-include and collector.qdisc.device-exclude are mutaly exclusive');
  }
  const filter = createDeviceFilter(o.deviceExclude, o.deviceInclude);
  return {
    name: 'qdisc',
    defaultEnabled: false,
    collect: (): Observable<MetricFamily> =>
      defer(() => {
        if (o.fixtures === '') throw new RxporterError('RXP_NO_DATA', 'qdisc: rtnetlink is not available to Node.js; only --collector.qdisc.fixtures is supported');
        return from(qdiscFamilies(parseQdiscResults(readProcText(o.fixtures, 'results.json')), filter));
      }),
  };
}

const pick = (now: unknown, old: unknown, what: string): string => {
  const n = String(now ?? '');
  const d = String(old ?? '');
  if (d === '') return n;
  if (n !== '') throw new RxporterError('RXP_CONFIG', `--collector.qdisk.device-${what} and --collector.qdisc.device-${what} are mutually exclusive`);
  return d;
};

/** The qdisc collector's registration, with node_exporter's flags (the deprecated qdisk ones included). */
export const qdiscDefinition: CollectorDefinition = {
  name: 'qdisc',
  defaultEnabled: false,
  options: {
    fixtures: { doc: 'test fixtures to use for qdisc collector end-to-end testing', format: String, default: '', arg: 'collector.qdisc.fixtures' },
    deviceInclude: { doc: 'Regexp of qdisc devices to include (mutually exclusive to device-exclude).', format: 'regexp-source', default: '', arg: 'collector.qdisc.device-include' },
    qdiskDeviceInclude: { doc: 'DEPRECATED: Use collector.qdisc.device-include', format: 'regexp-source', default: '', arg: 'collector.qdisk.device-include' },
    deviceExclude: { doc: 'Regexp of qdisc devices to exclude (mutually exclusive to device-include).', format: 'regexp-source', default: '', arg: 'collector.qdisc.device-exclude' },
    qdiskDeviceExclude: { doc: 'DEPRECATED: Use collector.qdisc.device-exclude', format: 'regexp-source', default: '', arg: 'collector.qdisk.device-exclude' },
  },
  create: (o) =>
    createQdiscCollector({
      fixtures: String(o.fixtures ?? ''),
      deviceInclude: pick(o.deviceInclude, o.qdiskDeviceInclude, 'include'),
      deviceExclude: pick(o.deviceExclude, o.qdiskDeviceExclude, 'exclude'),
    }),
};
