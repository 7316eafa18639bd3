import { RxporterError } from '../errors';
import { fields, goFloat, scanLines, trimSpace } from '../procfs/goStrconv';

/** One value of a NUMA node's meminfo or numastat. */
export interface NumaValue {
  /** node_exporter's name: "Active_anon", "numa_hit_total". */
  readonly name: string;
  readonly node: string;
  readonly value: number;
  readonly type: 'gauge' | 'counter';
}

/** Returns "Active(anon)" as "Active_anon", as node_exporter's `\((.*)\)` → `_$1`. */
function renameParens(metric: string): string {
  const open = metric.indexOf('(');
  const close = metric.lastIndexOf(')');
  return open >= 0 && close > open ? `${metric.slice(0, open)}_${metric.slice(open + 1, close)}${metric.slice(close + 1)}` : metric;
}

/**
 * Returns the values of a node's /sys/devices/system/node/nodeN/meminfo, kB turned into
 * bytes, the node label taken from each line.
 *   "Node 0 Active(anon):   2240144 kB" → { name: "Active_anon", node: "0", value: 2293907456 }
 * Throws RXP_PROC_PARSE quoting a line that is short, has an odd unit or a non-number.
 */
export function parseNodeMeminfo(text: string): NumaValue[] {
  const out: NumaValue[] = [];
  for (const raw of scanLines(text)) {
    const line = trimSpace(raw);
    if (line === '') continue;
    const parts = fields(line);
    const v = parts.length >= 4 ? goFloat(parts[3]) : { ok: false, value: NaN };
    if (!v.ok || !(parts.length === 4 || (parts.length === 5 && parts[4] === 'kB'))) {
      throw new RxporterError('RXP_PROC_PARSE', `node meminfo: invalid line ${JSON.stringify(line)}`);
    }
    let name = parts[2];
    while (name.endsWith(':')) name = name.slice(0, -1);
    out.push({ name: renameParens(name), node: parts[1], value: parts.length === 5 ? v.value * 1024 : v.value, type: 'gauge' });
  }
  return out;
}

/**
 * Returns the counters of a node's numastat, each name suffixed `_total`.
 *   "numa_hit 193460335812" → { name: "numa_hit_total", node, value: 193460335812 }
 * Throws RXP_PROC_PARSE quoting a line without exactly two fields or with a non-number.
 */
export function parseNodeNumastat(text: string, node: string): NumaValue[] {
  const out: NumaValue[] = [];
  for (const raw of scanLines(text)) {
    const line = trimSpace(raw);
    if (line === '') continue;
    const parts = fields(line);
    const v = parts.length === 2 ? goFloat(parts[1]) : { ok: false, value: NaN };
    if (!v.ok) throw new RxporterError('RXP_PROC_PARSE', `node numastat: invalid line ${JSON.stringify(line)}`);
    out.push({ name: `${parts[0]}_total`, node, value: v.value, type: 'counter' });
  }
  return out;
}

/** Returns the node number of a "node12" directory name (its leading digits after "node"). */
export function nodeNumber(dir: string): string {
  let e = 4;
  while (e < dir.length && dir.charCodeAt(e) >= 48 && dir.charCodeAt(e) <= 57) e++;
  return dir.slice(4, e);
}
