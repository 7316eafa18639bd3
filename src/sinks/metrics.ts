import { counter, gauge, type MetricFamily } from '../model/family';
import type { PayloadQueue } from '../pipeline/payloadQueue';
import type { DeliveryResult } from './types';

/** Counters of one sink, rendered as rxporter_sink_* families. */
export class SinkStats {
  samplesSent = 0;
  retries = 0;
  lastSuccessMs = 0;
  /** The last failed or dropped batch (not superseded): why, and when (ms since the epoch); for the status page. */
  lastError: { readonly message: string; readonly atMs: number } | undefined;
  readonly dropped = new Map<string, number>();
  readonly batchesDropped = new Map<string, number>();
  readonly requests = new Map<string, number>();
  constructor(
    readonly sink: string,
    readonly queue: PayloadQueue & { readonly degraded?: boolean },
  ) {}

  /** Counts one delivery result; `nowMs` stamps a success. */
  record(r: DeliveryResult, nowMs: number): void {
    if (r.status === 'delivered') {
      this.samplesSent += r.samples;
      this.lastSuccessMs = nowMs;
    } else if (r.status === 'dropped') this.drop(r.reason ?? 'unknown', r.samples);
    if (r.status !== 'delivered' && r.reason !== 'superseded') {
      const why = r.error?.message ?? 'no error message';
      this.lastError = { message: r.status === 'dropped' ? `batch ${r.seq} dropped (${r.reason ?? 'unknown'}): ${why}` : `batch ${r.seq}: ${why}`, atMs: nowMs };
    }
  }

  /** Counts `batches` payloads (queue records) and their `samples` dropped for `reason`. */
  drop(reason: string, samples: number, batches = 1): void {
    this.dropped.set(reason, (this.dropped.get(reason) ?? 0) + samples);
    this.batchesDropped.set(reason, (this.batchesDropped.get(reason) ?? 0) + batches);
  }

  /** Counts one request outcome (a status code, "error" or "timeout"). */
  request(code: string): void {
    this.requests.set(code, (this.requests.get(code) ?? 0) + 1);
  }
}

/** Returns the rxporter_sink_* families of these sinks. */
export function sinkFamilies(stats: readonly SinkStats[]): MetricFamily[] {
  const per = <T>(f: (s: SinkStats) => T) => stats.map((s) => ({ s, v: f(s) }));
  return [
    counter('rxporter_sink_samples_sent_total', 'Samples a sink delivered.', per((s) => s.samplesSent).map(({ s, v }) => ({ labels: { sink: s.sink }, value: v }))),
    counter(
      'rxporter_sink_samples_dropped_total',
      'Samples a sink dropped, by reason (rejected, retries_exhausted, expired, queue_full, superseded, shutdown, corrupt).',
      stats.flatMap((s) => [...s.dropped].map(([reason, v]) => ({ labels: { sink: s.sink, reason }, value: v }))),
    ),
    counter(
      'rxporter_sink_batches_dropped_total',
      'Batches (queued payloads) a sink dropped, by reason; a damaged queue record whose header is unreadable counts here and not in samples_dropped (its samples are unknown).',
      stats.flatMap((s) => [...s.batchesDropped].map(([reason, v]) => ({ labels: { sink: s.sink, reason }, value: v }))),
    ),
    counter(
      'rxporter_sink_requests_total',
      'Push requests by outcome: HTTP status, error or timeout.',
      stats.flatMap((s) => [...s.requests].map(([code, v]) => ({ labels: { sink: s.sink, code }, value: v }))),
    ),
    counter('rxporter_sink_retries_total', 'Requests retried after a retryable failure.', per((s) => s.retries).map(({ s, v }) => ({ labels: { sink: s.sink }, value: v }))),
    gauge('rxporter_sink_queue_bytes', 'Bytes waiting in a sink queue (on disk for a disk queue).', per((s) => s.queue.bytes).map(({ s, v }) => ({ labels: { sink: s.sink }, value: v }))),
    gauge(
      'rxporter_sink_queue_degraded',
      '1 while a sink keeps new batches in memory because its disk queue cannot be written (read-only, full, I/O error).',
      per((s) => (s.queue.degraded ? 1 : 0)).map(({ s, v }) => ({ labels: { sink: s.sink }, value: v })),
    ),
    gauge('rxporter_sink_queue_batches', 'Batches waiting in a sink queue.', per((s) => s.queue.length).map(({ s, v }) => ({ labels: { sink: s.sink }, value: v }))),
    gauge(
      'rxporter_sink_last_success_timestamp_seconds',
      'When a sink last delivered a batch, seconds since the epoch (0: never).',
      per((s) => s.lastSuccessMs / 1000).map(({ s, v }) => ({ labels: { sink: s.sink }, value: v })),
    ),
  ];
}
