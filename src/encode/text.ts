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

/** Returns a histogram or summary sample's rank within its metric: buckets/quantiles, then _sum, then _count. */
const seriesRank = (s: Sample): number => (s.name === undefined || s.name.endsWith('_bucket') ? 0 : s.name.endsWith('_sum') ? 1 : 2);

const boundOf = (v: string | undefined): number => (v === undefined ? 0 : v === '+Inf' ? Infinity : v === '-Inf' ? -Infinity : Number(v));

/**
 * Compares two samples of a histogram or summary as client_golang writes them: by the
 * metric's label values (without `le` / `quantile`), then buckets or quantiles by bound,
 * then `_sum`, then `_count`.
 */
const compareComposite = (a: Sample, an: readonly string[], b: Sample, bn: readonly string[]): number => {
  let i = 0;
  let j = 0;
  for (;;) {
    while (i < an.length && (an[i] === 'le' || an[i] === 'quantile')) i++;
    while (j < bn.length && (bn[j] === 'le' || bn[j] === 'quantile')) j++;
    if (i >= an.length || j >= bn.length) break;
    const c = byteCompare(a.labels[an[i]], b.labels[bn[j]]);
    if (c !== 0) return c;
    i++;
    j++;
  }
  const rest = (an.length - i) - (bn.length - j);
  if (rest !== 0) return rest;
  const r = seriesRank(a) - seriesRank(b);
  if (r !== 0) return r;
  const x = boundOf(a.labels.le ?? a.labels.quantile);
  const y = boundOf(b.labels.le ?? b.labels.quantile);
  return x < y ? -1 : x > y ? 1 : 0;
};

/**
 * Returns the label values of `samples` by column (`[i][k]`: the value of the i-th label name
 * of sample k) when every sample has the same label names (`names` holds one array for them,
 * as sortedNames hands out), else undefined. Sorting by columns compares as compareSamples
 * but reads arrays instead of each sample's labels object (many shapes: slow lookups).
 */
function columns(samples: readonly Sample[], names: readonly (readonly string[])[]): string[][] | undefined {
  const first = names[0];
  for (let k = 1; k < names.length; k++) if (names[k] !== first) return undefined;
  return first.map((name) => samples.map((s) => s.labels[name]));
}

/** compareSamples for samples `a` and `b` of columns(). */
const compareColumns = (cols: readonly (readonly string[])[], a: number, b: number): number => {
  for (let i = 0; i < cols.length; i++) {
    const x = cols[i][a];
    const y = cols[i][b];
    if (x !== y) return x < y ? -1 : 1;
  }
  return 0;
};

const isComposite = (f: MetricFamily): boolean => f.type === 'histogram' || f.type === 'summary';

/** Returns true when two samples are the same series (same name, label names and values). */
const sameSeries = (a: Sample, an: readonly string[], b: Sample, bn: readonly string[]): boolean => {
  if (an.length !== bn.length || a.name !== b.name) return false;
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
    const cmp = isComposite(family) ? compareComposite : compareSamples;
    let j = i;
    for (; j < order.length && order[j].name === family.name; j++) {
      for (const s of order[j].samples) {
        const sample = extra ? { ...s, labels: { ...extra, ...s.labels } } : s;
        prev = sortedNames(sample.labels, prev);
        const k = samples.length;
        if (ordered && k > 0 && cmp(samples[k - 1], names[k - 1], sample, prev) >= 0) ordered = false;
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
    const cols = cmp === compareSamples ? columns(samples, names) : undefined;
    if (cols) idx.sort((a, b) => compareColumns(cols, a, b) || a - b);
    else idx.sort((a, b) => cmp(samples[a], names[a], samples[b], names[b]) || a - b);
    // A duplicate compares equal to its first, so both sit in one run of equal neighbours.
    const s2: Sample[] = [];
    const n2: (readonly string[])[] = [];
    let runStart = 0;
    for (let k = 0; k < idx.length; k++) {
      const x = idx[k];
      if (k > 0 && cmp(samples[idx[k - 1]], names[idx[k - 1]], samples[x], names[x]) !== 0) runStart = s2.length;
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

/** Outputs up to this many bytes are copied out of the writer's buffer, which is kept for the next one. */
const SMALL_OUTPUT = 1024 * 1024;

/**
 * Writes the exposition straight into a buffer as UTF-8: ASCII (names, numbers, nearly
 * every label value) byte by byte in JavaScript, anything else through Buffer.write; no
 * string per line or per label is built. Small outputs reuse one buffer; a large one (the
 * ksm collector's tens of MB) is handed out without a copy, and the next encode starts in a
 * buffer as big as the last output, so it neither grows (copying) nor copies it out.
 */
class ByteWriter {
  private buf = Buffer.allocUnsafe(64 * 1024);
  pos = 0;
  /** Bytes of the last large output (0 after a small one): the size to start the next encode with. */
  private hint = 0;

  /** Starts an encode: drops bytes a throw (a label without a value) may have left behind. */
  begin(): void {
    this.pos = 0;
    if (this.hint > this.buf.length) this.buf = Buffer.allocUnsafeSlow(this.hint + (this.hint >> 4));
  }

  private grow(need: number): void {
    let size = this.buf.length * 2;
    while (size < this.pos + need) size *= 2;
    const bigger = Buffer.allocUnsafeSlow(size);
    this.buf.copy(bigger, 0, 0, this.pos);
    this.buf = bigger;
  }

  /** Writes `s` (escaping \\ and newline, and " when `quote`), as UTF-8. */
  str(s: string, escape: 0 | 1 | 2 = 0): void {
    const n = s.length;
    if (this.pos + 2 * n + 3 > this.buf.length) this.grow(2 * n + 3);
    const b = this.buf;
    let p = this.pos;
    for (let i = 0; i < n; i++) {
      const c = s.charCodeAt(i);
      if (c >= 0x80) {
        this.pos = p;
        this.strSlow(s.slice(i), escape);
        return;
      }
      if (escape !== 0 && (c === 92 || c === 10 || (c === 34 && escape === 2))) {
        b[p++] = 92; // backslash
        b[p++] = c === 10 ? 110 : c; // \n, \\ or \"
      } else b[p++] = c;
    }
    this.pos = p;
  }

  private strSlow(s: string, escape: 0 | 1 | 2): void {
    let t = s;
    if (escape !== 0) t = escape === 2 ? escapeLabelValue(s) : escapeHelp(s);
    const max = Buffer.byteLength(t, 'utf8');
    if (this.pos + max > this.buf.length) this.grow(max);
    this.pos += this.buf.write(t, this.pos, 'utf8');
  }

  /** Writes `u` as it is. */
  bytes(u: Uint8Array): void {
    const n = u.length;
    if (this.pos + n > this.buf.length) this.grow(n);
    const b = this.buf;
    let p = this.pos;
    for (let i = 0; i < n; i++) b[p++] = u[i];
    this.pos = p;
  }

  byte(c: number): void {
    if (this.pos + 1 > this.buf.length) this.grow(1);
    this.buf[this.pos++] = c;
  }

  /** Returns what was written (a copy when small, else the buffer itself) and starts over. */
  take(): Buffer {
    const n = this.pos;
    if (n <= SMALL_OUTPUT) {
      const out = Buffer.allocUnsafe(n);
      this.buf.copy(out, 0, 0, n);
      this.reset(0);
      return out;
    }
    const out = this.buf.subarray(0, n);
    this.buf = Buffer.allocUnsafe(64 * 1024); // `out` owns the big one now
    this.reset(n);
    return out;
  }

  /** Returns what was written as a string and starts over. */
  takeString(): string {
    const out = this.buf.toString('utf8', 0, this.pos);
    this.reset(this.pos > SMALL_OUTPUT ? this.pos : 0);
    return out;
  }

  private reset(hint: number): void {
    this.pos = 0;
    this.hint = hint;
    if (this.buf.length > 4 * 1024 * 1024) this.buf = Buffer.allocUnsafe(64 * 1024); // do not keep a huge one: begin() sizes the next
  }
}

/** The encoders run synchronously, one at a time, so one writer serves them all. */
const writer = new ByteWriter();

const SPACE = 32;
const NEWLINE = 10;

/** The label names writeSample last wrote and their bytes: `{name="` for the first, `,name="` for the others. */
let lastNames: readonly string[] = NO_NAMES;
let lastPrefixes: readonly Uint8Array[] = [];

/** Returns the bytes writeSample puts before each label value of `names` (cached: a family's samples share one array). */
function labelPrefixes(names: readonly string[]): readonly Uint8Array[] {
  if (names !== lastNames) {
    lastPrefixes = names.map((n, i) => Buffer.from(`${i === 0 ? '{' : ','}${n}="`, 'utf8'));
    lastNames = names;
  }
  return lastPrefixes;
}

function writeSample(w: ByteWriter, name: string, names: readonly string[], labels: Labels, value: number): void {
  w.str(name);
  if (names.length > 0) {
    const prefixes = labelPrefixes(names);
    for (let i = 0; i < names.length; i++) {
      w.bytes(prefixes[i]);
      w.str(labels[names[i]], 2);
      w.byte(34); // "
    }
    w.byte(125); // }
  }
  w.byte(SPACE);
  w.str(formatValue(value));
  w.byte(NEWLINE);
}

function writeMeta(w: ByteWriter, name: string, help: string, type: string): void {
  w.str('# HELP ');
  w.str(name);
  w.byte(SPACE);
  w.str(help, 1);
  w.str('\n# TYPE ');
  w.str(name);
  w.byte(SPACE);
  w.str(type);
  w.byte(NEWLINE);
}

function writeText(w: ByteWriter, families: readonly MetricFamily[], extraLabels: Labels | undefined): void {
  eachNormalized(families, extraLabels, (family, samples, names) => {
    writeMeta(w, family.name, family.help, family.type);
    for (let i = 0; i < samples.length; i++) writeSample(w, samples[i].name ?? family.name, names[i], samples[i].labels, samples[i].value);
  });
}

function writeOpenMetrics(w: ByteWriter, families: readonly MetricFamily[], extraLabels: Labels | undefined): void {
  eachNormalized(families, extraLabels, (family, samples, names) => {
    let meta = family.name;
    let sampleName = family.name;
    if (family.type === 'counter') {
      if (meta.endsWith('_total')) meta = meta.slice(0, -6);
      sampleName = `${meta}_total`;
    }
    writeMeta(w, meta, family.help, family.type === 'untyped' ? 'unknown' : family.type);
    for (let i = 0; i < samples.length; i++) writeSample(w, samples[i].name ?? sampleName, names[i], samples[i].labels, samples[i].value);
  });
  w.str('# EOF\n');
}

/** Returns the families in the Prometheus text exposition format 0.0.4. */
export function encodeText(families: readonly MetricFamily[], extraLabels?: Labels): string {
  writer.begin();
  writeText(writer, families, extraLabels);
  return writer.takeString();
}

/** Returns encodeText's output as UTF-8 bytes, written without building the string. */
export function encodeTextBytes(families: readonly MetricFamily[], extraLabels?: Labels): Buffer {
  writer.begin();
  writeText(writer, families, extraLabels);
  return writer.take();
}

/**
 * Returns the families in OpenMetrics 1.0.0 text: counters are named without `_total`
 * in their metadata and with it on samples, untyped becomes unknown, `# EOF` ends it.
 */
export function encodeOpenMetrics(families: readonly MetricFamily[], extraLabels?: Labels): string {
  writer.begin();
  writeOpenMetrics(writer, families, extraLabels);
  return writer.takeString();
}

/** Returns encodeOpenMetrics' output as UTF-8 bytes, written without building the string. */
export function encodeOpenMetricsBytes(families: readonly MetricFamily[], extraLabels?: Labels): Buffer {
  writer.begin();
  writeOpenMetrics(writer, families, extraLabels);
  return writer.take();
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
