import type { Labels, MetricFamily } from '../model/family';

const escapeLabelValue = (s: string): string =>
  s.indexOf('\\') < 0 && s.indexOf('\n') < 0 && s.indexOf('"') < 0
    ? s
    : s.replace(/\\/g, '\\\\').replace(/\n/g, '\\n').replace(/"/g, '\\"');

/** Returns a sample value in text-format syntax; JavaScript's shortest form parses back exactly. */
const num = (v: number): string => (v === v ? (v === Infinity ? '+Inf' : v === -Infinity ? '-Inf' : String(v)) : 'NaN');

/**
 * Returns the families as Prometheus text lines with a millisecond timestamp each, for
 * VictoriaMetrics' `/api/v1/import/prometheus` (no HELP/TYPE: the importer ignores them).
 * `base` labels are added to every sample; a sample's own label of the same name wins. A
 * label whose value is empty is never written (it means "no label" to Prometheus and
 * VictoriaMetrics; remote-write 1.0 forbids it): an empty own value leaves the base label.
 *
 *   node_load1{nodeName="n1",dc="fra1"} 0.25 1700000000000
 */
export function encodeVmImport(families: readonly MetricFamily[], timestampMs: number, base: Labels): string {
  const ts = ` ${Math.round(timestampMs)}\n`;
  const baseNames = Object.keys(base).filter((n) => base[n] !== '');
  let basePart = '';
  for (const n of baseNames) basePart += `${basePart ? ',' : ''}${n}="${escapeLabelValue(base[n])}"`;
  let out = '';
  for (const f of families) {
    for (const s of f.samples) {
      const name = s.name ?? f.name;
      const l = s.labels;
      let own = '';
      let clash = false;
      for (const n in l) {
        if (l[n] === '') continue;
        if (n in base) clash = true;
        own += `,${n}="${escapeLabelValue(l[n])}"`;
      }
      let labels: string;
      if (!clash) labels = basePart === '' ? (own === '' ? '' : `{${own.slice(1)}}`) : `{${basePart}${own}}`;
      else {
        // Rare: a sample label overrides a base label of the same name.
        let merged = '';
        for (const n of baseNames) if (!l[n]) merged += `,${n}="${escapeLabelValue(base[n])}"`;
        merged += own;
        labels = `{${merged.slice(1)}}`;
      }
      out += `${name}${labels} ${num(s.value)}${ts}`;
    }
  }
  return out;
}

/** Returns the number of samples in `families`. */
export const countSamples = (families: readonly MetricFamily[]): number => {
  let n = 0;
  for (const f of families) n += f.samples.length;
  return n;
};
