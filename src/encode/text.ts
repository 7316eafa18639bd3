import type { Labels, MetricFamily, Sample } from '../model/family';
import { formatValue } from './number';

/** Content type of the Prometheus text format 0.0.4. */
export const TEXT_CONTENT_TYPE = 'text/plain; version=0.0.4; charset=utf-8';
/** Content type of OpenMetrics 1.0.0. */
export const OPENMETRICS_CONTENT_TYPE = 'application/openmetrics-text; version=1.0.0; charset=utf-8';

const escapeHelp = (s: string): string =>
  s.indexOf('\\') < 0 && s.indexOf('\n') < 0 ? s : s.replace(/\\/g, '\\\\').replace(/\n/g, '\\n');

const escapeLabelValue = (s: string): string =>
  s.indexOf('\\') < 0 && s.indexOf('\n') < 0 && s.indexOf('"') < 0
    ? s
    : s.replace(/\\/g, '\\\\').replace(/\n/g, '\\n').replace(/"/g, '\\"');

const byteCompare = (a: string, b: string): number => (a < b ? -1 : a > b ? 1 : 0);

/** A family whose samples carry their label names sorted, ready to print. */
interface Prepared {
  readonly family: MetricFamily;
  readonly samples: readonly { readonly names: readonly string[]; readonly sample: Sample }[];
}

const labelKey = (names: readonly string[], l: Labels): string => {
  let k = '';
  for (const n of names) k += `${n}\u0000${l[n]}\u0000`;
  return k;
};

/**
 * Returns the families merged by name, sorted by name, their samples sorted by label
 * values (in label-name order) and without duplicate series — as client_golang gathers.
 */
export function normalizeFamilies(families: readonly MetricFamily[], extraLabels?: Labels): Prepared[] {
  const byName = new Map<string, MetricFamily[]>();
  for (const f of families) {
    const list = byName.get(f.name);
    if (list) list.push(f);
    else byName.set(f.name, [f]);
  }
  const names = [...byName.keys()].sort(byteCompare);
  const extra = extraLabels && Object.keys(extraLabels).length > 0 ? extraLabels : undefined;
  return names.map((name) => {
    const group = byName.get(name)!;
    const seen = new Set<string>();
    const samples: { names: string[]; sample: Sample; key: string }[] = [];
    for (const f of group) {
      for (const s of f.samples) {
        const sample = extra ? { labels: { ...extra, ...s.labels }, value: s.value } : s;
        const ln = Object.keys(sample.labels).sort(byteCompare);
        const key = labelKey(ln, sample.labels);
        if (seen.has(key)) continue; // a duplicate series would make the exposition invalid
        seen.add(key);
        samples.push({ names: ln, sample, key });
      }
    }
    if (samples.length > 1) {
      samples.sort((a, b) => {
        const n = Math.min(a.names.length, b.names.length);
        for (let i = 0; i < n; i++) {
          const c = byteCompare(a.sample.labels[a.names[i]], b.sample.labels[b.names[i]]);
          if (c !== 0) return c;
        }
        return a.names.length - b.names.length;
      });
    }
    return { family: group[0], samples };
  });
}

const writeLabels = (names: readonly string[], l: Labels): string => {
  if (names.length === 0) return '';
  let s = '{';
  for (let i = 0; i < names.length; i++) {
    if (i > 0) s += ',';
    s += `${names[i]}="${escapeLabelValue(l[names[i]])}"`;
  }
  return `${s}}`;
};

/** Returns the families in the Prometheus text exposition format 0.0.4. */
export function encodeText(families: readonly MetricFamily[], extraLabels?: Labels): string {
  const out: string[] = [];
  for (const { family, samples } of normalizeFamilies(families, extraLabels)) {
    out.push(`# HELP ${family.name} ${escapeHelp(family.help)}\n# TYPE ${family.name} ${family.type}\n`);
    for (const { names, sample } of samples) {
      out.push(`${family.name}${writeLabels(names, sample.labels)} ${formatValue(sample.value)}\n`);
    }
  }
  return out.join('');
}

/**
 * Returns the families in OpenMetrics 1.0.0 text: counters are named without `_total`
 * in their metadata and with it on samples, untyped becomes unknown, `# EOF` ends it.
 */
export function encodeOpenMetrics(families: readonly MetricFamily[], extraLabels?: Labels): string {
  const out: string[] = [];
  for (const { family, samples } of normalizeFamilies(families, extraLabels)) {
    let meta = family.name;
    let sampleName = family.name;
    if (family.type === 'counter') {
      if (meta.endsWith('_total')) meta = meta.slice(0, -6);
      sampleName = `${meta}_total`;
    }
    const type = family.type === 'untyped' ? 'unknown' : family.type;
    out.push(`# HELP ${meta} ${escapeHelp(family.help)}\n# TYPE ${meta} ${type}\n`);
    for (const { names, sample } of samples) {
      out.push(`${sampleName}${writeLabels(names, sample.labels)} ${formatValue(sample.value)}\n`);
    }
  }
  out.push('# EOF\n');
  return out.join('');
}

/** Returns true when an Accept header prefers OpenMetrics over the classic text format. */
export function acceptsOpenMetrics(accept: string | undefined): boolean {
  if (!accept) return false;
  let best = -1;
  let bestText = -1;
  for (const part of accept.split(',')) {
    const [type, ...params] = part.trim().split(';').map((p) => p.trim());
    let q = 1;
    for (const p of params) if (p.startsWith('q=')) q = Number(p.slice(2)) || 0;
    if (type === 'application/openmetrics-text') best = Math.max(best, q);
    else if (type === 'text/plain' || type === '*/*') bestText = Math.max(bestText, q);
  }
  return best > 0 && best >= bestText;
}
