import { defer, NEVER, Observable, of, throwError } from 'rxjs';
import type { Lease, LeaseApi } from '../src/kube/leaderElection';

/** An API error as the Kubernetes client reports it: `status` is the HTTP status. */
export class FakeApiError extends Error {
  constructor(readonly status: number, message: string) {
    super(message);
  }
}

/**
 * An in-memory Lease store with the API server's rules for one Lease: create fails with 409
 * when it exists, an update whose resourceVersion is not the current one fails with 409, each
 * write bumps resourceVersion. `mode` makes every call fail (503) or hang (never answer).
 * `writes` records each accepted write (holder, transitions) for the tests.
 */
export class LeaseFake {
  lease: Lease | undefined;
  mode: 'up' | 'down' | 'hang' = 'up';
  private rv = 0;
  readonly writes: { holder: string; transitions: number }[] = [];

  /** A LeaseApi on this store for one replica; `tap` sees each call (to inject a rival's write). */
  api(o: { beforeUpdate?: () => void } = {}): LeaseApi {
    const call = <T>(f: () => Observable<T>): Observable<T> =>
      defer(() => (this.mode === 'down' ? throwError(() => new FakeApiError(503, 'unavailable')) : this.mode === 'hang' ? NEVER : f()));
    return {
      get: () => call(() => of(this.lease && structuredClone(this.lease))),
      create: (l) =>
        call(() => {
          if (this.lease) return throwError(() => new FakeApiError(409, 'already exists'));
          return of(this.store(l));
        }),
      update: (l) =>
        call(() => {
          o.beforeUpdate?.();
          if (!this.lease) return throwError(() => new FakeApiError(404, 'not found'));
          if (l.metadata.resourceVersion !== this.lease.metadata.resourceVersion) return throwError(() => new FakeApiError(409, 'conflict'));
          return of(this.store(l));
        }),
    };
  }

  /** Writes `l` as another replica would (a rival holder), bypassing the version check. */
  put(spec: Lease['spec']): void {
    this.store({ metadata: { name: 'rxporter', namespace: 'default' }, spec });
  }

  private store(l: Lease): Lease {
    this.lease = { ...structuredClone(l), metadata: { ...l.metadata, resourceVersion: String(++this.rv) } };
    this.writes.push({ holder: l.spec?.holderIdentity ?? '', transitions: l.spec?.leaseTransitions ?? 0 });
    return structuredClone(this.lease);
  }
}
