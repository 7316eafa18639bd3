import { defer, from, Observable } from 'rxjs';
import type { MetricFamily, Sample } from '../model/family';
import { isMissing, listDir } from '../procfs/listDir';
import { parseNetStatFile, type NetStatFile } from '../procfs/lnstat';
import { readProcText } from '../procfs/read';
import { simpleDefinition, type Collector } from './types';

/** Returns node_lnstat_<header>_total counters, labelled by file (subsystem) and CPU line. */
export function lnstatFamilies(files: readonly { name: string; stat: NetStatFile }[]): MetricFamily[] {
  const byName = new Map<string, Sample[]>();
  for (const { name, stat } of files) {
    for (const [header, values] of stat.stats) {
      const fam = `node_lnstat_${header}_total`;
      let samples = byName.get(fam);
      if (!samples) byName.set(fam, (samples = []));
      values.forEach((value, cpu) => samples!.push({ labels: { subsystem: name, cpu: String(cpu) }, value }));
    }
  }
  return [...byName].map(([name, samples]) => ({ name, help: 'linux network cache stats', type: 'counter', samples }));
}

/** The lnstat collector: the per-CPU network cache counters of <procfs>/net/stat/*. */
export const lnstat: Collector = {
  name: 'lnstat',
  defaultEnabled: false,
  collect: (ctx): Observable<MetricFamily> =>
    defer(() => {
      const files: { name: string; stat: NetStatFile }[] = [];
      for (const name of listDir(ctx.procPath, 'net/stat')) {
        let text: string;
        try {
          text = readProcText(ctx.procPath, `net/stat/${name}`);
        } catch (e) {
          if (!isMissing(e)) throw e;
          ctx.log.debug('file vanished before it was read', { collector: 'lnstat', file: name });
          continue;
        }
        files.push({ name, stat: parseNetStatFile(text) });
      }
      return from(lnstatFamilies(files));
    }),
};

/** The lnstat collector's registration (off by default, as in node_exporter). */
export const lnstatDefinition = simpleDefinition(lnstat);
