import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { monitorEventLoopDelay, type IntervalHistogram } from 'node:perf_hooks';
import { getHeapStatistics } from 'node:v8';
import { counter, gauge, type MetricFamily } from './family';
import { processFamilies } from './processMetrics';

/** One collector worker's share of the collections (the actor pool, src/actors/pool.ts). */
export interface WorkerTiming {
  /** The worker slot, 0-based (label `worker`). */
  readonly worker: number;
  /** Seconds from the request to the worker until its last answer, in the last collection. */
  readonly lastSeconds: number;
  /** Sum of those seconds over every collection, and their count. */
  readonly sumSeconds: number;
  readonly count: number;
}

/** Event-loop delay of one window: min, max, mean, stddev and percentiles in seconds (NaN before any sample). */
export interface LagWindow {
  readonly min: number;
  readonly max: number;
  readonly mean: number;
  readonly stddev: number;
  readonly p50: number;
  readonly p90: number;
  readonly p99: number;
}

/** prom-client's event-loop lag fields, each a family nodejs_eventloop_lag_<field>_seconds. */
const LAG_FIELDS: readonly (readonly [keyof LagWindow, string])[] = [
  ['min', 'Smallest value'],
  ['max', 'Largest value'],
  ['mean', 'Mean'],
  ['stddev', 'Standard deviation'],
  ['p50', 'Median'],
  ['p90', '90th percentile'],
  ['p99', '99th percentile'],
];

const NO_LAG: LagWindow = { min: NaN, max: NaN, mean: NaN, stddev: NaN, p50: NaN, p90: NaN, p99: NaN };

let delayMonitor: IntervalHistogram | undefined;
/**
 * Returns the process' event-loop delay histogram (perf_hooks.monitorEventLoopDelay, 10 ms
 * resolution as prom-client's default; nanoseconds), enabled on first use; one per process.
 * Its timer does not keep the process alive.
 */
const eventLoopDelay = (): IntervalHistogram => {
  if (!delayMonitor) {
    delayMonitor = monitorEventLoopDelay({ resolution: 10 });
    delayMonitor.enable();
  }
  return delayMonitor;
};

/** Returns the delay window recorded since the last call (seconds) and starts a new one. */
export function takeLagWindow(h: IntervalHistogram = eventLoopDelay()): LagWindow {
  if (h.count === 0) return NO_LAG;
  const s = (ns: number) => ns / 1e9;
  const w: LagWindow = {
    min: s(h.min),
    max: s(h.max),
    mean: s(h.mean),
    stddev: s(h.stddev),
    p50: s(h.percentile(50)),
    p90: s(h.percentile(90)),
    p99: s(h.percentile(99)),
  };
  h.reset();
  return w;
}

/**
 * Returns the Node.js runtime families with prom-client's names and units (prom-client
 * lib/metrics/eventLoopLag.js and heapSizeAndUsed.js): nodejs_eventloop_lag_{min,max,mean,stddev,p50,p90,p99}_seconds
 * of `lag`, and nodejs_heap_size_{total,used}_bytes (V8's heap statistics, as process.memoryUsage()). prom-client's plain
 * nodejs_eventloop_lag_seconds (one setImmediate probe per scrape) is not served: the histogram covers
 * the whole window, not one instant.
 */
export function nodejsFamilies(lag: LagWindow): MetricFamily[] {
  const one = (value: number) => [{ labels: {}, value }];
  // V8's own counters (what process.memoryUsage() reports as heapTotal/heapUsed) without its read of /proc/self for the RSS.
  const heap = getHeapStatistics();
  return [
    ...LAG_FIELDS.map(([field, what]) =>
      gauge(`nodejs_eventloop_lag_${field}_seconds`, `${what} of the event-loop delay since the previous collection (perf_hooks.monitorEventLoopDelay).`, one(lag[field])),
    ),
    gauge('nodejs_heap_size_total_bytes', 'V8 heap size of the main thread in bytes (process.memoryUsage().heapTotal).', one(heap.total_heap_size)),
    gauge('nodejs_heap_size_used_bytes', 'V8 heap in use on the main thread in bytes (process.memoryUsage().heapUsed).', one(heap.used_heap_size)),
  ];
}

/** Counters the agent keeps about itself, exposed on /metrics as rxporter_* and nodejs_*. */
export class SelfMetrics {
  collections = 0;
  collectionsSkipped = 0;
  /** Metrics requests being served now (promhttp_metric_handler_requests_in_flight). */
  inFlight = 0;
  /** Metrics responses by status code, as client_golang's promhttp counts them. */
  readonly responses: Record<'200' | '500' | '503', number> = { '200': 0, '500': 0, '503': 0 };
  /** Metrics handler errors by cause. */
  readonly handlerErrors: Record<'encoding' | 'gathering', number> = { encoding: 0, gathering: 0 };
  /** Whether the last config reload worked (1; also after the start) or was refused (0). */
  lastReloadSuccessful = 1;
  /** When the config was last loaded with success (the start, then each reload), Unix seconds. */
  lastReloadSuccessSeconds = 0;
  /** Event-loop delay of the window that ended at the last collection (rollLag). */
  private lag: LagWindow = NO_LAG;
  /** Families contributed by other parts (the sinks, the worker pool) at render time. */
  private readonly providers: (() => MetricFamily[])[] = [];

  /** Registers a function whose families are added to every render. */
  addProvider(p: () => MetricFamily[]): void {
    this.providers.push(p);
  }

  /** Ends the event-loop delay window (called once per collection, so every render of one snapshot agrees). */
  rollLag(): void {
    this.lag = takeLagWindow();
  }

  /** Returns the families node_exporter serves about itself too: promhttp_* and process_* (what web.selfMetrics=false leaves). */
  nodeExporterFamilies(): MetricFamily[] {
    return [
      // client_golang's promhttp handler metrics, which node_exporter serves and its e2e output checks.
      counter(
        'promhttp_metric_handler_errors_total',
        'Total number of internal errors encountered by the promhttp metric handler.',
        Object.entries(this.handlerErrors).map(([cause, value]) => ({ labels: { cause }, value })),
      ),
      gauge('promhttp_metric_handler_requests_in_flight', 'Current number of scrapes being served.', [{ labels: {}, value: this.inFlight }]),
      counter(
        'promhttp_metric_handler_requests_total',
        'Total number of scrapes by HTTP status code.',
        Object.entries(this.responses).map(([code, value]) => ({ labels: { code }, value })),
      ),
      ...processFamilies(),
    ];
  }

  /** Returns every self family: node_exporter's (promhttp_*, process_*), rxporter_*, nodejs_* and the providers'. */
  families(): MetricFamily[] {
    const [errors, inFlight, requests, ...processes] = this.nodeExporterFamilies();
    return [
      counter('rxporter_collections_total', 'Collections run, whatever triggered them.', [{ labels: {}, value: this.collections }]),
      counter('rxporter_collections_skipped_total', 'Interval ticks skipped because a collection was still running.', [
        { labels: {}, value: this.collectionsSkipped },
      ]),
      errors,
      inFlight,
      requests,
      gauge('rxporter_build_info', 'A metric with a constant 1 labelled by the rxporter version and the Node.js version it runs on.', [
        { labels: { version: VERSION, node_version: process.versions.node }, value: 1 },
      ]),
      // Prometheus' own names (prometheus_config_last_reload_*), with its help texts.
      gauge('rxporter_config_last_reload_successful', 'Whether the last configuration reload attempt was successful.', [
        { labels: {}, value: this.lastReloadSuccessful },
      ]),
      gauge('rxporter_config_last_reload_success_timestamp_seconds', 'Timestamp of the last successful configuration reload.', [
        { labels: {}, value: this.lastReloadSuccessSeconds },
      ]),
      ...processes,
      ...nodejsFamilies(this.lag),
      ...this.providers.flatMap((p) => p()),
    ];
  }
}

/** Returns rxporter_collector_worker_* families of the worker pool's timings (label `worker`). */
export function workerFamilies(t: readonly WorkerTiming[]): MetricFamily[] {
  const per = (f: (w: WorkerTiming) => number) => t.map((w) => ({ labels: { worker: String(w.worker) }, value: f(w) }));
  return [
    gauge('rxporter_collector_worker_last_collection_duration_seconds', "Seconds the worker took for its collectors' share of the last collection.", per((w) => w.lastSeconds)),
    counter('rxporter_collector_worker_collection_seconds_total', "Seconds the worker spent on its collectors' share of every collection.", per((w) => w.sumSeconds)),
    counter('rxporter_collector_worker_collections_total', 'Collections the worker took part in.', per((w) => w.count)),
  ];
}

/** Returns rxporter's package.json version, found upwards from this file (src/ or dist/src/). */
function readVersion(): string {
  for (let dir = __dirname; dir !== dirname(dir); dir = dirname(dir)) {
    try {
      const pkg = JSON.parse(readFileSync(join(dir, 'package.json'), 'utf8')) as { name?: string; version?: string };
      if (pkg.name === 'rxporter' && pkg.version) return pkg.version;
    } catch {
      // not here: keep walking up
    }
  }
  return 'unknown';
}

/** rxporter's version, from package.json. */
export const VERSION: string = readVersion();
