import { BehaviorSubject, concat, defer, filter, first, forkJoin, from, Observable, of, Subscription, switchMap, throwError } from 'rxjs';
import { RxporterError, toRxporterError } from '../errors';
import { parseAllowlist, parseOptInList } from '../ksm/common';
import { podInfoAnswer, POD_INFO_PATH, type PodInfoCaches } from '../ksm/podInfo';
import { KSM_STORES } from '../ksm/stores';
import { KSM_RESOURCES, type KsmOptions, type KsmResource, type KubeObject } from '../ksm/types';
import type { KubeClient } from '../kube/client';
import type { KubeConnection } from '../kube/config';
import type { Informer } from '../kube/informer';
import { KUBE_RESOURCES } from '../kube/resources';
import type { Log } from '../log/types';
import type { MetricFamily } from '../model/family';
import type { Collector, CollectorContext, CollectorDefinition } from './types';

/** Options of createKsmCollector. */
export interface KsmCollectorOptions {
  /** The resources to watch and report, KSM's `--resources`. */
  readonly resources: readonly KsmResource[];
  /** Allowlists and opt-ins as the stores take them (`now` comes from the scrape's scheduler). */
  readonly ksm: Omit<KsmOptions, 'now'>;
  /** Resolves the connection (kube.config, $KUBECONFIG or in-cluster); called again after a failure. */
  readonly connect: () => Promise<KubeConnection>;
  /** kube.request-timeout, ms. */
  readonly requestTimeoutMs: number;
  /** Informer tuning (tests): LIST page size, backoff. */
  readonly informer?: { readonly pageSize?: number; readonly backoff?: { readonly initialMs: number; readonly maxMs: number } };
}

/** The ksm collector with what the pod-info endpoint and tests read. */
export interface KsmCollector extends Collector {
  /** The informers' caches the pod-info endpoint reads (pods undefined until its first LIST). */
  caches(): PodInfoCaches;
  /** The informer of each watched resource, once started. */
  informers(): ReadonlyMap<KsmResource, Informer> | undefined;
}

interface Runtime {
  readonly client: KubeClient;
  readonly informers: Map<KsmResource, Informer>;
  readonly subs: Subscription;
}

type State = { readonly kind: 'idle' } | { readonly kind: 'connecting' } | { readonly kind: 'running'; readonly rt: Runtime } | { readonly kind: 'failed'; readonly error: RxporterError };

/**
 * Returns the `ksm` collector: kube-state-metrics' families of `o.resources`, generated from
 * informer caches (src/kube/informer.ts) by the KSM stores (src/ksm/stores); a scrape never
 * calls the API server. The informers start on the first ready() or collect() and live on the
 * main thread (mainThread: the pod-info endpoint reads the same caches). A resource whose first
 * LIST has not completed, or whose list/watch is failing, makes the cycle fail (success 0, one
 * log line naming the resources) while the families of the others are still served; so does a
 * connection that cannot be set up (bad kubeconfig: retried at the next cycle).
 */
export function createKsmCollector(o: KsmCollectorOptions): KsmCollector {
  const state$ = new BehaviorSubject<State>({ kind: 'idle' });
  /** The error of the last failed connection, named while the next attempt runs. */
  let lastFailure: RxporterError | undefined;

  const start = (log: Log): void => {
    const s = state$.value;
    if (s.kind === 'connecting' || s.kind === 'running') return;
    state$.next({ kind: 'connecting' });
    o.connect().then(
      (conn) => {
        if (state$.value.kind !== 'connecting') return; // stopped meanwhile
        const { createKubeClient } = require('../kube/client') as typeof import('../kube/client');
        const { createInformer } = require('../kube/informer') as typeof import('../kube/informer');
        const client = createKubeClient(conn, { requestTimeoutMs: o.requestTimeoutMs });
        const informers = new Map<KsmResource, Informer>();
        const subs = new Subscription();
        for (const r of o.resources) {
          const inf = createInformer({ client, resource: KUBE_RESOURCES[r], log, pageSize: o.informer?.pageSize, backoff: o.informer?.backoff });
          informers.set(r, inf);
          subs.add(inf.run$.subscribe());
        }
        log.info('ksm informers started', { server: conn.server, source: conn.source, resources: o.resources.join(',') });
        state$.next({ kind: 'running', rt: { client, informers, subs } });
      },
      (e: unknown) => {
        if (state$.value.kind !== 'connecting') return;
        state$.next({ kind: 'failed', error: toRxporterError(e, 'RXP_KUBE') });
      },
    );
  };

  const runtime = (): Runtime | undefined => {
    const s = state$.value;
    return s.kind === 'running' ? s.rt : undefined;
  };

  const ready = (ctx: CollectorContext): Observable<unknown> =>
    defer(() => {
      start(ctx.log);
      return state$.pipe(
        filter((s) => s.kind === 'running' || s.kind === 'failed'),
        first(),
        switchMap((s) => (s.kind === 'running' && s.rt.informers.size > 0 ? forkJoin([...s.rt.informers.values()].map((i) => i.synced())) : of(undefined))),
      );
    });

  const families = (rt: Runtime, ctx: CollectorContext): { families: MetricFamily[]; problems: string[] } => {
    const out: MetricFamily[] = [];
    const problems: string[] = [];
    const ksm: KsmOptions = { ...o.ksm, now: () => ctx.scheduler.now() };
    for (const r of o.resources) {
      const inf = rt.informers.get(r)!;
      const err = inf.lastError();
      if (!inf.hasSynced()) problems.push(`${r}: first LIST not done${err ? ` (${err.message})` : ''}`);
      else if (err) problems.push(`${r}: ${err.message}`);
      if (!inf.hasSynced()) continue;
      // A failing watch leaves the last known state: served, but the cycle says it may be stale.
      const objects = [...inf.objects.values()] as KubeObject[];
      for (const f of KSM_STORES[r].families(objects, ksm)) out.push(f);
    }
    return { families: out, problems };
  };

  const collect = (ctx: CollectorContext): Observable<MetricFamily> =>
    defer(() => {
      // A failed connection is reported before anything retries it (a retry would hide its cause);
      // the next cycle tries again (a kubeconfig fixed, a token mounted).
      const was = state$.value;
      if (was.kind === 'failed') {
        lastFailure = was.error;
        state$.next({ kind: 'idle' });
        return throwError(() => was.error);
      }
      start(ctx.log);
      const s = state$.value;
      if (s.kind === 'failed') return throwError(() => s.error);
      if (s.kind !== 'running') {
        const why = lastFailure ? ` (the last attempt failed: ${lastFailure.message})` : '';
        return throwError(() => new RxporterError('RXP_KUBE', `ksm: connecting to the API server${why}`));
      }
      lastFailure = undefined;
      const r = families(s.rt, ctx);
      const out$ = from(r.families);
      if (r.problems.length === 0) return out$;
      // The synced resources' families are kept (scrapeCollector keeps what came before an error).
      return concat(out$, throwError(() => new RxporterError('RXP_KUBE', `ksm: resources not in sync: ${r.problems.join('; ')}`)));
    });

  const caches = (): PodInfoCaches => {
    const inf = runtime()?.informers;
    const synced = (r: KsmResource) => {
      const i = inf?.get(r);
      return i?.hasSynced() ? (i.objects as ReadonlyMap<string, KubeObject>) : undefined;
    };
    return { pods: synced('pods'), replicasets: synced('replicasets'), jobs: synced('jobs') };
  };

  return {
    name: 'ksm',
    defaultEnabled: false,
    mainThread: true,
    collect,
    ready,
    routes: o.resources.includes('pods') ? { [POD_INFO_PATH]: (q) => podInfoAnswer(q, caches()) } : undefined,
    stop() {
      const rt = runtime();
      state$.next({ kind: 'idle' });
      if (rt) {
        rt.subs.unsubscribe();
        void rt.client.close();
      }
    },
    caches,
    informers: () => runtime()?.informers,
  };
}

/** Returns KSM's `--resources` list as resources, in KSM_RESOURCES order; throws RXP_CONFIG naming an unknown one. */
export function parseResources(text: string, flag = '--collector.ksm.resources'): KsmResource[] {
  const want = new Set(
    text
      .split(',')
      .map((s) => s.trim())
      .filter((s) => s !== ''),
  );
  for (const r of want) {
    if (!(KSM_RESOURCES as readonly string[]).includes(r)) {
      throw new RxporterError('RXP_CONFIG', `${flag}: unknown resource ${JSON.stringify(r)}; available: ${KSM_RESOURCES.join(',')}`);
    }
  }
  // An empty list is the default set, as in kube-state-metrics (its options treat an unset --resources so).
  return want.size === 0 ? [...KSM_RESOURCES] : KSM_RESOURCES.filter((r) => want.has(r));
}

/** The ksm collector's definition: off by default; options with kube-state-metrics' flag names under collector.ksm. */
export const ksmDefinition: CollectorDefinition = {
  name: 'ksm',
  defaultEnabled: false,
  options: {
    resources: {
      doc: "Resources to watch and report, comma-separated (kube-state-metrics' --resources).",
      format: String,
      default: KSM_RESOURCES.join(','),
      arg: 'collector.ksm.resources',
    },
    metricLabelsAllowlist: {
      doc: "Kubernetes labels exported as kube_<kind>_labels, KSM's format: pods=[app,team],namespaces=[*]; empty: none.",
      format: String,
      default: '',
      arg: 'collector.ksm.metric-labels-allowlist',
    },
    metricAnnotationsAllowlist: {
      doc: "Kubernetes annotations exported as kube_<kind>_annotations, KSM's format: pods=[app,team],namespaces=[*]; empty: none.",
      format: String,
      default: '',
      arg: 'collector.ksm.metric-annotations-allowlist',
    },
    metricOptInList: {
      doc: "Opt-in families of kube-state-metrics to emit (regular expressions, comma-separated), e.g. kube_pod_nodeselectors.",
      format: String,
      default: '',
      arg: 'collector.ksm.metric-opt-in-list',
    },
  },
  create: (options, env) => {
    const config = env?.config;
    return createKsmCollector({
      resources: parseResources(String(options.resources ?? KSM_RESOURCES.join(','))),
      ksm: {
        labelsAllowlist: parseAllowlist(String(options.metricLabelsAllowlist ?? ''), '--collector.ksm.metric-labels-allowlist'),
        annotationsAllowlist: parseAllowlist(String(options.metricAnnotationsAllowlist ?? ''), '--collector.ksm.metric-annotations-allowlist'),
        optIn: parseOptInList(String(options.metricOptInList ?? ''), '--collector.ksm.metric-opt-in-list'),
      },
      connect: () => (require('../kube/config') as typeof import('../kube/config')).loadKubeConnection({ configPath: config?.kube.config }),
      requestTimeoutMs: config?.kube.requestTimeout ?? 30_000,
    });
  },
};
