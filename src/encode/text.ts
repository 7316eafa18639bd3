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

const NO_NAMES: readonly string[] = [];

/**
 * Returns the label names of `l` sorted: `prev` (the previous sample's) when they are the
 * same names, as they nearly always are within a family, so no array is built for them.
 */
function sortedNames(l: Labels, prev: readonly string[]): readonly string[] {
  let n = 0;
  let same = true;
  for (const k in l) {
    if (n >= prev.length || (prev[n] !== k && !prev.includes(k))) {
      same = false;
      break;
    }
    n++;
  }
  if (same && n === prev.length) return prev;
  const names = Object.keys(l);
  return names.length === 0 ? NO_NAMES : names.sort(byteCompare);
}

/** Compares two samples as client_golang sorts them: by label values in label-name order. */
const compareSamples = (a: Sample, an: readonly string[], b: Sample, bn: readonly string[]): number => {
  const n = an.length < bn.length ? an.length : bn.length;
  for (let i = 0; i < n; i++) {
    const c = byteCompare(a.labels[an[i]], b.labels[bn[i]]);
    if (c !== 0) return c;
  }
  return an.length - bn.length;
};

/** Returns true when two samples are the same series (same label names and values). */
const sameSeries = (a: Sample, an: readonly string[], b: Sample, bn: readonly string[]): boolean => {
  if (an.length !== bn.length) return false;
  for (let i = 0; i < an.length; i++) if (an[i] !== bn[i] || a.labels[an[i]] !== b.labels[bn[i]]) return false;
  return true;
};

/**
 * Calls `each` for every family name in byte order with the samples of all families of
 * that name, sorted by label values (in label-name order) and without duplicate series
 * (the first is kept), each with its sorted label names — as client_golang gathers.
 * Samples that arrive in order (most collectors emit them so) are not sorted again, and
 * the arrays handed to `each` are reused: `each` must not keep them.
 */
function eachNormalized(
  families: readonly MetricFamily[],
  extraLabels: Labels | undefined,
  each: (family: MetricFamily, samples: readonly Sample[], names: readonly (readonly string[])[]) => void,
): void {
  const order = families.slice().sort((a, b) => byteCompare(a.name, b.name)); // stable: same-name families keep their order
  const extra = extraLabels && Object.keys(extraLabels).length > 0 ? extraLabels : undefined;
  const samples: Sample[] = [];
  const names: (readonly string[])[] = [];
  for (let i = 0; i < order.length; ) {
    const family = order[i];
    samples.length = 0;
    names.length = 0;
    let prev = NO_NAMES;
    let ordered = true; // strictly increasing so far: sorted and without duplicates
    let j = i;
    for (; j < order.length && order[j].name === family.name; j++) {
      for (const s of order[j].samples) {
        const sample = extra ? { labels: { ...extra, ...s.labels }, value: s.value } : s;
        prev = sortedNames(sample.labels, prev);
        const k = samples.length;
        if (ordered && k > 0 && compareSamples(samples[k - 1], names[k - 1], sample, prev) >= 0) ordered = false;
        samples.push(sample);
        names.push(prev);
      }
    }
    i = j;
    if (ordered) {
      each(family, samples, names);
      continue;
    }
    const idx = samples.map((_, k) => k);
    idx.sort((a, b) => compareSamples(samples[a], names[a], samples[b], names[b]) || a - b);
    // A duplicate compares equal to its first, so both sit in one run of equal neighbours.
    const s2: Sample[] = [];
    const n2: (readonly string[])[] = [];
    let runStart = 0;
    for (let k = 0; k < idx.length; k++) {
      const x = idx[k];
      if (k > 0 && compareSamples(samples[idx[k - 1]], names[idx[k - 1]], samples[x], names[x]) !== 0) runStart = s2.length;
      let dup = false;
      for (let r = runStart; r < s2.length && !dup; r++) dup = sameSeries(s2[r], n2[r], samples[x], names[x]);
      if (dup) continue;
      s2.push(samples[x]);
      n2.push(names[x]);
    }
    each(family, s2, n2);
  }
}

/**
 * Returns the families merged by name, sorted by name, their samples sorted by label
 * values (in label-name order) and without duplicate series — as client_golang gathers.
 */
export function normalizeFamilies(families: readonly MetricFamily[], extraLabels?: Labels): Prepared[] {
  const out: Prepared[] = [];
  eachNormalized(families, extraLabels, (family, samples, names) =>
    out.push({ family, samples: samples.map((sample, i) => ({ names: names[i], sample })) }),
  );
  return out;
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
  let out = '';
  eachNormalized(families, extraLabels, (family, samples, names) => {
    out += `# HELP ${family.name} ${escapeHelp(family.help)}\n# TYPE ${family.name} ${family.type}\n`;
    for (let i = 0; i < samples.length; i++) {
      out += `${family.name}${writeLabels(names[i], samples[i].labels)} ${formatValue(samples[i].value)}\n`;
    }
  });
  return out;
}

/**
 * Returns the families in OpenMetrics 1.0.0 text: counters are named without `_total`
 * in their metadata and with it on samples, untyped becomes unknown, `# EOF` ends it.
 */
export function encodeOpenMetrics(families: readonly MetricFamily[], extraLabels?: Labels): string {
  let out = '';
  eachNormalized(families, extraLabels, (family, samples, names) => {
    let meta = family.name;
    let sampleName = family.name;
    if (family.type === 'counter') {
      if (meta.endsWith('_total')) meta = meta.slice(0, -6);
      sampleName = `${meta}_total`;
    }
    const type = family.type === 'untyped' ? 'unknown' : family.type;
    out += `# HELP ${meta} ${escapeHelp(family.help)}\n# TYPE ${meta} ${type}\n`;
    for (let i = 0; i < samples.length; i++) {
      out += `${sampleName}${writeLabels(names[i], samples[i].labels)} ${formatValue(samples[i].value)}\n`;
    }
  });
  return `${out}# EOF\n`;
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
