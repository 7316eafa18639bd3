import type { Server } from 'node:http';
import { eachValueFrom } from 'rxjs-for-await';
import { asyncScheduler, concat, firstValueFrom, ignoreElements, merge, Observable, Subscription, type SchedulerLike, timeout, catchError, EMPTY } from 'rxjs';
import { keepRestartOnly } from './config/reload';
import { RxporterError } from './errors';
import { collectorContext, enabledCollectors } from './collectors';
import type { Collector, CollectorContext } from './collectors/types';
import type { RxporterConfig } from './config/load';
import { silentLog, type Log } from './log/types';
import { snapshotFamilies, type Labels, type MetricFamily, type Snapshot } from './model/family';
import { SelfMetrics, workerFamilies } from './model/selfMetrics';
import { createCollectorPool, type ActorHandle, type CollectorPool } from './actors/pool';
import { threadActor } from './actors/threadActor';
import { counter } from './model/family';
import { collectAll, snapshotOf } from './pipeline/collect';
import { createCollectionLoop, type CollectionLoop } from './pipeline/collectionLoop';
import { scrapeCollector } from './pipeline/scrapeCollector';
import { createMetricsServer, listen } from './server/http';
import { createWebGate, type WebGate } from './server/webGate';
import { enabledSinks } from './sinks/enabled';
import { startPprof, type Pprof } from './server/pprof';
import { createStatusRoutes } from './server/status/routes';

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
  readonly consumers?: readonly Consumer[];
  /**
   * Re-reads the configuration from where it came at start (the CLI: the file, then the
   * environment and flags over it), for reload() without an argument.
   */
  readonly loadConfig?: () => RxporterConfig | Promise<RxporterConfig>;
}

/** A consumer of the snapshot stream (a push sink): gets snapshots$, returns the observable of its work. */
export type Consumer = (snapshots$: Observable<Snapshot>, agent: Agent) => Observable<unknown>;

/**
 * A part's answer to a reloaded config (Agent.onReload), prepared before anything changes:
 * commit() applies it at the collection boundary; abort() undoes the preparation when another
 * part refused the config.
 */
export interface ReloadStep {
  commit(): void;
  abort(): void;
}

/**
 * Checks and prepares a reloaded config for one part; returns undefined when the part has
 * nothing to do. Throws RXP_CONFIG (one line per problem) to refuse the config.
 */
export type ReloadHook = (next: RxporterConfig, running: RxporterConfig) => ReloadStep | undefined;

/** A running rxporter: its snapshot stream and what the HTTP endpoint and sinks need. */
export interface Agent {
  /** The running configuration (a reload replaces it). */
  readonly config: RxporterConfig;
  readonly log: Log;
  readonly self: SelfMetrics;
  /** The collectors the running configuration enables (a reload may change them). */
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
  /** The collector actors (worker threads) now live; none when the collectors run on this thread. */
  actors(): readonly ActorHandle[];
  /** Starts the interval and the consumers. */
  start(): void;
  /**
   * Registers work for a clean shutdown (the push sinks' last drain, the Pushgateway DELETE);
   * stop() runs every hook after the last collection, with the time left of its grace.
   */
  onStop(hook: (budgetMs: number) => Promise<void>): void;
  /** Stops the interval, lets a collection in flight finish (up to `graceMs`) and stops the consumers. */
  stop(graceMs?: number): Promise<void>;
  /**
   * Reloads the configuration: `next`, or AgentOptions.loadConfig's when omitted. A valid one is
   * swapped in at the next collection boundary (never in the middle of a collection: at once when
   * none runs): collectors added or removed (the worker pool rebuilt when the collectors' settings
   * changed), the interval re-timed, and each reload hook's step committed (the push sinks). The
   * settings of config/reload.ts RESTART_ONLY keep their running values (one warning each).
   * Resolves once swapped. An invalid config is refused: one `reload refused: invalid
   * configuration` error line per problem, rxporter_config_last_reload_successful 0, the running
   * config stays, and the promise rejects with the RxporterError (RXP_CONFIG). Reloads run one at a time.
   */
  reload(next?: RxporterConfig): Promise<void>;
  /** Registers a part's check and preparation of reloaded configs (run in registration order). */
  onReload(hook: ReloadHook): void;
  /** Adds a consumer of the snapshot stream; it is subscribed now if the agent runs, else on start(). */
  addConsumer(c: Consumer): void;
}

/** What a reload may rebuild: the collectors, their context and the worker pool that runs them. */
interface Generation {
  readonly config: RxporterConfig;
  readonly collectors: readonly Collector[];
  /** Collectors that run on this thread beside the pool (mainThread: the ksm collector's informers). */
  readonly mainThread: readonly Collector[];
  readonly ctx: CollectorContext;
  readonly pool?: CollectorPool;
}

/**
 * The settings the collectors (and their workers, which get the whole config) depend on: all but
 * the sections no collector reads (global, web, log, exporter); a change rebuilds the worker pool.
 */
const collectorSettings = (c: RxporterConfig): string => JSON.stringify({ ...c, global: undefined, exporter: undefined, web: undefined, log: undefined });

/** Returns an agent built from `config`; nothing runs until start(). */
export function createAgent(o: AgentOptions): Agent {
  const log = o.log ?? silentLog;
  const scheduler = o.scheduler ?? asyncScheduler;
  const self = new SelfMetrics();
  self.lastReloadSuccessSeconds = scheduler.now() / 1000;
  let seq = 0;
  // Durations want a monotonic clock; with a virtual scheduler the scheduler's own clock.
  const monotonic = scheduler === asyncScheduler ? () => performance.now() : () => scheduler.now();
  const nextSeq = (): number => ++seq;
  const build = (config: RxporterConfig): Generation => {
    const collectors = o.collectors ?? enabledCollectors(config);
    // The config's collectors run on worker threads (actors); an embedder's own on this thread, and
    // so do those whose state the main thread shares (mainThread: the ksm collector's informers).
    // The pool starts its threads at its first collection.
    const inWorkers = !(o.collectors || o.run === 'in-thread');
    const mainThread = inWorkers ? collectors.filter((c) => c.mainThread) : [];
    const pool: CollectorPool | undefined = !inWorkers
      ? undefined
      : createCollectorPool({
          names: collectors.filter((c) => !c.mainThread).map((c) => c.name),
          spawn: () => threadActor({ init: { config, timeoutMs: config.collect.timeout, statfsModule: o.statfsModule } }),
          timeoutMs: config.collect.timeout,
          maxAbandoned: config.collect.maxAbandonedWorkers,
          scheduler,
          log,
          now: monotonic,
        });
    return { config, collectors, mainThread, ctx: collectorContext(config, log, scheduler), pool };
  };
  let gen = build(o.config);
  /** Abandoned workers of pools a reload replaced (the counter goes on across pools). */
  let abandonedBefore = 0;
  if (gen.pool) {
    self.addProvider(() => [
      counter('rxporter_collector_workers_abandoned_total', 'Collector worker threads abandoned while stuck in a call the kernel did not return from.', [
        { labels: {}, value: abandonedBefore + (gen.pool?.abandonedTotal() ?? 0) },
      ]),
      ...workerFamilies(gen.pool?.timings() ?? []),
    ]);
  }
  // Before the first collection, wait (up to collect.timeout) for collectors that say when they are
  // ready: the ksm collector's first LIST of each resource, so `--once` prints the cluster's state.
  let readyWaited = false;
  const readiness = (): Observable<never> => {
    if (readyWaited) return EMPTY;
    readyWaited = true;
    const { collectors, ctx, config } = gen;
    const waits = collectors.filter((c) => c.ready).map((c) => c.ready!(ctx));
    return waits.length === 0 ? EMPTY : merge(...waits).pipe(ignoreElements(), timeout({ first: config.collect.timeout, scheduler }), catchError(() => EMPTY));
  };
  const loop: CollectionLoop = createCollectionLoop({
    collect: () => {
      self.collections++;
      self.rollLag();
      const { pool, collectors, mainThread, ctx, config } = gen;
      const scrape = { timeoutMs: config.collect.timeout, now: monotonic };
      return concat(
        readiness(),
        pool
          ? snapshotOf(() => merge(pool.collect(), ...mainThread.map((c) => scrapeCollector(c, ctx, scrape))), { nextSeq, wallClock: () => scheduler.now() })
          : collectAll(collectors, ctx, { ...scrape, nextSeq }),
      );
    },
    periodMs: o.config.collect.interval,
    scheduler,
    onSkip: () => {
      self.collectionsSkipped++;
      log.warn('collection still running at interval tick; tick skipped', {});
    },
  });
  const subs = new Subscription();
  const stopHooks: ((budgetMs: number) => Promise<void>)[] = [];
  const reloadHooks: ReloadHook[] = [];
  const consumers: Consumer[] = [...(o.consumers ?? [])];
  let ticks: Subscription | undefined;
  let started = false;
  let stopped = false;
  const subscribeConsumer = (c: Consumer) =>
    subs.add(c(loop.snapshots$, agent).subscribe({ error: (e: unknown) => log.error('consumer failed', { error: String(e) }) }));
  const baseLabels = (): Labels => ({
    ...gen.config.global.labels,
    nodeName: gen.config.global.nodeName,
    masterIp: gen.config.global.masterIp,
  });
  const stopPool = (pool: CollectorPool | undefined) =>
    pool ? firstValueFrom(pool.stop().pipe(timeout({ first: 1000, scheduler }), catchError(() => EMPTY)), { defaultValue: undefined }) : Promise.resolve(undefined);
  /** Stops what `gone` has and `kept` does not: its pool and its own collectors' state (informers). */
  const retire = (gone: Generation, kept: Generation) => {
    for (const c of gone.collectors) if (!kept.collectors.includes(c)) c.stop?.();
    return gone.pool !== kept.pool ? stopPool(gone.pool) : Promise.resolve(undefined);
  };

  /** Checks and prepares `given` (or the re-read sources), then swaps it in at the collection boundary. */
  const applyReload = async (given: RxporterConfig | undefined): Promise<void> => {
    const running = gen.config;
    const steps: ReloadStep[] = [];
    let next: Generation | undefined;
    try {
      if (stopped) throw new RxporterError('RXP_CONFIG', 'the agent is stopping');
      if (!given && !o.loadConfig) throw new RxporterError('RXP_CONFIG', 'no configuration source to reload from');
      // Synchronous up to the boundary wait when given a config (virtual-time tests rely on it).
      const { config, kept } = keepRestartOnly(running, given ?? (await (o.loadConfig as NonNullable<AgentOptions['loadConfig']>)()));
      next = collectorSettings(config) === collectorSettings(running) ? { ...gen, config } : build(config);
      for (const h of reloadHooks) {
        const step = h(config, running);
        if (step) steps.push(step);
      }
      for (const k of kept) log.warn('reload: setting needs a restart; running value kept', { key: k.key, running: JSON.stringify(k.running), wanted: JSON.stringify(k.wanted) });
    } catch (e) {
      for (const s of steps) s.abort();
      if (next) void retire(next, gen);
      self.lastReloadSuccessful = 0;
      const code = e instanceof RxporterError ? e.code : 'unknown';
      for (const line of (e instanceof Error ? e.message : String(e)).split('\n')) log.error('reload refused: invalid configuration', { code, error: line });
      throw e instanceof RxporterError ? e : new RxporterError('RXP_CONFIG', String(e), false, { cause: e });
    }
    const ready = next;
    await new Promise<void>((resolve, reject) =>
      loop.atBoundary(() => {
        if (stopped) {
          // stop() came while this reload waited for the collection to end: nothing is applied.
          for (const s of steps) s.abort();
          void retire(ready, gen);
          reject(new RxporterError('RXP_CONFIG', 'the agent stopped before the reloaded config could be applied'));
          return;
        }
        const old = gen;
        gen = ready;
        for (const s of steps) s.commit();
        if (old.pool && old.pool !== gen.pool) abandonedBefore += old.pool.abandonedTotal();
        void retire(old, gen);
        const periodMs = gen.config.collect.interval;
        if (ticks && !stopped && periodMs !== old.config.collect.interval) {
          ticks.unsubscribe();
          ticks = loop.ticksEvery(periodMs, periodMs).subscribe();
        }
        self.lastReloadSuccessful = 1;
        self.lastReloadSuccessSeconds = scheduler.now() / 1000;
        log.info('configuration reloaded', { collectors: gen.collectors.map((c) => c.name).join(','), intervalMs: periodMs, workersRebuilt: old.pool !== gen.pool });
        resolve();
      }),
    );
  };
  let reloading: Promise<void> | undefined;

  const agent: Agent = {
    get config() {
      return gen.config;
    },
    log,
    self,
    get collectors() {
      return gen.collectors;
    },
    snapshots$: loop.snapshots$,
    snapshots: () => eachValueFrom(loop.snapshots$),
    scrape: () => loop.scrape(),
    exposition: (s) => [...snapshotFamilies(s), ...(gen.config.web.selfMetrics ? self.families() : self.nodeExporterFamilies())],
    baseLabels,
    actors: () => gen.pool?.actors() ?? [],
    start() {
      started = true;
      for (const c of consumers) subscribeConsumer(c);
      ticks = loop.ticks$.subscribe();
      log.info('rxporter started', { collectors: gen.collectors.map((c) => c.name).join(','), intervalMs: gen.config.collect.interval });
    },
    onStop(hook) {
      stopHooks.push(hook);
    },
    async stop(graceMs = 4000) {
      stopped = true;
      const stopAt = scheduler.now() + graceMs;
      ticks?.unsubscribe();
      await firstValueFrom(loop.idle().pipe(timeout({ first: graceMs, scheduler }), catchError(() => EMPTY)), { defaultValue: undefined });
      const budget = Math.max(250, stopAt - scheduler.now());
      await Promise.all(stopHooks.map((h) => h(budget).catch((e: unknown) => log.error('stop hook failed', { error: String(e) }))));
      subs.unsubscribe();
      for (const c of gen.collectors) c.stop?.();
      await stopPool(gen.pool);
    },
    reload(next) {
      // One at a time; when none is pending it is checked at once (synchronously, up to the boundary wait).
      const r = reloading ? reloading.then(() => applyReload(next)) : applyReload(next);
      const tail = r.catch(() => undefined);
      reloading = tail;
      void tail.then(() => {
        if (reloading === tail) reloading = undefined;
      });
      return r;
    },
    onReload(hook) {
      reloadHooks.push(hook);
    },
    addConsumer(c) {
      consumers.push(c);
      if (started && !stopped) subscribeConsumer(c);
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
  /** The profiling listener, when `global.pprof.enable` (closed by agent.stop()). */
  readonly pprof?: Pprof;
}

/**
 * Builds and starts everything the config asks for, as the daemon does: the collectors (in
 * worker threads unless `collectors` are given), the push sinks the config enables, and the
 * /metrics server with the status page on `web.listenAddress`, and the profiling listener when
 * `global.pprof.enable`. Resolves once the servers listen and the agent runs; stop with
 * `agent.stop()` and `server.close()` (cli/daemon.ts adds a graceful shutdown).
 * Throws RXP_CONFIG for an inconsistent sink section or a web config file that cannot be used
 * (server/webConfig.ts: its key, value and what was expected).
 */
export async function startAgent(o: Omit<AgentOptions, 'consumers'>): Promise<ServingAgent> {
  const { config } = o;
  const log = o.log ?? silentLog;
  // Only the serving agent pushes (--once never does), and it loads the sinks' code (and undici)
  // only when one is enabled: about 11 MB of RSS saved on a pull-only node.
  const pushFor = (c: RxporterConfig) => {
    const en = enabledSinks(c);
    return en.pushgateway || en.vmagent || en.remoteWrite ? (require('./sinks') as typeof import('./sinks')).createPush({ config: c, log }) : undefined;
  };
  let push = pushFor(config);
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
  // A reload re-points, adds and removes sinks; the first sink of a pull-only agent brings the push side.
  agent.onReload((next) => {
    if (push) return push.prepare(next);
    const added = pushFor(next);
    if (!added) return undefined;
    if (leader) {
      void added.stop(0);
      // The election drives the push side it started with; a new one would push from a standby too.
      throw new RxporterError('RXP_CONFIG', 'exporter: push sinks cannot be added by a reload to a replica that started without any under kube.leader-elect: restart to add them');
    }
    return {
      commit: () => {
        push = added;
        agent.addConsumer(added.consumer);
      },
      abort: () => void added.stop(0),
    };
  });
  if (web) {
    agent.self.addProvider(() => web.families());
    // A reload re-reads the web config file whether it changed or not; a broken one keeps the
    // last good config in force and is logged by the gate (rxporter_web_config_last_reload_successful 0).
    agent.onReload(() => ({ commit: () => void web.refresh({ force: true }).catch(() => undefined), abort: () => undefined }));
  }
  const status = createStatusRoutes({ agent, push });
  agent.onStop(async () => status.close());
  // Path and base labels are read per request, so that a reload changes them.
  const server = createMetricsServer(agent, {
    get telemetryPath() {
      return agent.config.web.telemetryPath;
    },
    get baseLabels() {
      return agent.config.web.baseLabels;
    },
    web,
    status,
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
  let pprof: Pprof | undefined;
  if (config.global.pprof.enable) {
    pprof = await startPprof({ address: config.global.pprof.listenAddress, actors: () => agent.actors(), log }).catch(async (e: unknown) => {
      server.close();
      await web?.close();
      throw e;
    });
    const { server: ps } = pprof;
    // A profile in flight is cut: a shutdown does not wait up to 300 s for it.
    agent.onStop(
      () =>
        new Promise<void>((resolve) => {
          ps.close(() => resolve());
          ps.closeAllConnections();
        }),
    );
  }
  agent.start();
  return { agent, server, port, web, pprof };
}
