import type { IntervalHistogram } from 'node:perf_hooks';
import { nodejsFamilies, SelfMetrics, takeLagWindow, VERSION, workerFamilies } from '../../src/model/selfMetrics';

/** A histogram of event-loop delays in nanoseconds, as perf_hooks gives them. */
const histogram = (count: number): IntervalHistogram & { resets: number } => {
  const h = {
    resets: 0,
    count,
    min: 10e6,
    max: 80e6,
    mean: 20e6,
    stddev: 5e6,
    percentile: (p: number) => p * 1e6,
    reset: () => void h.resets++,
  };
  return h as unknown as IntervalHistogram & { resets: number };
};

const value = (fs: ReturnType<typeof nodejsFamilies>, name: string) => fs.find((f) => f.name === name)?.samples[0].value;

describe('self-metrics', () => {
  it('takeLagWindow turns nanoseconds into seconds and starts a new window', () => {
    const h = histogram(3);
    const w = takeLagWindow(h);
    expect(w).toEqual({ min: 0.01, max: 0.08, mean: 0.02, stddev: 0.005, p50: 0.05, p90: 0.09, p99: 0.099 });
    expect(h.resets).toBe(1);
  });

  it('takeLagWindow gives NaN for a window without samples (not 0: nothing was measured)', () => {
    expect(Object.values(takeLagWindow(histogram(0))).every(Number.isNaN)).toBe(true);
  });

  it("nodejsFamilies uses prom-client's names and V8's heap statistics", () => {
    const fs = nodejsFamilies(takeLagWindow(histogram(1)));
    expect(fs.map((f) => f.name)).toEqual([
      'nodejs_eventloop_lag_min_seconds',
      'nodejs_eventloop_lag_max_seconds',
      'nodejs_eventloop_lag_mean_seconds',
      'nodejs_eventloop_lag_stddev_seconds',
      'nodejs_eventloop_lag_p50_seconds',
      'nodejs_eventloop_lag_p90_seconds',
      'nodejs_eventloop_lag_p99_seconds',
      'nodejs_heap_size_total_bytes',
      'nodejs_heap_size_used_bytes',
    ]);
    expect(value(fs, 'nodejs_eventloop_lag_p99_seconds')).toBe(0.099);
    const used = value(fs, 'nodejs_heap_size_used_bytes') ?? 0;
    expect(used).toBeGreaterThan(0);
    expect(used).toBeLessThanOrEqual(value(fs, 'nodejs_heap_size_total_bytes') ?? 0);
  });

  it('labels rxporter_build_info with version and node_version', () => {
    const build = new SelfMetrics().families().find((f) => f.name === 'rxporter_build_info');
    expect(build?.samples).toEqual([{ labels: { version: VERSION, node_version: process.versions.node }, value: 1 }]);
  });

  it('reports reload status with Prometheus-style names', () => {
    const self = new SelfMetrics();
    self.lastReloadSuccessful = 0;
    self.lastReloadSuccessSeconds = 1700000000;
    const fs = self.families();
    expect(value(fs, 'rxporter_config_last_reload_successful')).toBe(0);
    expect(value(fs, 'rxporter_config_last_reload_success_timestamp_seconds')).toBe(1700000000);
  });

  it("nodeExporterFamilies holds only node_exporter's own self families", () => {
    expect(new SelfMetrics().nodeExporterFamilies().every((f) => /^(process_|promhttp_)/.test(f.name))).toBe(true);
  });

  it('workerFamilies gives each worker its last duration, sum and count', () => {
    const fs = workerFamilies([{ worker: 0, lastSeconds: 0.25, sumSeconds: 1.5, count: 4 }]);
    expect(fs.map((f) => [f.name, f.type, f.samples])).toEqual([
      ['rxporter_collector_worker_last_collection_duration_seconds', 'gauge', [{ labels: { worker: '0' }, value: 0.25 }]],
      ['rxporter_collector_worker_collection_seconds_total', 'counter', [{ labels: { worker: '0' }, value: 1.5 }]],
      ['rxporter_collector_worker_collections_total', 'counter', [{ labels: { worker: '0' }, value: 4 }]],
    ]);
  });
});
