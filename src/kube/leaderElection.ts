import { hostname } from 'node:os';
import {
  asyncScheduler,
  catchError,
  concat,
  concatMap,
  defer,
  distinctUntilChanged,
  EMPTY,
  first,
  ignoreElements,
  map,
  mergeMap,
  Observable,
  of,
  repeat,
  retry,
  startWith,
  takeUntil,
  takeWhile,
  tap,
  throwError,
  timeout,
  timer,
  type SchedulerLike,
} from 'rxjs';
import { RxporterError } from '../errors';
import { silentLog, type Log } from '../log/types';

/**
 * The spec of a coordination.k8s.io/v1 Lease as the API server serves it in JSON
 * (k8s.io/api/coordination/v1 LeaseSpec): times are RFC 3339 MicroTime strings, an absent
 * field is nil in Go.
 */
export interface LeaseSpec {
  readonly holderIdentity?: string;
  readonly leaseDurationSeconds?: number;
  readonly acquireTime?: string;
  readonly renewTime?: string;
  readonly leaseTransitions?: number;
}

/** A coordination.k8s.io/v1 Lease: what the election reads and writes. */
export interface Lease {
  readonly apiVersion?: string;
  readonly kind?: string;
  readonly metadata: { readonly name: string; readonly namespace?: string; readonly resourceVersion?: string; readonly [k: string]: unknown };
  readonly spec?: LeaseSpec;
}

/**
 * The Lease calls the election makes, bound to one Lease (namespace and name): GET, POST to
 * the namespace's leases, PUT carrying `metadata.resourceVersion`. Each is a cold observable
 * of one value. An error with `status` 409 is a conflict (the Lease changed since it was read,
 * or it was created meanwhile); any other error is a failed call (the election retries).
 */
export interface LeaseApi {
  /** The Lease, or undefined when the API answers 404. */
  get(): Observable<Lease | undefined>;
  /** Creates the Lease; 409 when it exists already. */
  create(lease: Lease): Observable<Lease>;
  /** Replaces the Lease; 409 when its resourceVersion is not the current one. */
  update(lease: Lease): Observable<Lease>;
}

/** Durations of an election, in milliseconds (kube.leader-elect.*). */
export interface ElectionDurations {
  /** How long a Lease holds after the last renewal a candidate saw (by the candidate's clock). */
  readonly leaseDurationMs: number;
  /** How long the leader keeps trying to renew, counted from its last successful renewal. */
  readonly renewDeadlineMs: number;
  /** Time between two tries to acquire or renew. */
  readonly retryPeriodMs: number;
}

/** Options of leaderElection. */
export interface LeaderElectionOptions extends ElectionDurations {
  readonly api: LeaseApi;
  /** `<namespace>/<name>` of the Lease, for log lines. */
  readonly lease: { readonly namespace: string; readonly name: string };
  /** This replica's holderIdentity. */
  readonly identity: string;
  /** Stops the campaign: a leader emits false, releases the Lease, and the stream completes. */
  readonly stop$: Observable<unknown>;
  readonly scheduler?: SchedulerLike;
  /** Jitter of the acquire retries, in [0, 1) (tests). */
  readonly random?: () => number;
  readonly log?: Log;
}

/** client-go's JitterFactor: a candidate waits retryPeriod·(1 + 1.2·random) between tries. */
export const JITTER_FACTOR = 1.2;

/**
 * Returns the problems of an election's durations, as client-go's NewLeaderElector checks
 * them (k8s.io/client-go/tools/leaderelection/leaderelection.go): lease-duration must exceed
 * renew-deadline, and renew-deadline must exceed retry-period·1.2. Empty when they are sound.
 */
export function electionDurationProblems(d: ElectionDurations): string[] {
  const p: string[] = [];
  if (d.leaseDurationMs <= d.renewDeadlineMs) {
    p.push(
      `kube.leaderElection.leaseDuration (${d.leaseDurationMs} ms) must be greater than kube.leaderElection.renewDeadline (${d.renewDeadlineMs} ms): a leader must give up before a standby may take over`,
    );
  }
  if (d.renewDeadlineMs <= JITTER_FACTOR * d.retryPeriodMs) {
    p.push(
      `kube.leaderElection.renewDeadline (${d.renewDeadlineMs} ms) must be greater than kube.leaderElection.retryPeriod·${JITTER_FACTOR} (${JITTER_FACTOR * d.retryPeriodMs} ms): the leader needs a retry before its deadline`,
    );
  }
  return p;
}

/** Throws RXP_CONFIG, one line per problem, when the durations are unsound (electionDurationProblems). */
export function checkElectionDurations(d: ElectionDurations): void {
  const p = electionDurationProblems(d);
  if (p.length > 0) throw new RxporterError('RXP_CONFIG', p.join('\n'));
}

/**
 * Returns the Lease's namespace and this replica's identity: the configured ones, else the
 * namespace of the kubeconfig context (or the in-cluster service account's), else
 * $POD_NAMESPACE, else "default"; the identity $POD_NAME, else `<host name>_<pid>`.
 */
export function electionTarget(o: {
  readonly namespace: string;
  readonly identity: string;
  readonly contextNamespace?: string;
  readonly env: NodeJS.ProcessEnv;
  readonly hostname?: string;
  readonly pid?: number;
}): { namespace: string; identity: string } {
  return {
    namespace: o.namespace || o.contextNamespace || o.env.POD_NAMESPACE || 'default',
    identity: o.identity || o.env.POD_NAME || `${o.hostname ?? hostname()}_${o.pid ?? process.pid}`,
  };
}

/** Returns `ms` as a Kubernetes MicroTime (RFC 3339, six fraction digits, UTC). */
export const microTime = (ms: number): string => new Date(ms).toISOString().replace(/Z$/, '000Z');

const isConflict = (e: unknown): boolean => (e as { status?: number } | undefined)?.status === 409;

/** The spec fields that decide an observation: a change of any of them restarts the candidate's wait. */
const recordKey = (s: LeaseSpec): string =>
  JSON.stringify([s.holderIdentity ?? '', s.leaseDurationSeconds ?? 0, s.acquireTime ?? '', s.renewTime ?? '', s.leaseTransitions ?? 0]);

/**
 * Returns the stream of "this replica leads": false at once, then every change. Semantics of
 * client-go's LeaderElector with a LeaseLock (tools/leaderelection), its ReleaseOnCancel on:
 *
 * - A candidate tries every retryPeriod·(1 + 1.2·random): it creates the Lease when absent
 *   (404), takes it when its holderIdentity is empty or when the Lease's record has not
 *   changed for its leaseDurationSeconds by this replica's clock (the time it first saw that
 *   record, never the other host's renewTime), and counts the take in leaseTransitions.
 * - Every update is a PUT of the Lease last read, with its resourceVersion: a 409 means
 *   someone else wrote it, and the next try reads it again (never a blind overwrite).
 * - The leader renews every retryPeriod; when no renewal succeeded for renewDeadline since the
 *   last one (a call that hangs included) it emits false at once and goes back to being a
 *   candidate. Counting from the last success (client-go counts from the start of the renew
 *   round, retryPeriod later) keeps a leader's term inside the lease a standby waits out. A
 *   renewal that reads another holder in the Lease ends the term at once too (client-go keeps
 *   trying until the deadline).
 * - On `stop$`, a leader emits false, then clears holderIdentity (leaseDurationSeconds 1) so
 *   that a standby takes over at its next try, and the stream completes; a candidate completes.
 *   Unsubscribing instead (a crash) leaves the Lease to expire.
 *
 * A failed call never errors the stream: it is logged at debug and tried again.
 *
 *   api:      ok  ok  ok  down......................
 *   output:   f-t-----------------------(f: renew deadline)--- ...
 */
export function leaderElection(o: LeaderElectionOptions): Observable<boolean> {
  return defer(() => {
    const sch = o.scheduler ?? asyncScheduler;
    const random = o.random ?? Math.random;
    const log = o.log ?? silentLog;
    const me = o.identity;
    const where = `${o.lease.namespace}/${o.lease.name}`;
    const durationS = Math.max(1, Math.ceil(o.leaseDurationMs / 1000));
    /** The record last seen and when this replica first saw it (client-go's observedRecord / observedTime). */
    let observed: { spec: LeaseSpec; key: string; at: number } | undefined;
    /** The Lease last read or written: its resourceVersion goes with the next update. */
    let current: Lease | undefined;
    let reportedHolder: string | undefined;
    let leading = false;

    const observe = (spec: LeaseSpec) => {
      observed = { spec, key: recordKey(spec), at: sch.now() };
      const holder = spec.holderIdentity ?? '';
      if (holder !== reportedHolder) {
        reportedHolder = holder;
        if (holder !== me) log.info('leader election: lease holder observed', { lease: where, holder: holder || '(none)' });
      }
    };
    const isLeader = () => observed?.spec.holderIdentity === me;
    const leaseValid = (now: number) => observed !== undefined && observed.at + (observed.spec.leaseDurationSeconds ?? 0) * 1000 > now;
    const leaseOf = (spec: LeaseSpec): Lease => ({
      apiVersion: 'coordination.k8s.io/v1',
      kind: 'Lease',
      ...current,
      metadata: current?.metadata ?? { name: o.lease.name, namespace: o.lease.namespace },
      spec,
    });
    const write = (spec: LeaseSpec, call: (l: Lease) => Observable<Lease>) =>
      call(leaseOf(spec)).pipe(
        tap((l) => {
          current = l;
          observe(spec);
        }),
        map(() => true),
      );

    /** One tryAcquireOrRenew: true when this replica holds the Lease afterwards. */
    const tryOnce = (): Observable<boolean> =>
      defer(() => {
        const now = sch.now();
        const mine: LeaseSpec = { holderIdentity: me, leaseDurationSeconds: durationS, acquireTime: microTime(now), renewTime: microTime(now), leaseTransitions: 0 };
        const slow$ = o.api.get().pipe(
          mergeMap((lease) => {
            if (lease === undefined) {
              current = undefined;
              return write(mine, (l) => o.api.create(l));
            }
            current = lease;
            const spec = lease.spec ?? {};
            if (recordKey(spec) !== observed?.key) observe(spec);
            if ((spec.holderIdentity ?? '') !== '' && leaseValid(now) && !isLeader()) return of(false);
            const next: LeaseSpec = isLeader()
              ? { ...mine, acquireTime: spec.acquireTime, leaseTransitions: spec.leaseTransitions ?? 0 }
              : { ...mine, leaseTransitions: (spec.leaseTransitions ?? 0) + 1 };
            return write(next, (l) => o.api.update(l));
          }),
        );
        // The leader first renews the Lease it last wrote without reading it (client-go's fast path);
        // a conflict sends it to the slow path, which reads the Lease again.
        if (isLeader() && leaseValid(now) && current !== undefined) {
          const spec = observed?.spec ?? {};
          const renewal: LeaseSpec = { ...mine, acquireTime: spec.acquireTime, leaseTransitions: spec.leaseTransitions ?? 0 };
          return write(renewal, (l) => o.api.update(l)).pipe(catchError(() => slow$));
        }
        return slow$;
      }).pipe(
        catchError((e: unknown) => {
          log.debug(isConflict(e) ? 'leader election: lease changed meanwhile (409), reading it again' : 'leader election: lease call failed', {
            lease: where,
            error: String((e as Error | undefined)?.message ?? e),
          });
          return of(false);
        }),
      );

    const acquire$ = tryOnce().pipe(
      // A try that hangs costs this try only.
      timeout({ first: o.renewDeadlineMs, scheduler: sch, with: () => of(false) }),
      repeat({ delay: () => timer(o.retryPeriodMs * (1 + JITTER_FACTOR * random()), sch) }),
      first((ok) => ok),
    );
    // One renewal: tries every retryPeriod until one succeeds or renewDeadline since the last success has passed.
    const renewal$ = defer(() => {
      const left = Math.max(0, (observed?.at ?? sch.now()) + o.renewDeadlineMs - sch.now());
      return tryOnce().pipe(
        repeat({ delay: () => timer(o.retryPeriodMs, sch) }),
        // Another holder in the Lease (it saw ours expire, e.g. across a partition): this term is over now.
        first((ok) => ok || !isLeader()),
        timeout({ first: left, scheduler: sch, with: () => of(false) }),
      );
    });
    const renewLoop$ = timer(o.retryPeriodMs, sch).pipe(
      concatMap(() => renewal$),
      repeat(),
      takeWhile((ok) => ok),
      ignoreElements(),
    );
    const term$ = acquire$.pipe(
      concatMap(() =>
        concat(
          defer(() => {
            log.info('leader election: became leader', { lease: where, identity: me, transitions: observed?.spec.leaseTransitions ?? 0 });
            return of(true);
          }),
          renewLoop$,
          defer(() => {
            log.warn('leader election: lost the lease; stopped leading', {
              lease: where,
              identity: me,
              reason: isLeader() ? 'no renewal before renew-deadline' : 'another holder took it',
              holder: observed?.spec.holderIdentity,
              renewDeadlineMs: o.renewDeadlineMs,
            });
            return of(false);
          }),
        ),
      ),
      repeat(),
    );

    const release$ = defer(() => {
      if (!isLeader()) return EMPTY;
      return o.api.get().pipe(
        mergeMap((lease) => {
          // Someone else's Lease (or none) is not ours to clear.
          if (lease === undefined || lease.spec?.holderIdentity !== me) return EMPTY;
          current = lease;
          const now = sch.now();
          return write(
            { holderIdentity: '', leaseDurationSeconds: 1, acquireTime: microTime(now), renewTime: microTime(now), leaseTransitions: lease.spec?.leaseTransitions ?? 0 },
            (l) => o.api.update(l),
          );
        }),
        // A conflict: the Lease changed meanwhile; read it again and decide again.
        retry({ delay: (e: unknown) => (isConflict(e) ? of(0) : throwError(() => e)) }),
        timeout({ first: o.renewDeadlineMs, scheduler: sch }),
        tap(() => log.info('leader election: released the lease', { lease: where, identity: me })),
        catchError((e: unknown) => {
          log.warn('leader election: could not release the lease; it expires after its duration', { lease: where, error: String((e as Error | undefined)?.message ?? e) });
          return EMPTY;
        }),
        ignoreElements(),
      );
    });

    log.info('leader election: campaigning', { lease: where, identity: me, leaseDurationMs: o.leaseDurationMs, renewDeadlineMs: o.renewDeadlineMs, retryPeriodMs: o.retryPeriodMs });
    return concat(
      term$.pipe(
        startWith(false),
        distinctUntilChanged(),
        tap((v) => (leading = v)),
        takeUntil(o.stop$),
      ),
      defer(() => (leading ? concat(of(false), release$) : EMPTY)),
    );
  });
}
