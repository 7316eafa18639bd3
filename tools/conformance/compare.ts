import type { Labels } from '../../src/model/family';
import { collectorOf, familyCollectorOf } from './attribution';
import { seriesKey, type Exposition, type ExpositionSample } from '../../src/encode/parseText';

/**
 * The sample lines node_exporter's end-to-end test drops before diffing (its HELP and
 * TYPE lines stay): Go runtime, process and build values, collector durations, textfile
 * mtimes, the host's clock and zone, and netdev's live loopback bytes and packets.
 */
export const UPSTREAM_IGNORED_LINES =
  /^(go_|node_exporter_build_info|node_scrape_collector_duration_seconds|process_|node_textfile_mtime_seconds|node_time_(zone|seconds)|node_network_(receive|transmit)_(bytes|packets)_total)/;

/**
 * Families left out of the comparison altogether: those only a Go exporter has (Go
 * runtime, process, node_exporter_build_info) and rxporter's own `rxporter_*` and `nodejs_*`
 * (web.selfMetrics; its Node.js runtime families stand where node_exporter's go_* do).
 */
export const FOREIGN_FAMILIES = /^(go_|process_|node_exporter_build_info$|rxporter_|nodejs_)/;

/** How to compare two expositions. */
export interface CompareOptions {
  /** Sample lines to drop on both sides (default {@link UPSTREAM_IGNORED_LINES}). */
  readonly ignoreLines?: RegExp;
  /** Families to drop on both sides, metadata included (default {@link FOREIGN_FAMILIES}). */
  readonly ignoreFamilies?: RegExp;
  /** Returns the collector a sample belongs to (default {@link collectorOf}). */
  readonly attribute?: (name: string, labels?: Labels, help?: string) => string;
  /** Returns the collector a family belongs to (default {@link familyCollectorOf}). */
  readonly attributeFamily?: typeof familyCollectorOf;
}

/** A series on one side only. */
export interface SeriesRef {
  readonly key: string;
  readonly name: string;
  readonly labels: Labels;
  readonly value: number;
}

/** A series on both sides with different values. */
export interface ValueDiff {
  readonly key: string;
  readonly name: string;
  readonly labels: Labels;
  readonly expected: number;
  readonly actual: number;
}

/** A family on both sides whose HELP or TYPE differ. */
export interface MetaDiff {
  readonly family: string;
  readonly expected: { readonly help?: string; readonly type?: string };
  readonly actual: { readonly help?: string; readonly type?: string };
}

/** The comparison of one collector's part of two expositions. */
export interface CollectorComparison {
  readonly collector: string;
  /** Expected samples attributed to this collector. */
  readonly expected: number;
  /** Expected samples found with exactly the expected value. */
  readonly matched: number;
  readonly missing: readonly SeriesRef[];
  /** Series we emit that are not expected (a duplicate of a series counts too). */
  readonly extra: readonly SeriesRef[];
  readonly differentValue: readonly ValueDiff[];
  readonly differentMeta: readonly MetaDiff[];
  /** Expected families absent from our output (neither metadata nor samples). */
  readonly missingFamilies: readonly string[];
  /** Families we emit that are not expected. */
  readonly extraFamilies: readonly string[];
}

/** Sums over every collector. */
export interface ComparisonTotals {
  readonly expected: number;
  readonly matched: number;
  readonly missing: number;
  readonly extra: number;
  readonly differentValue: number;
  readonly differentMeta: number;
  readonly missingFamilies: number;
  readonly extraFamilies: number;
}

/** The comparison of two expositions, per collector (sorted by name) and in total. */
export interface Comparison {
  readonly collectors: readonly CollectorComparison[];
  readonly totals: ComparisonTotals;
}

/** Returns true when the collector's part matches exactly: nothing missing, extra or different. */
export const isExact = (c: CollectorComparison): boolean =>
  c.missing.length === 0 &&
  c.extra.length === 0 &&
  c.differentValue.length === 0 &&
  c.differentMeta.length === 0 &&
  c.missingFamilies.length === 0 &&
  c.extraFamilies.length === 0;

/** Float64 equality in which NaN equals NaN (both sides wrote NaN). */
const sameValue = (a: number, b: number): boolean => a === b || (Number.isNaN(a) && Number.isNaN(b));

interface Mutable {
  collector: string;
  expected: number;
  matched: number;
  missing: SeriesRef[];
  extra: SeriesRef[];
  differentValue: ValueDiff[];
  differentMeta: MetaDiff[];
  missingFamilies: string[];
  extraFamilies: string[];
}

/**
 * Returns the comparison of `actual` with `expected` as node_exporter's end-to-end test
 * makes it, attributed per collector: sample lines matching the ignore regex and foreign
 * families are dropped on both sides; each sample is keyed by name plus sorted unescaped
 * labels and compared as float64; HELP and TYPE are compared per family.
 */
export function compareExpositions(expected: Exposition, actual: Exposition, opts: CompareOptions = {}): Comparison {
  const ignoreLines = opts.ignoreLines ?? UPSTREAM_IGNORED_LINES;
  const ignoreFamilies = opts.ignoreFamilies ?? FOREIGN_FAMILIES;
  const attribute = opts.attribute ?? collectorOf;
  const attributeFamily = opts.attributeFamily ?? familyCollectorOf;
  const byCollector = new Map<string, Mutable>();
  const at = (collector: string): Mutable => {
    let m = byCollector.get(collector);
    if (!m) {
      m = { collector, expected: 0, matched: 0, missing: [], extra: [], differentValue: [], differentMeta: [], missingFamilies: [], extraFamilies: [] };
      byCollector.set(collector, m);
    }
    return m;
  };
  const keep = (s: ExpositionSample): boolean => !ignoreFamilies.test(s.family) && !ignoreLines.test(s.text);
  const helpOf = (e: Exposition, s: ExpositionSample): string | undefined => e.families.get(s.family)?.help;
  const ref = (s: ExpositionSample, key: string): SeriesRef => ({ key, name: s.name, labels: s.labels, value: s.value });

  const actualByKey = new Map<string, ExpositionSample>();
  for (const s of actual.samples) {
    if (!keep(s)) continue;
    const key = seriesKey(s.name, s.labels);
    if (actualByKey.has(key)) at(attribute(s.name, s.labels, helpOf(actual, s))).extra.push(ref(s, key));
    else actualByKey.set(key, s);
  }
  const seen = new Set<string>();
  for (const s of expected.samples) {
    if (!keep(s)) continue;
    const key = seriesKey(s.name, s.labels);
    if (seen.has(key)) continue; // a duplicate in the expected file is one series
    seen.add(key);
    const m = at(attribute(s.name, s.labels, helpOf(expected, s)));
    m.expected++;
    const a = actualByKey.get(key);
    if (!a) m.missing.push(ref(s, key));
    else if (sameValue(a.value, s.value)) m.matched++;
    else m.differentValue.push({ key, name: s.name, labels: s.labels, expected: s.value, actual: a.value });
  }
  for (const [key, s] of actualByKey) {
    if (!seen.has(key)) at(attribute(s.name, s.labels, helpOf(actual, s))).extra.push(ref(s, key));
  }

  for (const f of expected.families.values()) {
    if (ignoreFamilies.test(f.name)) continue;
    const m = at(attributeFamily(f));
    const a = actual.families.get(f.name);
    if (!a) m.missingFamilies.push(f.name);
    else if (a.help !== f.help || (a.type ?? 'untyped') !== (f.type ?? 'untyped')) {
      m.differentMeta.push({ family: f.name, expected: { help: f.help, type: f.type }, actual: { help: a.help, type: a.type } });
    }
  }
  for (const f of actual.families.values()) {
    if (ignoreFamilies.test(f.name) || expected.families.has(f.name)) continue;
    at(attributeFamily(f)).extraFamilies.push(f.name);
  }

  const collectors = [...byCollector.values()].sort((a, b) => (a.collector < b.collector ? -1 : a.collector > b.collector ? 1 : 0));
  const sum = (f: (c: Mutable) => number) => collectors.reduce((n, c) => n + f(c), 0);
  return {
    collectors,
    totals: {
      expected: sum((c) => c.expected),
      matched: sum((c) => c.matched),
      missing: sum((c) => c.missing.length),
      extra: sum((c) => c.extra.length),
      differentValue: sum((c) => c.differentValue.length),
      differentMeta: sum((c) => c.differentMeta.length),
      missingFamilies: sum((c) => c.missingFamilies.length),
      extraFamilies: sum((c) => c.extraFamilies.length),
    },
  };
}
