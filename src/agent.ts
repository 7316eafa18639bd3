import type { Server } from 'node:http';
import { eachValueFrom } from 'rxjs-for-await';
import { asyncScheduler, concat, firstValueFrom, ignoreElements, merge, Observable, Subscription, type SchedulerLike, timeout, catchError, EMPTY } from 'rxjs';
import { collectorContext, enabledCollectors } from './collectors';
import type { Collector, CollectorContext } from './collectors/types';
import type { RxporterConfig } from './config/load';
import { silentLog, type Log } from './log/types';
import { snapshotFamilies, type Labels, type MetricFamily, type Snapshot } from './model/family';
import { SelfMetrics } from './model/selfMetrics';
import { createCollectorPool, type CollectorPool } from './actors/pool';
import { threadActor } from './actors/threadActor';
import { counter } from './model/family';
import { collectAll, snapshotOf } from './pipeline/collect';
import { createCollectionLoop, type CollectionLoop } from './pipeline/collectionLoop';
import { scrapeCollector } from './pipeline/scrapeCollector';
import { createMetricsServer, listen } from './server/http';
import { createWebGate, type WebGate } from './server/webGate';
import { enabledSinks } from './sinks/enabled';

/** What createAgent needs. */
export interface AgentOptions {
  readonly config: RxporterConfig;
  readonly log?: Log;
  /** Time source for every timer (a TestScheduler in marble tests). */
  readonly scheduler?: SchedulerLike;
  /**
   * Run these collectors instead of the ones the config enables (embedding, extension). They
   * run on the calling thread (functions cannot cross to a worker): a synchronous read that
   * hangs in one of them stalls the agent, so keep their I/O asynchronous.
   */
  readonly collectors?: readonly Collector[];
  /**
   * How the config's collectors run: 'workers' (default) on worker threads that a hung read
   * cannot stall (src/actors), 'in-thread' on the calling thread (virtual-time tests).
   * Ignored when `collectors` is given.
   */
  readonly run?: 'workers' | 'in-thread';
  /** A module exporting `statfsSync(path)` for the workers' statfs threads (tests simulate hung mounts with it). */
  readonly statfsModule?: string;
  /**
   * Consumers of the snapshot stream started with the agent (the push sinks): each gets
   * snapshots$ and returns the observable of its work; it is subscribed on start.
   */
  readonly consumers?: readonly ((snapshots$: Observable<Snapshot>, agent: Agent) => Observable<unknown>)[];
}

/** A running rxporter: its snapshot stream and what the HTTP endpoint and sinks need. */
export interface Agent {
  readonly config: RxporterConfig;
  readonly log: Log;
  readonly self: SelfMetrics;
  readonly collectors: readonly Collector[];
  /** Every collection's snapshot (hot; subscribe before start() to see the first). */
  readonly snapshots$: Observable<Snapshot>;
  /**
   * Returns an async-iterable view of snapshots$ for `for await` loops (rxjs-for-await's
   * eachValueFrom). It subscribes on its first next() (the loop's first turn), so start the
   * loop before the first collection can end (start() collects on a later tick, never
   * synchronously). Every snapshot is kept, in order, however slowly the loop runs: a loop
   * that lags holds the missed snapshots in memory (conflate with RxJS on snapshots$
   * instead, e.g. `throttle`, if that matters). Leaving the loop unsubscribes.
   */
  snapshots(): AsyncIterableIterator<Snapshot>;
  /** Joins the collection in flight or starts one; emits its snapshot and completes. */
  scrape(): Observable<Snapshot>;
  /** Returns the families /metrics serves for a snapshot: collectors, scrape and rxporter_* families. */
  exposition(s: Snapshot): MetricFamily[];
  /** The base labels of pushed samples: nodeName, masterIp and global.labels. */
  baseLabels(): Labels;
  /** Starts the interval and the consumers. */
  start(): void;
  /**
   * Registers work for a clean shutdown (the push sinks' last drain, the Pushgateway DELETE);
   * stop() runs every hook after the last collection, with the time left of its grace.
   */
  onStop(hook: (budgetMs: number) => Promise<void>): void;
  /** Stops the interval, lets a collection in flight finish (up to `graceMs`) and stops the consumers. */
  stop(graceMs?: number): Promise<void>;
}

/** Returns an agent built from `config`; nothing runs until start(). */
export function createAgent(o: AgentOptions): Agent {
  const { config } = o;
  const log = o.log ?? silentLog;
  const scheduler = o.scheduler ?? asyncScheduler;
  const self = new SelfMetrics();
  const collectors = o.collectors ?? enabledCollectors(config);
  const ctx: CollectorContext = collectorContext(config, log, scheduler);
  let seq = 0;
  // Durations want a monotonic clock; with a virtual scheduler the scheduler's own clock.
  const monotonic = scheduler === asyncScheduler ? () => performance.now() : () => scheduler.now();
  const nextSeq = (): number => ++seq;
  // The config's collectors run on worker threads (actors); an embedder's own on this thread, and
  // so do those whose state the main thread shares (mainThread: the ksm collector's informers).
  const inWorkers = !(o.collectors || o.run === 'in-thread');
  const mainThread = inWorkers ? collectors.filter((c) => c.mainThread) : [];
  const pool: CollectorPool | undefined =
    !inWorkers
      ? undefined
      : createCollectorPool({
          names: collectors.filter((c) => !c.mainThread).map((c) => c.name),
          spawn: () =>
            threadActor({ init: { config, timeoutMs: config.collect.timeout, statfsModule: o.statfsModule } }),
          timeoutMs: config.collect.timeout,
          maxAbandoned: config.collect.maxAbandonedWorkers,
          scheduler,
          log,
          now: monotonic,
        });
  if (pool) {
    self.addProvider(() => [
      counter('rxporter_collector_workers_abandoned_total', 'Collector worker threads abandoned while stuck in a call the kernel did not return from.', [
        { labels: {}, value: pool.abandonedTotal() },
      ]),
    ]);
  }
  // Before the first collection, wait (up to collect.timeout) for collectors that say when they are
  // ready: the ksm collector's first LIST of each resource, so `--once` prints the cluster's state.
  let readyWaited = false;
  const readiness = (): Observable<never> => {
    if (readyWaited) return EMPTY;
    readyWaited = true;
    const waits = collectors.filter((c) => c.ready).map((c) => c.ready!(ctx));
    return waits.length === 0 ? EMPTY : merge(...waits).pipe(ignoreElements(), timeout({ first: config.collect.timeout, scheduler }), catchError(() => EMPTY));
  };
  const loop: CollectionLoop = createCollectionLoop({
    collect: () => {
      self.collections++;
      const scrape = { timeoutMs: config.collect.timeout, now: monotonic };
      return concat(
        readiness(),
        pool
          ? snapshotOf(() => merge(pool.collect(), ...mainThread.map((c) => scrapeCollector(c, ctx, scrape))), { nextSeq, wallClock: () => scheduler.now() })
          : collectAll(collectors, ctx, { ...scrape, nextSeq }),
      );
    },
    periodMs: config.collect.interval,
    scheduler,
    onSkip: () => {
      self.collectionsSkipped++;
      log.warn('collection still running at interval tick; tick skipped', {});
    },
  });
  const subs = new Subscription();
  const stopHooks: ((budgetMs: number) => Promise<void>)[] = [];
  let ticks: Subscription | undefined;
  const baseLabels = (): Labels => ({
    ...config.global.labels,
    nodeName: config.global.nodeName,
    masterIp: config.global.masterIp,
  });

  const agent: Agent = {
    config,
    log,
    self,
    collectors,
    snapshots$: loop.snapshots$,
    snapshots: () => eachValueFrom(loop.snapshots$),
    scrape: () => loop.scrape(),
    exposition: (s) => [...snapshotFamilies(s), ...self.families()],
    baseLabels,
    start() {
      for (const c of o.consumers ?? []) subs.add(c(loop.snapshots$, agent).subscribe({ error: (e: unknown) => log.error('consumer failed', { error: String(e) }) }));
      ticks = loop.ticks$.subscribe();
      log.info('rxporter started', { collectors: collectors.map((c) => c.name).join(','), intervalMs: config.collect.interval });
    },
    onStop(hook) {
      stopHooks.push(hook);
    },
    async stop(graceMs = 4000) {
      const stopAt = scheduler.now() + graceMs;
      ticks?.unsubscribe();
      await firstValueFrom(loop.idle().pipe(timeout({ first: graceMs, scheduler }), catchError(() => EMPTY)), { defaultValue: undefined });
      const budget = Math.max(250, stopAt - scheduler.now());
      await Promise.all(stopHooks.map((h) => h(budget).catch((e: unknown) => log.error('stop hook failed', { error: String(e) }))));
      subs.unsubscribe();
      for (const c of collectors) c.stop?.();
      if (pool) await firstValueFrom(pool.stop().pipe(timeout({ first: 1000, scheduler }), catchError(() => EMPTY)), { defaultValue: undefined });
    },
  };
  return agent;
}

/** A started agent with its HTTP endpoint: what the daemon runs. */
export interface ServingAgent {
  readonly agent: Agent;
  readonly server: Server;
  /** The bound port (useful with port 0). */
  readonly port: number;
  /** The --web.config.file gate (TLS, basic auth, headers), when one is configured; refresh({ force: true }) re-reads it. */
  readonly web?: WebGate;
}

/**
 * Builds and starts everything the config asks for, as the daemon does: the collectors (in
 * worker threads unless `collectors` are given), the push sinks the config enables, and the
 * /metrics server on `web.listenAddress`. Resolves once the server listens and the agent runs;
 * stop with `agent.stop()` and `server.close()` (cli/daemon.ts adds a graceful shutdown).
 * Throws RXP_CONFIG for an inconsistent sink section or a web config file that cannot be used
 * (server/webConfig.ts: its key, value and what was expected).
 */
export async function startAgent(o: Omit<AgentOptions, 'consumers'>): Promise<ServingAgent> {
  const { config } = o;
  const log = o.log ?? silentLog;
  // Only the serving agent pushes (--once never does), and it loads the sinks' code (and undici)
  // only when one is enabled: about 11 MB of RSS saved on a pull-only node.
  const en = enabledSinks(config);
  const push =
    en.pushgateway || en.vmagent || en.remoteWrite
      ? (require('./sinks') as typeof import('./sinks')).createPush({ config, log })
      : undefined;
  // The web config first: a bad one stops the start before anything runs.
  const web = config.web.configFile ? await createWebGate({ file: config.web.configFile, log }) : undefined;
  // With kube.leader-elect the Lease decides whether this replica pushes (src/kube/leaderRole.ts).
  const leader = config.kube.leaderElect
    ? await (require('./kube/leaderRole') as typeof import('./kube/leaderRole')).startLeaderRole({ config, log, push }).catch(async (e: unknown) => {
        await web?.close();
        throw e;
      })
    : undefined;
  const agent = createAgent({ ...o, log, consumers: [...(push ? [push.consumer] : []), ...(leader ? [leader] : [])] });
  if (web) agent.self.addProvider(() => web.families());
  const server = createMetricsServer(agent, {
    telemetryPath: config.web.telemetryPath,
    baseLabels: config.web.baseLabels,
    web,
    timeouts: { readHeaderMs: config.web.readHeaderTimeout, requestMs: config.web.requestTimeout, idleMs: config.web.idleTimeout },
  });
  let port: number;
  try {
    port = await listen(server, config.web.listenAddress);
  } catch (e) {
    await web?.close();
    throw e;
  }
  const tls = web?.current().tls;
  const secured = web ? { tls: !!tls, clientAuth: tls?.clientAuthType ?? 'none', basicAuth: Object.keys(web.current().users).length > 0 } : {};
  log.info('listening', { address: config.web.listenAddress, port, path: config.web.telemetryPath, ...secured });
  agent.start();
  return { agent, server, port, web };
}
