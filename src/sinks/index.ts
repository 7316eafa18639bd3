import { join } from 'node:path';
import {
  asyncScheduler,
  BehaviorSubject,
  catchError,
  EMPTY,
  filter,
  firstValueFrom,
  interval,
  map,
  merge,
  mergeMap,
  Observable,
  ReplaySubject,
  Subject,
  takeUntil,
  tap,
  timeout,
  type SchedulerLike,
} from 'rxjs';
import type { Agent } from '../agent';
import type { RxporterConfig } from '../config/load';
import { RxporterError } from '../errors';
import type { Log } from '../log/types';
import type { Snapshot } from '../model/family';
import { VERSION } from '../model/selfMetrics';
import { deliver } from '../pipeline/deliver';
import { enabledSinks } from './enabled';

export { enabledSinks } from './enabled';
import type { PayloadQueue } from '../pipeline/payloadQueue';
import { createSinkQueue, type SinkQueue } from '../pipeline/sinkQueue';
import { createHttpClient, type HttpClient } from './http';
import { SinkStats, sinkFamilies } from './metrics';
import { pushgatewaySink } from './pushgateway';
import { remoteWriteSink } from './remoteWrite';
import type { SinkSpec } from './spec';
import type { Batch, DeliveryResult, Payload, Sink } from './types';
import { vmImportSink } from './vmImport';

export type { Batch, DeliveryResult, Payload, Sink } from './types';

/** Options of createPush. */
export interface PushOptions {
  readonly config: RxporterConfig;
  readonly log: Log;
  readonly scheduler?: SchedulerLike;
  /** Jitter source (tests). */
  readonly random?: () => number;
}

/** The push side of an agent: one pipeline per enabled sink. */
export interface Push {
  /** Names of the enabled sinks. */
  readonly sinks: readonly string[];
  /** For AgentOptions.consumers: subscribes every sink to the snapshots and registers self-metrics and the stop hook. */
  readonly consumer: (snapshots$: Observable<Snapshot>, agent: Agent) => Observable<DeliveryResult>;
  /** True while this agent is a standby replica: snapshots are not pushed. */
  readonly standby$: BehaviorSubject<boolean>;
  /** Switches standby at run time (the Kubernetes leader election calls this). */
  setStandby(on: boolean): void;
  /** Pushes what waits (within `budgetMs`), DELETEs the Pushgateway group if asked, closes clients and queues; a second call resolves with the first. */
  stop(budgetMs: number): Promise<void>;
}

/** Runs one sink: payloads encoded per batch, queued, delivered on the push ticks. */
export function runSink(
  spec: SinkSpec,
  o: {
    queue: PayloadQueue;
    trigger$: Observable<unknown>;
    retryCount: number;
    initialBackoffMs: number;
    maxBackoffMs: number;
    /** A batch still failing this long after its first attempt is dropped as expired. */
    maxElapsedMs: number;
    park: boolean;
    random?: () => number;
    scheduler?: SchedulerLike;
    onRetry?: () => void;
    /** A server asked (Retry-After) for a longer wait than maxBackoffMs. */
    onRetryAfterCapped?: (askedMs: number, waitMs: number) => void;
    onEncodeError?: (b: Batch, e: unknown) => void;
  },
): Sink {
  return (batches) =>
    batches.pipe(
      mergeMap((b): Payload[] => {
        try {
          return spec.encode(b);
        } catch (e) {
          o.onEncodeError?.(b, e);
          return [];
        }
      }),
      deliver({
        sink: spec.name,
        queue: o.queue,
        send: spec.send,
        trigger$: o.trigger$,
        maxItems: spec.maxItems,
        maxBytes: spec.maxBytes,
        park: o.park,
        maxElapsedMs: o.maxElapsedMs,
        overflowReason: spec.conflate ? 'superseded' : 'queue_full',
        retry: {
          initialMs: o.initialBackoffMs,
          maxMs: o.maxBackoffMs,
          maxRetries: Math.max(0, o.retryCount - 1),
          random: o.random,
          scheduler: o.scheduler,
          onRetry: o.onRetry,
          onRetryAfterCapped: o.onRetryAfterCapped,
        },
      }),
    );
}

/**
 * Returns the push side built from `config.exporter`, or undefined when no sink is enabled.
 * Opens the disk queues (locking them; one that fails starts degraded to memory) and loads
 * undici now, so that configuration problems surface at start. Throws RXP_CONFIG.
 */
export function createPush(o: PushOptions): Push | undefined {
  const { config, log } = o;
  const ex = config.exporter;
  const en = enabledSinks(config);
  if (!en.pushgateway && !en.vmagent && !en.remoteWrite) return undefined;
  const scheduler = o.scheduler ?? asyncScheduler;
  const standby$ = new BehaviorSubject<boolean>(ex.standby);
  const stop$ = new Subject<void>();
  let agentRef: Agent | undefined;
  const baseLabels = () => agentRef?.baseLabels() ?? { ...config.global.labels, nodeName: config.global.nodeName, masterIp: config.global.masterIp };

  interface Running {
    readonly spec: SinkSpec;
    readonly client: HttpClient;
    readonly queue: SinkQueue;
    readonly stats: SinkStats;
    readonly done$: ReplaySubject<void>;
    readonly park: boolean;
    /** A capped Retry-After was logged since the last delivery (logged once per episode). */
    retryAfterCapLogged: boolean;
  }
  const running: Running[] = [];
  const make = (name: string, build: (client: HttpClient) => SinkSpec) => {
    let stats: SinkStats | undefined;
    const client = createHttpClient({
      timeoutMs: ex.timeout,
      userAgent: `rxporter/${VERSION}`,
      scheduler,
      onOutcome: (code) => stats?.request(code),
    });
    const spec = build(client);
    const disk = ex.queue.dir !== '' && !spec.conflate;
    const queue = createSinkQueue({
      sink: name,
      dir: disk ? join(ex.queue.dir, name) : undefined,
      maxBytes: ex.queue.maxBytes,
      memoryBatches: spec.conflate ? 1 : ex.queue.memoryBatches,
      fsync: ex.queue.fsync,
      log,
      now: () => scheduler.now(),
      retryDiskMs: ex.retry.maxBackoff,
      // The queue logs each loss with its seq; the counters exist before open() finds any.
      onCorrupt: (loss) => stats?.drop('corrupt', loss.samples ?? 0, 1),
    });
    stats = new SinkStats(name, queue);
    queue.open();
    // Every sink keeps a failing batch at the head of its queue (on disk or in memory) and tries it again on the next
    // push tick: what bounds it is retry.maxElapsed, not retryCount (a 20 s run of 500s must lose nothing).
    running.push({ spec, client, queue, stats, done$: new ReplaySubject<void>(1), park: true, retryAfterCapLogged: false });
  };
  try {
    if (en.pushgateway) {
      make('pushgateway', (client) =>
        pushgatewaySink({
          url: ex.pushgateway.url,
          job: ex.pushgateway.job || config.global.appName,
          nodeName: config.global.nodeName,
          groupingLabels: ex.pushgateway.groupingLabels,
          deleteOnShutdown: ex.pushgateway.deleteOnShutdown,
          client,
          baseLabels,
        }),
      );
    }
    if (en.vmagent) make('vmagent', (client) => vmImportSink({ url: ex.vmagent.url, client, baseLabels }));
    if (en.remoteWrite) {
      const rw = ex.remoteWrite;
      make('remote_write', (client) =>
        remoteWriteSink({
          url: rw.url,
          client,
          baseLabels,
          headers: rw.headers,
          basicAuth: rw.basicAuth,
          bearerToken: rw.bearerToken,
          maxSamplesPerRequest: rw.maxSamplesPerRequest,
        }),
      );
    }
  } catch (e) {
    for (const r of running) {
      r.queue.close();
      void r.client.close();
    }
    throw e;
  }

  const pipeline = (r: Running, snapshots$: Observable<Snapshot>, agent: Agent): Observable<DeliveryResult> =>
    snapshots$.pipe(
      takeUntil(stop$),
      filter(() => !standby$.value),
      map((s): Batch => ({ seq: s.seq, timestampMs: s.timestampMs, families: agent.exposition(s) })),
      runSink(r.spec, {
        queue: r.queue,
        // A standby sends nothing, not even what it queued while it led (a leader that lost its lease stops at once).
        trigger$: interval(ex.pushInterval, scheduler).pipe(filter(() => !standby$.value)),
        retryCount: ex.retryCount,
        initialBackoffMs: ex.retry.initialBackoff,
        maxBackoffMs: ex.retry.maxBackoff,
        maxElapsedMs: ex.retry.maxElapsed,
        park: r.park,
        random: o.random,
        scheduler,
        onRetry: () => r.stats.retries++,
        onRetryAfterCapped: (askedMs, waitMs) => {
          if (r.retryAfterCapLogged) return;
          r.retryAfterCapLogged = true;
          log.warn('push: server asked to wait longer than retry.maxBackoff; waiting maxBackoff', { sink: r.spec.name, retryAfterMs: askedMs, waitMs });
        },
        onEncodeError: (b, e) => log.error('push encode failed', { sink: r.spec.name, seq: b.seq, error: String(e) }),
      }),
      tap({
        next: (res) => {
          r.stats.record(res, scheduler.now());
          if (res.status === 'delivered') r.retryAfterCapLogged = false;
          if (res.status === 'dropped' && res.reason === 'superseded') {
            log.debug('push batch superseded by a newer one', { sink: res.sink, seq: res.seq });
          } else if (res.status === 'dropped') {
            log.warn('push batch dropped', {
              sink: res.sink,
              seq: res.seq,
              samples: res.samples,
              reason: res.reason,
              code: res.error?.code,
              status: (res.error as { status?: number } | undefined)?.status,
              body: (res.error as { body?: string } | undefined)?.body,
              error: res.error?.message,
            });
          } else if (res.status === 'failed') {
            log.warn('push failed: batch kept at the head of the queue for the next push tick', {
              sink: res.sink,
              seq: res.seq,
              queue: r.queue.degraded ? 'memory (disk degraded)' : ex.queue.dir !== '' && !r.spec.conflate ? 'disk' : 'memory',
              error: res.error?.message,
            });
          }
        },
        complete: () => r.done$.next(),
      }),
    );

  const dropAtShutdown = (r: Running, lost: readonly Payload[], message: string) => {
    for (const p of lost) r.stats.drop('shutdown', p.samples);
    if (lost.length > 0) log.warn(message, { sink: r.spec.name, batches: lost.length, seqs: lost.map((p) => p.seq).join(',') });
  };
  let stopped = false;
  // A second stop() (the leader election's stop hook) waits for the first one to finish.
  let stopDone: () => void = () => undefined;
  const stoppedAll = new Promise<void>((resolve) => (stopDone = resolve));
  let closed = false;
  // Resources go at the end of stop(), or when an embedder unsubscribes without stopping.
  const closeAll = () => {
    if (closed) return;
    closed = true;
    for (const r of running) {
      try {
        r.queue.close();
      } catch (e) {
        log.warn('queue close failed', { sink: r.spec.name, error: String(e) });
      }
      void r.client.close().catch(() => undefined);
    }
  };
  const push: Push = {
    sinks: running.map((r) => r.spec.name),
    standby$,
    setStandby(on) {
      if (on !== standby$.value) log.info(on ? 'standby: pushing stopped' : 'active: pushing started', {});
      standby$.next(on);
    },
    consumer(snapshots$, agent) {
      agentRef = agent;
      agent.self.addProvider(() => sinkFamilies(running.map((r) => r.stats)));
      agent.onStop((budget) => push.stop(budget));
      log.info('push sinks started', { sinks: push.sinks.join(','), intervalMs: ex.pushInterval, queueDir: ex.queue.dir || undefined, standby: standby$.value });
      return merge(...running.map((r) => pipeline(r, snapshots$, agent)));
    },
    async stop(budgetMs) {
      if (stopped) return stoppedAll;
      stopped = true;
      const deadline = scheduler.now() + Math.max(100, budgetMs - 150);
      const left = () => Math.max(1, deadline - scheduler.now());
      for (const r of running) {
        if (r.spec.skipFinalPush) dropAtShutdown(r, r.queue.clear(), 'push: batch not pushed at shutdown (group deleted)');
        // What a former leader queued is not sent by a standby: another replica pushes now.
        else if (standby$.value) dropAtShutdown(r, r.queue.clear(), 'push: batches not pushed at shutdown (standby)');
      }
      stop$.next();
      await Promise.all(
        running.map(async (r) => {
          // The last drain: bounded by the budget; a memory queue loses what is left, a disk queue keeps it.
          await firstValueFrom(r.done$.pipe(timeout({ first: left(), scheduler }), catchError(() => EMPTY)), { defaultValue: undefined });
          if (r.spec.shutdown) {
            await firstValueFrom(
              r.spec.shutdown().pipe(
                timeout({ first: left(), scheduler }),
                catchError((e: unknown) => {
                  log.warn('push shutdown request failed', { sink: r.spec.name, error: String(e) });
                  return EMPTY;
                }),
              ),
              { defaultValue: undefined },
            );
          }
        }),
      );
      // A disk queue keeps what is on disk for the next start; what only memory holds is lost.
      for (const r of running) dropAtShutdown(r, r.queue.dropVolatile(), 'push: undelivered batches lost at shutdown (held in memory only)');
      closeAll();
      stopDone();
    },
  };
  const consumer = push.consumer;
  return {
    ...push,
    stop: push.stop,
    consumer: (s$, agent) =>
      new Observable<DeliveryResult>((sub) => {
        const inner = consumer(s$, agent).subscribe(sub);
        return () => {
          inner.unsubscribe();
          if (!stopped) closeAll();
        };
      }),
  };
}
