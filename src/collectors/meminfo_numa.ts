import { join } from 'node:path';
import { defer, from } from 'rxjs';
import type { MetricFamily, Sample } from '../model/family';
import { readProcText } from '../procfs/read';
import { nodeNumber, parseNodeMeminfo, parseNodeNumastat, type NumaValue } from '../sysfs/node';
import { globNumbered, isMissingError } from '../sysfs/sysAttr';
import { simpleDefinition, type Collector, type CollectorContext } from './types';

/** Where NUMA nodes live under sysfs. */
const NODE_DIR = 'devices/system/node';

/** Returns one node_memory_numa_<name> family per value name, labelled by node. */
export function meminfoNumaFamilies(values: readonly NumaValue[]): MetricFamily[] {
  const byName = new Map<string, { name: string; help: string; type: NumaValue['type']; samples: Sample[] }>();
  for (const v of values) {
    let f = byName.get(v.name);
    if (!f) byName.set(v.name, (f = { name: `node_memory_numa_${v.name}`, help: `Memory information field ${v.name}.`, type: v.type, samples: [] }));
    f.samples.push({ labels: { node: v.node }, value: v.value });
  }
  return [...byName.values()];
}

/** Returns the meminfo and numastat values of every NUMA node; a node that vanished while read is skipped. */
export function readNumaValues(ctx: CollectorContext): NumaValue[] {
  const out: NumaValue[] = [];
  const base = join(ctx.sysPath, NODE_DIR);
  for (const dir of globNumbered(ctx.sysPath, NODE_DIR, 'node')) {
    let meminfo: string;
    let numastat: string;
    try {
      meminfo = readProcText(base, `${dir}/meminfo`);
      numastat = readProcText(base, `${dir}/numastat`);
    } catch (e) {
      if (!isMissingError(e)) throw e;
      ctx.log.debug('NUMA node vanished while read; skipped', { collector: 'meminfo_numa', node: dir });
      continue;
    }
    out.push(...parseNodeMeminfo(meminfo), ...parseNodeNumastat(numastat, nodeNumber(dir)));
  }
  return out;
}

/** The meminfo_numa collector: per-node memory statistics from <sysfs>/devices/system/node. */
export const meminfoNuma: Collector = {
  name: 'meminfo_numa',
  defaultEnabled: false,
  collect: (ctx) => defer(() => from(meminfoNumaFamilies(readNumaValues(ctx)))),
};

/** The meminfo_numa collector's registration. */
export const meminfoNumaDefinition = simpleDefinition(meminfoNuma);
