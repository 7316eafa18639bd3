import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { counter, gauge, type MetricFamily } from './family';
import { processFamilies } from './processMetrics';

/** Counters the agent keeps about itself, exposed on /metrics as rxporter_*. */
export class SelfMetrics {
  collections = 0;
  collectionsSkipped = 0;
  scrapes = 0;
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
      counter('rxporter_scrapes_total', 'Requests served on the metrics path.', [{ labels: {}, value: this.scrapes }]),
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
