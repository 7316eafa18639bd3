import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { counter, gauge, type MetricFamily } from './family';
import { processFamilies } from './processMetrics';

/** Counters the agent keeps about itself, exposed on /metrics as rxporter_*. */
export class SelfMetrics {
  collections = 0;
  collectionsSkipped = 0;
  /** Metrics requests being served now (promhttp_metric_handler_requests_in_flight). */
  inFlight = 0;
  /** Metrics responses by status code, as client_golang's promhttp counts them. */
  readonly responses: Record<'200' | '500' | '503', number> = { '200': 0, '500': 0, '503': 0 };
  /** Metrics handler errors by cause. */
  readonly handlerErrors: Record<'encoding' | 'gathering', number> = { encoding: 0, gathering: 0 };
  /** Families contributed by other parts (the sinks) at render time. */
  private readonly providers: (() => MetricFamily[])[] = [];

  /** Registers a function whose families are added to every render. */
  addProvider(p: () => MetricFamily[]): void {
    this.providers.push(p);
  }

  /** Returns the rxporter_* families. */
  families(): MetricFamily[] {
    return [
      counter('rxporter_collections_total', 'Collections run, whatever triggered them.', [{ labels: {}, value: this.collections }]),
      counter('rxporter_collections_skipped_total', 'Interval ticks skipped because a collection was still running.', [
        { labels: {}, value: this.collectionsSkipped },
      ]),
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
      gauge('rxporter_build_info', 'A metric with a constant 1 labelled by the rxporter version and Node.js version.', [
        { labels: { version: VERSION, nodejs: process.versions.node }, value: 1 },
      ]),
      ...processFamilies(),
      ...this.providers.flatMap((p) => p()),
    ];
  }
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
