import { map, mergeMap } from 'rxjs';
import { gauge, type MetricFamily } from '../model/family';
import { parseMeminfo, type MeminfoField } from '../procfs/meminfo';
import { readProc } from '../procfs/read';
import { simpleDefinition, type Collector } from './types';

/** Returns one `node_memory_<key>` gauge per /proc/meminfo field. */
export const meminfoFamilies = (fields: readonly MeminfoField[]): MetricFamily[] =>
  fields.map((f) =>
    gauge(`node_memory_${f.key}`, `Memory information field ${f.key}.`, [{ labels: {}, value: f.value }]),
  );

/** The meminfo collector: memory statistics from <procfs>/meminfo. */
export const meminfo: Collector = {
  name: 'meminfo',
  defaultEnabled: true,
  collect: (ctx) => readProc(ctx.procPath, 'meminfo').pipe(map(parseMeminfo), mergeMap(meminfoFamilies)),
};

/** The meminfo collector's registration. */
export const meminfoDefinition = simpleDefinition(meminfo);
