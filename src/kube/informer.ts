import {
  asyncScheduler,
  BehaviorSubject,
  catchError,
  concat,
  defer,
  EMPTY,
  expand,
  filter,
  first,
  ignoreElements,
  map,
  Observable,
  repeat,
  tap,
  throwError,
  timer,
  type SchedulerLike,
} from 'rxjs';
import { RxporterError } from '../errors';
import type { KubeObject } from '../ksm/types';
import type { Log } from '../log/types';
import { retryWithBackoff } from '../pipeline/retryWithBackoff';
import { isGone, KubeApiError, type KubeClient, type KubeList, type WatchEvent } from './client';
import { objectKey, type ResourceRef } from './resources';

/** What the informer did, one notice per LIST and per watch event applied (for tests and debug logs). */
export type InformerNotice =
  | { readonly kind: 'listed'; readonly resourceVersion: string; readonly objects: number; readonly pages: number }
  | { readonly kind: 'event'; readonly type: WatchEvent['type']; readonly resourceVersion?: string };

/**
 * A client-go style informer (k8s.io/client-go/tools/cache Reflector + Store) for one resource:
 * a local cache of its objects kept current by LIST then WATCH. Read the cache at any time;
 * nothing here calls the API on a read.
 */
export interface Informer<T extends KubeObject = KubeObject> {
  readonly resource: ResourceRef;
  /** The current objects by "namespace/name" ("name" when cluster-scoped); replaced whole by a relist. */
  readonly objects: ReadonlyMap<string, T>;
  /** True once the first LIST has completed (client-go's HasSynced); stays true through relists. */
  hasSynced(): boolean;
  /** Emits once the first LIST has completed (at once if it has) and completes. */
  synced(): Observable<void>;
  /** The last failure of a LIST or WATCH while it is not yet recovered (a watch reopened, a LIST done), else undefined. */
  lastError(): RxporterError | undefined;
  /** The resourceVersion the next watch starts from. */
  resourceVersion(): string | undefined;
  /**
   * Runs the informer while subscribed (cold; subscribe once): emits a notice per LIST and per
   * watch event, never errors (failures are retried forever with backoff, as client-go's
   * reflector), never completes. Unsubscribing aborts the request in flight.
   */
  readonly run$: Observable<InformerNotice>;
}

/** Options of createInformer. */
export interface InformerOptions {
  readonly client: KubeClient;
  readonly resource: ResourceRef;
  /** Only this namespace; absent: every namespace. */
  readonly namespace?: string;
  /** Objects per LIST page (client-go's default 500). */
  readonly pageSize?: number;
  /** A watch's timeoutSeconds; default a random value in [300, 600) as client-go's reflector (minWatchTimeout 5 min). */
  readonly watchTimeoutSeconds?: number;
  /** Backoff of a failed LIST or broken WATCH: full jitter from initialMs doubling to maxMs (client-go: 800 ms, 30 s). */
  readonly backoff?: { readonly initialMs: number; readonly maxMs: number };
  /** Jitter source in [0, 1). */
  readonly random?: () => number;
  readonly scheduler?: SchedulerLike;
  readonly log?: Log;
}

/** A watch that ends sooner than this after it began is followed by a backoff wait, not at once (a server ending every watch at once would make a busy loop). */
const SHORT_WATCH_MS = 1000;

/** Returns a retryable copy of any failure: the reflector retries everything, a 403 as much as a dropped stream. */
const retryable = (e: unknown): KubeApiError => {
  if (e instanceof KubeApiError && e.retryable) return e;
  const k = e instanceof KubeApiError ? e : undefined;
  return new KubeApiError(e instanceof Error ? e.message : String(e), true, k?.status, k?.reason, { cause: e });
};

/** The Status an ERROR event carries (metav1.Status). */
interface StatusObject {
  readonly code?: number;
  readonly reason?: string;
  readonly message?: string;
}

/**
 * Returns an informer of `o.resource`: LIST (paginated with limit/continue) into a fresh cache,
 * then WATCH from the list's resourceVersion with allowWatchBookmarks, applying ADDED/MODIFIED
 * (upsert), DELETED (remove) and BOOKMARK (resourceVersion only). A watch that ends at its
 * timeoutSeconds is reopened at once from the last resourceVersion seen; a broken one after a
 * full-jitter backoff (retryWithBackoff). 410 Gone (HTTP, or an ERROR event with code 410) and
 * an expired continue token cause a relist whose result replaces the cache, so objects deleted
 * while the watch was away disappear. Follows k8s.io/client-go/tools/cache/reflector.go.
 */
export function createInformer<T extends KubeObject = KubeObject>(o: InformerOptions): Informer<T> {
  const scheduler = o.scheduler ?? asyncScheduler;
  const random = o.random ?? Math.random;
  const backoff = o.backoff ?? { initialMs: 800, maxMs: 30_000 };
  const where = { resource: o.resource.plural, namespace: o.namespace ?? '' };
  let cache = new Map<string, T>();
  let rv: string | undefined;
  let needList = true;
  let error: RxporterError | undefined;
  const synced$ = new BehaviorSubject(false);

  const list$ = (): Observable<InformerNotice> =>
    defer(() => {
      const fresh = new Map<string, T>();
      let listRv: string | undefined;
      let pages = 0;
      const page = (cont?: string): Observable<KubeList<T>> =>
        o.client.list<T>(o.resource, { namespace: o.namespace, limit: o.pageSize ?? 500, continue: cont });
      return page().pipe(
        expand((l) => (l.metadata.continue ? page(l.metadata.continue) : EMPTY)),
        tap((l) => {
          pages++;
          // Every page of one list is served at the first page's resourceVersion.
          listRv ??= l.metadata.resourceVersion;
          for (const item of l.items) fresh.set(objectKey(item.metadata), item);
        }),
        ignoreElements(),
        (done$) =>
          concat(
            done$,
            defer(() => {
              if (listRv === undefined) return throwError(() => new KubeApiError(`LIST ${o.resource.plural}: the list has no metadata.resourceVersion`, false));
              cache = fresh;
              rv = listRv;
              needList = false;
              error = undefined;
              if (!synced$.value) synced$.next(true);
              o.log?.debug('kube list done', { ...where, objects: fresh.size, pages, resourceVersion: listRv });
              return [{ kind: 'listed', resourceVersion: listRv, objects: fresh.size, pages } as InformerNotice];
            }),
          ),
      );
    });

  const apply = (ev: WatchEvent<T>): InformerNotice => {
    if (ev.type === 'ERROR') {
      const s = ev.object as unknown as StatusObject;
      throw new KubeApiError(`WATCH ${o.resource.plural}: ERROR event: ${s.reason ?? ''} ${s.message ?? ''}`.trim(), true, s.code, s.reason);
    }
    const v = ev.object?.metadata?.resourceVersion;
    if (ev.type === 'ADDED' || ev.type === 'MODIFIED') cache.set(objectKey(ev.object.metadata), ev.object);
    else if (ev.type === 'DELETED') cache.delete(objectKey(ev.object.metadata));
    else if (ev.type !== 'BOOKMARK') throw new KubeApiError(`WATCH ${o.resource.plural}: unknown event type ${String(ev.type)}`, true);
    if (v) rv = v;
    return { kind: 'event', type: ev.type, resourceVersion: v };
  };

  const watch$ = (): Observable<InformerNotice> =>
    defer(() =>
      o.client.watch<T>(o.resource, {
        namespace: o.namespace,
        resourceVersion: rv,
        allowWatchBookmarks: true,
        timeoutSeconds: o.watchTimeoutSeconds ?? Math.floor(300 * (1 + random())),
        onOpen: () => {
          error = undefined;
        },
      }),
    ).pipe(map(apply));

  let sessionStart = 0;
  const session$ = defer(() => {
    sessionStart = scheduler.now();
    return needList ? concat(list$(), watch$()) : watch$();
  }).pipe(
    catchError((e: unknown) => {
      if (isGone(e)) {
        needList = true; // the resourceVersion or continue token is too old: only a fresh LIST helps
        o.log?.info('kube resource version expired; relisting', { ...where, error: (e as Error).message });
      } else {
        error = e instanceof RxporterError ? e : retryable(e);
      }
      return throwError(() => retryable(e));
    }),
    retryWithBackoff({
      ...backoff,
      maxRetries: Infinity,
      random,
      scheduler,
      onRetry: (e, n, ms) => {
        if (!isGone(e)) o.log?.warn('kube list/watch failed; retrying', { ...where, error: (e as Error).message, attempt: n, delayMs: Math.round(ms) });
      },
    }),
  );

  const run$ = session$.pipe(
    repeat({ delay: () => timer(scheduler.now() - sessionStart < SHORT_WATCH_MS ? backoff.initialMs : 0, scheduler) }),
  );

  return {
    resource: o.resource,
    get objects() {
      return cache;
    },
    hasSynced: () => synced$.value,
    synced: () =>
      synced$.pipe(
        filter((s) => s),
        first(),
        map(() => undefined),
      ),
    lastError: () => error,
    resourceVersion: () => rv,
    run$,
  };
}
