import { hostname } from 'node:os';
import { asyncScheduler, EMPTY, interval, map, merge, type Observable, type BehaviorSubject, type SchedulerLike, type Subscription } from 'rxjs';
import type { Agent } from '../../agent';
import { configSchema } from '../../config/schema';
import type { Snapshot } from '../../model/family';
import { VERSION } from '../../model/selfMetrics';
import type { SinkStats } from '../../sinks/metrics';
import { maskConfig } from './mask';

/** The push side as the status page sees it (src/sinks' Push). */
export interface StatusPush {
  readonly stats: readonly SinkStats[];
  readonly standby$: BehaviorSubject<boolean>;
}

/** One collector in the last collection; `success` and `durationSeconds` are null before its first run. */
export interface CollectorStatus {
  readonly name: string;
  readonly success: boolean | null;
  readonly durationSeconds: number | null;
  /** The error of a failed run (code: message). */
  readonly error?: string;
}

/** One push sink now. */
export interface SinkStatus {
  readonly name: string;
  /** Batches and bytes waiting in its queue. */
  readonly queueBatches: number;
  readonly queueBytes: number;
  /** Its disk queue cannot be written: new batches are kept in memory. */
  readonly degraded: boolean;
  /** Samples delivered since the start (a counter: the page derives samples/s from it). */
  readonly samplesSent: number;
  /** Last delivery, ms since the epoch; 0: never. */
  readonly lastSuccessMs: number;
  readonly lastError?: { readonly message: string; readonly atMs: number };
}

/** A collection, as the `collection` event carries it. */
export interface CollectionStatus {
  readonly seq: number;
  /** Start, ms since the epoch. */
  readonly timestampMs: number;
  /** Sum and maximum of the collectors' durations (s): the sum is the worker's busy time. */
  readonly totalSeconds: number;
  readonly maxSeconds: number;
  readonly collectors: readonly CollectorStatus[];
}

/** The sinks' state, as the `sinks` event carries it. */
export interface SinksStatus {
  /** When it was read, ms since the epoch. */
  readonly nowMs: number;
  /** 'leader' pushes, 'standby' does not (exporter.standby, or Kubernetes leader election); 'none': no push sink. */
  readonly role: 'leader' | 'standby' | 'none';
  readonly sinks: readonly SinkStatus[];
}

/** What GET /api/v1/status answers and the `status` event carries. */
export interface Status {
  readonly version: string;
  readonly nodeVersion: string;
  readonly hostname: string;
  readonly pid: number;
  readonly startedAtMs: number;
  readonly nowMs: number;
  readonly uptimeSeconds: number;
  readonly intervalMs: number;
  readonly telemetryPath: string;
  readonly collection?: CollectionStatus;
  /** Every enabled collector, with its last run when there was one. */
  readonly collectors: readonly CollectorStatus[];
  readonly role: SinksStatus['role'];
  readonly sinks: readonly SinkStatus[];
  /** Status pages connected to /api/v1/events now. */
  readonly eventClients: number;
  /** The configuration with its secrets masked (maskConfig). */
  readonly config: unknown;
}

/** An event of /api/v1/events. */
export type StatusEvent = { readonly type: 'collection'; readonly data: CollectionStatus } | { readonly type: 'sinks'; readonly data: SinksStatus };

/** The status page's data: what it shows now and the stream of changes. */
export interface StatusModel {
  status(eventClients: number): Status;
  /**
   * Hot changes: a `collection` event per snapshot of the agent's snapshots$ and a `sinks` event
   * every `sinksPeriodMs` and at each role switch (none without push sinks). Each subscriber
   * is one subscription to those streams, ended by unsubscribing.
   */
  readonly events$: Observable<StatusEvent>;
  /** Stops following the snapshots. */
  close(): void;
}

const round = (x: number): number => Math.round(x * 1e6) / 1e6;

const collectionOf = (s: Snapshot): CollectionStatus => {
  const collectors = s.results.map(
    (r): CollectorStatus => ({
      name: r.collector,
      success: r.success,
      durationSeconds: round(r.durationSeconds),
      ...(r.error ? { error: `${r.error.code}: ${r.error.message}` } : {}),
    }),
  );
  return {
    seq: s.seq,
    timestampMs: s.timestampMs,
    totalSeconds: round(s.results.reduce((a, r) => a + r.durationSeconds, 0)),
    maxSeconds: round(s.results.reduce((a, r) => Math.max(a, r.durationSeconds), 0)),
    collectors,
  };
};

const sinkOf = (s: SinkStats): SinkStatus => ({
  name: s.sink,
  queueBatches: s.queue.length,
  queueBytes: s.queue.bytes,
  degraded: s.queue.degraded === true,
  samplesSent: s.samplesSent,
  lastSuccessMs: s.lastSuccessMs,
  ...(s.lastError ? { lastError: s.lastError } : {}),
});

/**
 * Returns the status model of `agent` and its push side (undefined: no push sink): it follows
 * agent.snapshots$ from now on for the last collection (subscribe before agent.start() to see
 * the first), reads the sinks' counters when asked, and masks the configuration in force (once
 * per configuration: a reload swaps agent.config).
 */
export function createStatusModel(o: { agent: Agent; push?: StatusPush; scheduler?: SchedulerLike; sinksPeriodMs?: number }): StatusModel {
  const { agent, push } = o;
  const scheduler = o.scheduler ?? asyncScheduler;
  const startedAtMs = scheduler.now();
  let masked: { of: unknown; config: unknown } | undefined;
  const maskedConfig = () => {
    if (masked?.of !== agent.config) masked = { of: agent.config, config: maskConfig(agent.config, configSchema()) };
    return masked.config;
  };
  let last: CollectionStatus | undefined;
  const follow: Subscription = agent.snapshots$.subscribe((s) => {
    last = collectionOf(s);
  });
  const sinks = (): SinksStatus => ({
    nowMs: scheduler.now(),
    role: !push ? 'none' : push.standby$.value ? 'standby' : 'leader',
    sinks: push ? push.stats.map(sinkOf) : [],
  });
  const events$: Observable<StatusEvent> = merge(
    agent.snapshots$.pipe(map((s): StatusEvent => ({ type: 'collection', data: collectionOf(s) }))),
    push ? merge(interval(o.sinksPeriodMs ?? 1000, scheduler), push.standby$).pipe(map((): StatusEvent => ({ type: 'sinks', data: sinks() }))) : EMPTY,
  );
  return {
    status(eventClients) {
      const now = scheduler.now();
      const byName = new Map((last?.collectors ?? []).map((c) => [c.name, c]));
      const s = sinks();
      return {
        version: VERSION,
        nodeVersion: process.versions.node,
        hostname: hostname(),
        pid: process.pid,
        startedAtMs,
        nowMs: now,
        uptimeSeconds: Math.max(0, (now - startedAtMs) / 1000),
        intervalMs: agent.config.collect.interval,
        telemetryPath: agent.config.web.telemetryPath,
        ...(last ? { collection: last } : {}),
        collectors: agent.collectors.map((c) => byName.get(c.name) ?? { name: c.name, success: null, durationSeconds: null }),
        role: s.role,
        sinks: s.sinks,
        eventClients,
        config: maskedConfig(),
      };
    },
    events$,
    close: () => follow.unsubscribe(),
  };
}
