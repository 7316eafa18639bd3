import { join } from 'node:path';
import {
  asyncScheduler,
  BehaviorSubject,
  catchError,
  EMPTY,
  filter,
  firstValueFrom,
  interval,
  switchMap,
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
import type { Agent, ReloadStep } from '../agent';
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
  /** Each sink's counters and queue, in `sinks` order (the status page reads them). */
  readonly stats: readonly SinkStats[];
  /** For AgentOptions.consumers: subscribes every sink to the snapshots and registers self-metrics and the stop hook. */
  readonly consumer: (snapshots$: Observable<Snapshot>, agent: Agent) => Observable<DeliveryResult>;
  /** True while this agent is a standby replica: snapshots are not pushed. */
  readonly standby$: BehaviorSubject<boolean>;
  /** Switches standby at run time (the Kubernetes leader election calls this). */
  setStandby(on: boolean): void;
  /** Pushes what waits (within `budgetMs`), DELETEs the Pushgateway group if asked, closes clients and queues; a second call resolves with the first. */
  stop(budgetMs: number): Promise<void>;
  /**
   * Checks a reloaded config's sinks and prepares them (Agent.onReload): a sink whose settings
   * changed is re-pointed (a new spec and client; its queue, with what waits in it, and its
   * pipeline stay, so nothing queued is lost or sent twice), a new sink is opened (its queue
   * locked), and a sink no longer enabled is removed at commit: it stops taking snapshots, gets a
   * last drain of at most exporter.timeout (1 s at least), then its Pushgateway group is DELETEd if
   * deleteOnShutdown; a disk queue keeps what is left in its directory (sent when the sink comes
   * back), a memory queue's rest is dropped (reason "removed"). exporter.pushInterval applies at
   * commit. Throws RXP_CONFIG (a sink enabled without a valid URL) before anything changes.
   */
  prepare(next: RxporterConfig): ReloadStep;
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

/** One sink a config enables: its name, what identifies its settings, and how to build its spec. */
interface SinkDef {
  readonly name: string;
  /** Its config section: the client options (TLS, auth, proxy, headers) are read from it. */
  readonly section: 'pushgateway' | 'vmagent' | 'remoteWrite';
  /** The settings its spec and client are built from: a change re-points the sink (same queue). */
  readonly key: string;
  readonly build: (client: HttpClient) => SinkSpec;
}

/**
 * Returns the push side built from `config.exporter`, or undefined when no sink is enabled.
 * Opens the disk queues (locking them; one that fails starts degraded to memory) and loads
 * undici now, so that configuration problems surface at start. Throws RXP_CONFIG.
 */
export function createPush(o: PushOptions): Push | undefined {
  const { log } = o;
  let config = o.config;
  // The settings a reload cannot change (config/reload.ts RESTART_ONLY: queue, retry, standby) are read from here.
  const ex = config.exporter;
  const en = enabledSinks(config);
  if (!en.pushgateway && !en.vmagent && !en.remoteWrite) return undefined;
  const scheduler = o.scheduler ?? asyncScheduler;
  const standby$ = new BehaviorSubject<boolean>(ex.standby);
  const pushInterval$ = new BehaviorSubject<number>(ex.pushInterval);
  const stop$ = new Subject<void>();
  let agentRef: Agent | undefined;
  const baseLabels = () => agentRef?.baseLabels() ?? { ...config.global.labels, nodeName: config.global.nodeName, masterIp: config.global.masterIp };

  interface Running {
    /** Its spec and client: replaced when a reload re-points the sink; the queue and pipeline stay. */
    spec: SinkSpec;
    client: HttpClient;
    key: string;
    readonly queue: SinkQueue;
    readonly stats: SinkStats;
    readonly done$: ReplaySubject<void>;
    /** Ends its pipeline (a last drain follows) when a reload removes the sink. */
    readonly remove$: Subject<void>;
    readonly park: boolean;
    /** A capped Retry-After was logged since the last delivery (logged once per episode). */
    retryAfterCapLogged: boolean;
  }
  const running: Running[] = [];
  /** Sinks a reload removed, until their last drain has ended. */
  const retiring = new Map<Running, Promise<void>>();
  const added$ = new Subject<Running>();

  const sinkDefs = (c: RxporterConfig): SinkDef[] => {
    const e = c.exporter;
    const on = enabledSinks(c);
    const defs: SinkDef[] = [];
    const job = e.pushgateway.job || c.global.appName;
    if (on.pushgateway) {
      defs.push({
        name: 'pushgateway',
        section: 'pushgateway',
        key: JSON.stringify([e.timeout, e.pushgateway, job, c.global.nodeName]),
        build: (client) =>
          pushgatewaySink({
            url: e.pushgateway.url,
            job,
            nodeName: c.global.nodeName,
            groupingLabels: e.pushgateway.groupingLabels,
            deleteOnShutdown: e.pushgateway.deleteOnShutdown,
            client,
            baseLabels,
          }),
      });
    }
    if (on.vmagent) defs.push({ name: 'vmagent', section: 'vmagent', key: JSON.stringify([e.timeout, e.vmagent]), build: (client) => vmImportSink({ url: e.vmagent.url, client, baseLabels }) });
    if (on.remoteWrite) {
      const rw = e.remoteWrite;
      defs.push({
        name: 'remote_write',
        section: 'remoteWrite',
        key: JSON.stringify([e.timeout, rw]),
        build: (client) =>
          remoteWriteSink({
            url: rw.url,
            client,
            baseLabels,
            maxSamplesPerRequest: rw.maxSamplesPerRequest,
          }),
      });
    }
    return defs;
  };

  /** Returns a client whose request outcomes count in `stats()` (known once the queue is made). */
  const newClient = (c: RxporterConfig, section: SinkDef['section'], stats: () => SinkStats | undefined) =>
    createHttpClient({
      timeoutMs: c.exporter.timeout,
      userAgent: `rxporter/${VERSION}`,
      scheduler,
      onOutcome: (code) => stats()?.request(code),
      client: { options: c.exporter[section], key: `exporter.${section}` },
    });
  const open = (d: SinkDef, c: RxporterConfig): Running => {
    let stats: SinkStats | undefined;
    const client = newClient(c, d.section, () => stats);
    let spec: SinkSpec;
    try {
      spec = d.build(client);
    } catch (e) {
      void client.close().catch(() => undefined);
      throw e;
    }
    const disk = ex.queue.dir !== '' && !spec.conflate;
    const queue = createSinkQueue({
      sink: d.name,
      dir: disk ? join(ex.queue.dir, d.name) : undefined,
      maxBytes: ex.queue.maxBytes,
      memoryBatches: spec.conflate ? 1 : ex.queue.memoryBatches,
      fsync: ex.queue.fsync,
      log,
      now: () => scheduler.now(),
      retryDiskMs: ex.retry.maxBackoff,
      // The queue logs each loss with its seq; the counters exist before open() finds any.
      onCorrupt: (loss) => stats?.drop('corrupt', loss.samples ?? 0, 1),
    });
    stats = new SinkStats(d.name, queue);
    queue.open();
    // Every sink keeps a failing batch at the head of its queue (on disk or in memory) and tries it again on the next
    // push tick: what bounds it is retry.maxElapsed, not retryCount (a 20 s run of 500s must lose nothing).
    return { spec, client, key: d.key, queue, stats, done$: new ReplaySubject<void>(1), remove$: new Subject<void>(), park: true, retryAfterCapLogged: false };
  };
  const close = (r: Running) => {
    try {
      r.queue.close();
    } catch (e) {
      log.warn('queue close failed', { sink: r.spec.name, error: String(e) });
    }
    void r.client.close().catch(() => undefined);
  };
  try {
    for (const d of sinkDefs(config)) running.push(open(d, config));
  } catch (e) {
    for (const r of running) close(r);
    throw e;
  }

  const pipeline = (r: Running, snapshots$: Observable<Snapshot>, agent: Agent): Observable<DeliveryResult> =>
    snapshots$.pipe(
      takeUntil(merge(stop$, r.remove$)),
      filter(() => !standby$.value),
      map((s): Batch => ({ seq: s.seq, timestampMs: s.timestampMs, families: agent.exposition(s) })),
      // Through r.spec at each call: a re-pointed sink sends what it has queued to its new URL.
      runSink({ ...r.spec, encode: (b) => r.spec.encode(b), send: (ps) => r.spec.send(ps) }, {
        queue: r.queue,
        // A standby sends nothing, not even what it queued while it led (a leader that lost its lease stops at once).
        trigger$: pushInterval$.pipe(
          switchMap((ms) => interval(ms, scheduler)),
          filter(() => !standby$.value),
        ),
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

  const dropAtEnd = (r: Running, lost: readonly Payload[], reason: 'shutdown' | 'removed', message: string) => {
    for (const p of lost) r.stats.drop(reason, p.samples);
    if (lost.length > 0) log.warn(message, { sink: r.spec.name, batches: lost.length, seqs: lost.map((p) => p.seq).join(',') });
  };
  /**
   * Ends one sink (at shutdown, or removed by a reload): its pipeline's source has ended; the last
   * drain runs until `left()` is up, then the Pushgateway DELETE if asked; what only memory holds
   * is dropped (counted with `reason`), a disk queue keeps the rest for the next start.
   */
  const finish = async (r: Running, left: () => number, reason: 'shutdown' | 'removed'): Promise<void> => {
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
    dropAtEnd(r, r.queue.dropVolatile(), reason, `push: undelivered batches lost at ${reason === 'removed' ? 'sink removal' : 'shutdown'} (held in memory only)`);
  };
  const deadlineIn = (ms: number) => {
    const deadline = scheduler.now() + ms;
    return () => Math.max(1, deadline - scheduler.now());
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
    for (const r of running) close(r);
  };
  const push: Push = {
    get sinks() {
      return running.map((r) => r.spec.name);
    },
    get stats() {
      return running.map((r) => r.stats);
    },
    standby$,
    setStandby(on) {
      if (on !== standby$.value) log.info(on ? 'standby: pushing stopped' : 'active: pushing started', {});
      standby$.next(on);
    },
    consumer(snapshots$, agent) {
      agentRef = agent;
      // A sink a reload removed is shown until its last drain has ended (its drops included).
      agent.self.addProvider(() => sinkFamilies([...running, ...retiring.keys()].map((r) => r.stats)));
      agent.onStop((budget) => push.stop(budget));
      log.info('push sinks started', { sinks: push.sinks.join(','), intervalMs: pushInterval$.value, queueDir: ex.queue.dir || undefined, standby: standby$.value });
      return merge(
        ...running.map((r) => pipeline(r, snapshots$, agent)),
        added$.pipe(
          takeUntil(stop$),
          mergeMap((r) => pipeline(r, snapshots$, agent)),
        ),
      );
    },
    prepare(next) {
      const defs = sinkDefs(next);
      const added: Running[] = [];
      const repointed: { r: Running; spec: SinkSpec; client: HttpClient; key: string }[] = [];
      try {
        for (const d of defs) {
          const r = running.find((x) => x.spec.name === d.name);
          if (!r) added.push(open(d, next));
          else if (r.key !== d.key) {
            const client = newClient(next, d.section, () => r.stats);
            repointed.push({ r, client, key: d.key, spec: d.build(client) });
          }
        }
      } catch (e) {
        for (const r of added) close(r);
        for (const p of repointed) void p.client.close().catch(() => undefined);
        throw e;
      }
      const removed = running.filter((r) => !defs.some((d) => d.name === r.spec.name));
      return {
        commit() {
          config = next;
          if (next.exporter.pushInterval !== pushInterval$.value) pushInterval$.next(next.exporter.pushInterval);
          for (const p of repointed) {
            const old = p.r.client;
            p.r.spec = p.spec;
            p.r.client = p.client;
            p.r.key = p.key;
            // A request in flight finishes on the old client (undici's close waits for it).
            void old.close().catch(() => undefined);
            log.info('push sink re-pointed', { sink: p.spec.name, queued: p.r.queue.length });
          }
          for (const r of removed) {
            running.splice(running.indexOf(r), 1);
            if (r.spec.skipFinalPush) dropAtEnd(r, r.queue.clear(), 'removed', 'push: batch not pushed at sink removal (group deleted)');
            r.remove$.next();
            log.info('push sink removed', { sink: r.spec.name });
            const left = deadlineIn(Math.max(1000, ex.timeout));
            retiring.set(
              r,
              finish(r, left, 'removed').finally(() => {
                close(r);
                retiring.delete(r);
              }),
            );
          }
          for (const r of added) {
            running.push(r);
            log.info('push sink added', { sink: r.spec.name });
            added$.next(r);
          }
        },
        abort() {
          for (const r of added) close(r);
          for (const p of repointed) void p.client.close().catch(() => undefined);
        },
      };
    },
    async stop(budgetMs) {
      if (stopped) return stoppedAll;
      stopped = true;
      const left = deadlineIn(Math.max(100, budgetMs - 150));
      for (const r of running) {
        if (r.spec.skipFinalPush) dropAtEnd(r, r.queue.clear(), 'shutdown', 'push: batch not pushed at shutdown (group deleted)');
        // What a former leader queued is not sent by a standby: another replica pushes now.
        else if (standby$.value) dropAtEnd(r, r.queue.clear(), 'shutdown', 'push: batches not pushed at shutdown (standby)');
      }
      stop$.next();
      await Promise.all([...running.map((r) => finish(r, left, 'shutdown')), ...retiring.values()]);
      closeAll();
      stopDone();
    },
  };
  const consumer = push.consumer;
  return Object.assign(push, {
    consumer: (s$: Observable<Snapshot>, agent: Agent) =>
      new Observable<DeliveryResult>((sub) => {
        const inner = consumer(s$, agent).subscribe(sub);
        return () => {
          inner.unsubscribe();
          if (!stopped) closeAll();
        };
      }),
  });
}
