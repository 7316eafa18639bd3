import type { Observable, OperatorFunction } from 'rxjs';
import type { RxporterError } from '../errors';
import type { MetricFamily } from './family';

/** One snapshot on its way to a sink: its sequence number, timestamp and families (base labels not yet applied). */
export interface Batch {
  readonly seq: number;
  readonly timestampMs: number;
  readonly families: readonly MetricFamily[];
}

/**
 * One unit a sink queues and delivers: a snapshot (or part of one) already encoded in the
 * sink's wire format but not yet compressed, so that consecutive payloads can be joined.
 */
export interface Payload {
  /** Sequence number of the snapshot it came from. */
  readonly seq: number;
  readonly timestampMs: number;
  /** Samples in it, for the sent/dropped counters. */
  readonly samples: number;
  readonly body: Uint8Array;
}

/** Outcome of one payload: delivered, failed (kept for a later round) or dropped. */
export interface DeliveryResult {
  readonly sink: string;
  readonly seq: number;
  readonly samples: number;
  readonly status: 'delivered' | 'failed' | 'dropped';
  /** Why it was dropped: rejected, retries_exhausted, expired, queue_full, superseded, shutdown, corrupt. */
  readonly reason?: string;
  readonly error?: RxporterError;
}

/** A sink turns batches into delivery results and never errors. */
export type Sink = OperatorFunction<Batch, DeliveryResult>;

/** Sends one request made of consecutive payloads; completes on a 2xx, errors with an RxporterError otherwise. */
export type SendFn = (payloads: readonly Payload[]) => Observable<unknown>;
