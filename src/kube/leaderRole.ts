import { asyncScheduler, catchError, EMPTY, lastValueFrom, Observable, of, Subject, tap, throwError, timeout, type SchedulerLike } from 'rxjs';
import type { Agent } from '../agent';
import type { RxporterConfig } from '../config/load';
import type { Log } from '../log/types';
import { gauge, type Snapshot } from '../model/family';
import { VERSION } from '../model/selfMetrics';
import type { Push } from '../sinks';
import { createKubeClient, type KubeClient } from './client';
import { loadKubeConnection } from './config';
import { electionTarget, leaderElection, type Lease, type LeaseApi } from './leaderElection';
import { KUBE_RESOURCES } from './resources';

/**
 * The Lease calls of the election on the API client: GET (404 -> undefined), POST, PUT of
 * `coordination.k8s.io/v1` leases in `namespace` (the RBAC verbs get, create, update).
 */
export function leaseApi(client: KubeClient, namespace: string, name: string): LeaseApi {
  const r = KUBE_RESOURCES.leases;
  return {
    get: () =>
      client
        .get<Lease & { metadata: { name: string } }>(r, namespace, name)
        .pipe(catchError((e: unknown) => ((e as { status?: number }).status === 404 ? of(undefined) : throwError(() => e)))),
    create: (lease) => client.create(r, { ...lease, metadata: { ...lease.metadata, namespace } }),
    update: (lease) => client.update(r, { ...lease, metadata: { ...lease.metadata, namespace } }),
  };
}

/** Options of startLeaderRole. */
export interface LeaderRoleOptions {
  readonly config: RxporterConfig;
  readonly log: Log;
  /** The push side: pushes only while this replica leads. Absent: the election still runs (metric, log). */
  readonly push?: Push;
  readonly env?: NodeJS.ProcessEnv;
  readonly scheduler?: SchedulerLike;
  /** A Lease API instead of the API server's (tests); the kubeconfig is not read then. */
  readonly api?: LeaseApi;
}

/**
 * Returns a consumer for AgentOptions.consumers that runs the `kube.leader-elect` election
 * (leaderElection) and lets it drive the push sinks: standby from the start, pushing only
 * while leading. It registers `rxporter_leader{lease="<ns>/<name>"}` (1 leading, 0 not) and a
 * stop hook that waits for the sinks' last push, then releases the Lease, within the stop
 * budget. Reads the kubeconfig (or the in-cluster service account) now: throws RXP_CONFIG.
 */
export async function startLeaderRole(o: LeaderRoleOptions): Promise<(snapshots$: Observable<Snapshot>, agent: Agent) => Observable<boolean>> {
  const { config, log, push } = o;
  const scheduler = o.scheduler ?? asyncScheduler;
  const le = config.kube.leaderElection;
  let client: KubeClient | undefined;
  let contextNamespace: string | undefined;
  if (!o.api) {
    const conn = await loadKubeConnection({ configPath: config.kube.config, env: o.env ?? process.env });
    client = createKubeClient(conn, { requestTimeoutMs: config.kube.requestTimeout, userAgent: `rxporter/${VERSION}`, scheduler });
    contextNamespace = conn.namespace;
  }
  const { namespace, identity } = electionTarget({ namespace: le.namespace, identity: le.identity, contextNamespace, env: o.env ?? process.env });
  const api = o.api ?? leaseApi(client as KubeClient, namespace, le.leaseName);
  const lease = `${namespace}/${le.leaseName}`;
  push?.setStandby(true);

  return (_snapshots$, agent) => {
    let leading = false;
    const stop$ = new Subject<void>();
    const done = new Subject<void>();
    const election$ = leaderElection({
      api,
      lease: { namespace, name: le.leaseName },
      identity,
      leaseDurationMs: le.leaseDuration,
      renewDeadlineMs: le.renewDeadline,
      retryPeriodMs: le.retryPeriod,
      stop$,
      scheduler,
      log,
    }).pipe(
      tap({
        next: (on) => {
          leading = on;
          push?.setStandby(!on);
        },
        complete: () => done.complete(),
      }),
    );
    agent.self.addProvider(() => [
      gauge('rxporter_leader', 'Whether this replica leads the kube.leader-elect election (1) and pushes, or is a standby (0).', [
        { labels: { lease }, value: leading ? 1 : 0 },
      ]),
    ]);
    agent.onStop(async (budgetMs) => {
      const deadline = scheduler.now() + budgetMs;
      // The last push first, then the Lease: a standby must not push before this replica has stopped.
      await push?.stop(budgetMs);
      stop$.next();
      await lastValueFrom(done.pipe(timeout({ first: Math.max(1, deadline - scheduler.now()), scheduler }), catchError(() => EMPTY)), { defaultValue: undefined });
      await client?.close().catch(() => undefined);
    });
    return election$;
  };
}
