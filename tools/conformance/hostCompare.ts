import type { Labels } from '../../src/model/family';
import { collectorOf, EXPORTER, familyCollectorOf, SCRAPE } from './attribution';
import { FOREIGN_FAMILIES, type MetaDiff } from './compare';
import { seriesKey, type Exposition, type ExpositionSample } from '../../src/encode/parseText';

/**
 * Gauges that move between any two scrapes: those that measure time or the scrape itself
 * (the clock, collector durations, timex's offsets, errors and frequencies, the load averages, the
 * entropy pool) and the process and thread counts, which the exporters and the scrape
 * themselves change (a process reading /proc is running; Node and Go differ in threads).
 */
export const TIME_BASED_GAUGES =
  /^(node_time_seconds|node_scrape_collector_duration_seconds|node_timex_(offset_seconds|frequency_adjustment_ratio|maxerror_seconds|estimated_error_seconds|pps_frequency_hertz|pps_jitter_seconds|pps_stability_hertz)|node_load(1|5|15)|node_procs_(running|blocked)|node_processes_(state|threads|threads_state|pids)|node_entropy_available_bits)$/;

/** A series on both sides whose values disagree. */
export interface HostValueDiff {
  readonly name: string;
  readonly labels: Labels;
  /** The reference's values before and after ours. */
  readonly before: number;
  readonly after: number;
  readonly ours: number;
}

/** Series only one side has, in a family both have. */
export interface LabelSetDiff {
  readonly family: string;
  /** Series the reference had in both of its scrapes and we lack. */
  readonly missing: readonly string[];
  /** Series we have that the reference had in neither scrape. */
  readonly extra: readonly string[];
}

/** One collector's part of the side-by-side comparison on a live host. */
export interface HostCollectorReport {
  readonly collector: string;
  readonly referenceFamilies: number;
  readonly ourFamilies: number;
  readonly missingFamilies: readonly string[];
  readonly extraFamilies: readonly string[];
  readonly labelSetDiffs: readonly LabelSetDiff[];
  readonly metaDiffs: readonly MetaDiff[];
  /** Gauges that did not move between the reference's scrapes (and are not time-based). */
  readonly stable: number;
  readonly stableEqual: number;
  readonly stableDiffs: readonly HostValueDiff[];
  /** Counters: ours must lie between the reference's before and after values. */
  readonly counters: number;
  readonly countersWithin: number;
  readonly counterDiffs: readonly HostValueDiff[];
  /** Time-based gauges and gauges that moved between the reference's scrapes: not compared. */
  readonly moving: number;
}

/** Returns true when a collector's families and label sets are the same on both sides. */
export const sameShape = (r: HostCollectorReport): boolean =>
  r.missingFamilies.length === 0 && r.extraFamilies.length === 0 && r.labelSetDiffs.length === 0;

/** The comparison of every collector, and sums. */
export interface HostComparison {
  readonly collectors: readonly HostCollectorReport[];
  readonly totals: {
    readonly collectors: number;
    readonly sameShape: number;
    readonly stable: number;
    readonly stableEqual: number;
    readonly counters: number;
    readonly countersWithin: number;
    readonly moving: number;
  };
}

const sameValue = (a: number, b: number): boolean => a === b || (Number.isNaN(a) && Number.isNaN(b));

const show = (s: { name: string; labels: Labels }): string => {
  const names = Object.keys(s.labels).sort();
  return names.length === 0 ? s.name : `${s.name}{${names.map((n) => `${n}=${JSON.stringify(s.labels[n])}`).join(',')}}`;
};

interface Mutable {
  collector: string;
  referenceFamilies: number;
  ourFamilies: number;
  missingFamilies: string[];
  extraFamilies: string[];
  labelSetDiffs: { family: string; missing: string[]; extra: string[] }[];
  metaDiffs: MetaDiff[];
  stable: number;
  stableEqual: number;
  stableDiffs: HostValueDiff[];
  counters: number;
  countersWithin: number;
  counterDiffs: HostValueDiff[];
  moving: number;
}

const index = (e: Exposition): Map<string, ExpositionSample> => {
  const m = new Map<string, ExpositionSample>();
  for (const s of e.samples) if (!FOREIGN_FAMILIES.test(s.family)) m.set(seriesKey(s.name, s.labels), s);
  return m;
};

/**
 * Returns the side-by-side comparison of our scrape with a reference exporter's scrapes
 * taken just before and just after it, per collector: family sets, label sets (a series
 * counts as missing only when the reference had it both times, as extra only when it had
 * it neither time), HELP/TYPE, values of gauges that did not move (equal), and counters
 * (between the reference's two values). Time-based gauges and gauges that moved between
 * the reference's scrapes are counted as moving and not compared.
 */
export function compareHostScrapes(before: Exposition, ours: Exposition, after: Exposition): HostComparison {
  const byCollector = new Map<string, Mutable>();
  const at = (collector: string): Mutable => {
    let m = byCollector.get(collector);
    if (!m) {
      m = {
        collector, referenceFamilies: 0, ourFamilies: 0, missingFamilies: [], extraFamilies: [], labelSetDiffs: [], metaDiffs: [],
        stable: 0, stableEqual: 0, stableDiffs: [], counters: 0, countersWithin: 0, counterDiffs: [], moving: 0,
      };
      byCollector.set(collector, m);
    }
    return m;
  };
  const familyCollector = (e: Exposition, name: string): string => familyCollectorOf(e.families.get(name)!);

  const refFamilies = new Set([...before.families.keys(), ...after.families.keys()].filter((n) => !FOREIGN_FAMILIES.test(n)));
  const ourFamilies = new Set([...ours.families.keys()].filter((n) => !FOREIGN_FAMILIES.test(n)));
  for (const name of refFamilies) {
    const m = at(familyCollector(after.families.has(name) ? after : before, name));
    m.referenceFamilies++;
    if (!ourFamilies.has(name)) m.missingFamilies.push(name);
  }
  for (const name of ourFamilies) {
    const m = at(familyCollector(ours, name));
    m.ourFamilies++;
    if (!refFamilies.has(name)) {
      m.extraFamilies.push(name);
      continue;
    }
    const r = after.families.get(name) ?? before.families.get(name)!;
    const o = ours.families.get(name)!;
    if (r.help !== o.help || (r.type ?? 'untyped') !== (o.type ?? 'untyped')) {
      m.metaDiffs.push({ family: name, expected: { help: r.help, type: r.type }, actual: { help: o.help, type: o.type } });
    }
  }

  const b = index(before);
  const a = index(after);
  const o = index(ours);
  const diffsByFamily = new Map<string, { collector: string; missing: string[]; extra: string[] }>();
  const diffOf = (collector: string, family: string) => {
    let d = diffsByFamily.get(family);
    if (!d) {
      d = { collector, missing: [], extra: [] };
      diffsByFamily.set(family, d);
    }
    return d;
  };
  for (const [key, s] of a) {
    if (!ourFamilies.has(s.family)) continue; // a whole missing family is reported once, above
    const collector = collectorOf(s.name, s.labels, after.families.get(s.family)?.help);
    const m = at(collector);
    const prev = b.get(key);
    const mine = o.get(key);
    if (!mine) {
      if (prev) diffOf(collector, s.family).missing.push(show(s));
      continue;
    }
    if (!prev) {
      m.moving++; // a series that appeared between the reference's scrapes
      continue;
    }
    const type = after.families.get(s.family)?.type;
    if (type === 'counter') {
      m.counters++;
      const lo = Math.min(prev.value, s.value);
      const hi = Math.max(prev.value, s.value);
      if ((mine.value >= lo && mine.value <= hi) || sameValue(mine.value, s.value)) m.countersWithin++;
      else m.counterDiffs.push({ name: s.name, labels: s.labels, before: prev.value, after: s.value, ours: mine.value });
    } else if (TIME_BASED_GAUGES.test(s.family) || !sameValue(prev.value, s.value)) {
      m.moving++;
    } else {
      m.stable++;
      if (sameValue(mine.value, s.value)) m.stableEqual++;
      else m.stableDiffs.push({ name: s.name, labels: s.labels, before: prev.value, after: s.value, ours: mine.value });
    }
  }
  for (const [key, s] of o) {
    if (!refFamilies.has(s.family) || a.has(key) || b.has(key)) continue;
    diffOf(collectorOf(s.name, s.labels, ours.families.get(s.family)?.help), s.family).extra.push(show(s));
  }
  for (const [family, d] of diffsByFamily) at(d.collector).labelSetDiffs.push({ family, missing: d.missing, extra: d.extra });

  const collectors = [...byCollector.values()].sort((x, y) => (x.collector < y.collector ? -1 : x.collector > y.collector ? 1 : 0));
  // The pseudo-collectors (client_golang's own families, the scrape families) are shown, not counted.
  const counted = collectors.filter((c) => c.collector !== EXPORTER && c.collector !== SCRAPE);
  const sum = (f: (c: Mutable) => number) => counted.reduce((n, c) => n + f(c), 0);
  return {
    collectors,
    totals: {
      collectors: counted.length,
      sameShape: counted.filter(sameShape).length,
      stable: sum((c) => c.stable),
      stableEqual: sum((c) => c.stableEqual),
      counters: sum((c) => c.counters),
      countersWithin: sum((c) => c.countersWithin),
      moving: sum((c) => c.moving),
    },
  };
}
