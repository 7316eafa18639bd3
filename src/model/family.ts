/** Label set of one sample: label name → value. */
export type Labels = Readonly<Record<string, string>>;

/** One sample of a family. */
export interface Sample {
  readonly labels: Labels;
  readonly value: number;
  /**
   * The series name when it is not the family's: `x_bucket`, `x_sum`, `x_count` of a
   * histogram or summary `x` (a summary's quantiles carry no name). Unset everywhere else.
   */
  readonly name?: string;
}

/** A metric family as node_exporter exposes it: name, help, type and samples. */
export interface MetricFamily {
  readonly name: string;
  readonly help: string;
  readonly type: 'counter' | 'gauge' | 'untyped' | 'histogram' | 'summary';
  readonly samples: readonly Sample[];
}

/** Outcome of one collector in one collection. */
export interface CollectorResult {
  readonly collector: string;
  readonly success: boolean;
  readonly durationSeconds: number;
  readonly families: readonly MetricFamily[];
  readonly error?: { readonly code: string; readonly message: string };
}

/** Everything one collection produced, shared by every subscriber. */
export interface Snapshot {
  /** Sequence number of the collection, starting at 1. */
  readonly seq: number;
  /** Collection start, milliseconds since the epoch. */
  readonly timestampMs: number;
  readonly results: readonly CollectorResult[];
}

/** Returns a gauge family with one unlabelled or labelled sample per entry. */
export const gauge = (name: string, help: string, samples: readonly Sample[]): MetricFamily => ({
  name,
  help,
  type: 'gauge',
  samples,
});

/** Returns a counter family. */
export const counter = (name: string, help: string, samples: readonly Sample[]): MetricFamily => ({
  name,
  help,
  type: 'counter',
  samples,
});

/** Returns the families of a snapshot plus node_exporter's per-collector scrape families. */
export function snapshotFamilies(s: Snapshot): MetricFamily[] {
  const out: MetricFamily[] = [];
  for (const r of s.results) out.push(...r.families);
  out.push(
    gauge(
      'node_scrape_collector_duration_seconds',
      'node_exporter: Duration of a collector scrape.',
      s.results.map((r) => ({ labels: { collector: r.collector }, value: r.durationSeconds })),
    ),
    gauge(
      'node_scrape_collector_success',
      'node_exporter: Whether a collector succeeded.',
      s.results.map((r) => ({ labels: { collector: r.collector }, value: r.success ? 1 : 0 })),
    ),
  );
  return out;
}
