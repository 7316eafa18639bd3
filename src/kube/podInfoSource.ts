import { asyncScheduler, catchError, defer, EMPTY, exhaustMap, map, Observable, tap, timeout, timer, type SchedulerLike, type Subscription } from 'rxjs';
import type { PodInfo, PodInfoLookup } from '../collectors/container';
import { RxporterError } from '../errors';
import type { Log } from '../log/types';

/**
 * The pod-info endpoint's answer as the container collector reads it: a subset of
 * `GET /v1/ksm/getPodInfoByNodeName?nodeName=NAME` (README, "The pod-info endpoint"):
 * `{"nodeName", "pods": [{"name", "namespace", "uid", "containers": [{"name", "containerId"}]}]}`.
 */
export interface PodInfoAnswer {
  readonly nodeName: string;
  readonly pods: readonly {
    readonly name: string;
    readonly namespace: string;
    readonly uid: string;
    readonly containers: readonly { readonly name: string; readonly containerId?: string }[];
  }[];
}

/** The answer indexed for lookups: pods by uid, containers by runtime id (prefix stripped). */
export interface PodInfoIndex {
  readonly byUid: ReadonlyMap<string, PodInfo>;
  readonly byContainer: ReadonlyMap<string, PodInfo>;
}

const bad = (what: string): never => {
  throw new RxporterError('RXP_KUBE', `pod-info answer: ${what}`);
};
const isStr = (v: unknown): v is string => typeof v === 'string';

/**
 * Returns the answer of the pod-info endpoint parsed from its JSON text. Throws RXP_KUBE
 * naming what is missing or of the wrong type (a pod without name, namespace or uid; a
 * container without name); unknown fields are ignored.
 */
export function parsePodInfo(text: string): PodInfoAnswer {
  let doc: unknown;
  try {
    doc = JSON.parse(text);
  } catch {
    return bad(`not JSON: ${text.slice(0, 120)}`);
  }
  const d = doc as { nodeName?: unknown; pods?: unknown };
  if (typeof doc !== 'object' || doc === null || !Array.isArray(d.pods)) return bad('no "pods" array');
  const pods = (d.pods as unknown[]).map((p, i) => {
    const q = p as { name?: unknown; namespace?: unknown; uid?: unknown; containers?: unknown };
    if (!isStr(q?.name) || !isStr(q.namespace) || !isStr(q.uid)) return bad(`pods[${i}] needs string name, namespace and uid`);
    const containers = (Array.isArray(q.containers) ? (q.containers as unknown[]) : []).map((c, j) => {
      const k = c as { name?: unknown; containerId?: unknown };
      if (!isStr(k?.name)) return bad(`pods[${i}].containers[${j}] needs a string name`);
      return { name: k.name, containerId: isStr(k.containerId) ? k.containerId : undefined };
    });
    return { name: q.name, namespace: q.namespace, uid: q.uid, containers };
  });
  return { nodeName: isStr(d.nodeName) ? d.nodeName : '', pods };
}

/** Returns a container id without its runtime prefix: "containerd://abc" -> "abc" (the pod status's containerID form). */
export function bareContainerId(id: string): string {
  const i = id.indexOf('://');
  return i < 0 ? id : id.slice(i + 3);
}

/** Returns the index of an answer. */
export function indexPodInfo(a: PodInfoAnswer): PodInfoIndex {
  const byUid = new Map<string, PodInfo>();
  const byContainer = new Map<string, PodInfo>();
  for (const p of a.pods) {
    byUid.set(p.uid, { pod: p.name, namespace: p.namespace, container: '' });
    for (const c of p.containers) {
      if (c.containerId) byContainer.set(bareContainerId(c.containerId), { pod: p.name, namespace: p.namespace, container: c.name });
    }
  }
  return { byUid, byContainer };
}

/**
 * Returns the labels of a cgroup from an index: a container by its runtime id, else (the pod's
 * own cgroup, a sandbox the API does not list) its pod by uid with `container` empty.
 */
export const lookupPodInfo =
  (index: PodInfoIndex): PodInfoLookup =>
  (podUid, containerId) =>
    (containerId !== '' ? index.byContainer.get(containerId) : undefined) ?? index.byUid.get(podUid);

/** GETs `url`: emits the status and body once and completes; unsubscribing aborts the request. */
export type HttpGet = (url: string) => Observable<{ status: number; text: string }>;

const fetchGet: HttpGet = (url) =>
  new Observable((sub) => {
    const ac = new AbortController();
    fetch(url, { signal: ac.signal, headers: { accept: 'application/json' } })
      .then(async (res) => ({ status: res.status, text: await res.text() }))
      .then(
        (r) => {
          sub.next(r);
          sub.complete();
        },
        (e: unknown) => sub.error(e),
      );
    return () => ac.abort();
  });

/** Options of startPodInfoSource. */
export interface PodInfoSourceOptions {
  /** The endpoint, e.g. http://rxporter-ksm.monitoring.svc:9100/v1/ksm/getPodInfoByNodeName. */
  readonly url: string;
  /** `global.node-name`: the `nodeName` query parameter. */
  readonly nodeName: string;
  /** Time between two fetches, ms. */
  readonly refreshMs: number;
  /** Bound of one fetch, ms. */
  readonly timeoutMs: number;
  readonly log: Log;
  readonly scheduler?: SchedulerLike;
  readonly get?: HttpGet;
}

/** A running pod-info cache. */
export interface PodInfoSource {
  /** Looks up the last good answer (nothing before the first one). */
  readonly lookup: PodInfoLookup;
  /** Stops the refreshes (aborts one in flight). */
  stop(): void;
}

/**
 * Starts fetching `<url>?nodeName=<nodeName>` now and every refreshMs in the background (a
 * fetch still running at a tick skips that tick) and returns the lookup on the last good
 * answer: a scrape never waits for it. A failed fetch (unreachable, non-200 such as the 503
 * before the KSM cache is synced, a bad answer, a timeout) keeps the last answer; the first
 * failure of a run of them is logged (warn), and the recovery (info).
 */
export function startPodInfoSource(o: PodInfoSourceOptions): PodInfoSource {
  const scheduler = o.scheduler ?? asyncScheduler;
  const get = o.get ?? fetchGet;
  const target = `${o.url}${o.url.includes('?') ? '&' : '?'}nodeName=${encodeURIComponent(o.nodeName)}`;
  let index: PodInfoIndex = { byUid: new Map(), byContainer: new Map() };
  let failing = false;
  const once$ = defer(() => get(target)).pipe(
    map((r) => {
      if (r.status !== 200) throw new RxporterError('RXP_KUBE', `pod-info ${target}: HTTP ${r.status}: ${r.text.slice(0, 200)}`, true);
      return r.text;
    }),
  );
  const sub: Subscription = timer(0, o.refreshMs, scheduler)
    .pipe(
      exhaustMap(() =>
        once$.pipe(
          timeout({ first: o.timeoutMs, scheduler }),
          map((text) => indexPodInfo(parsePodInfo(text))),
          tap((ix) => {
            index = ix;
            if (failing) o.log.info('pod-info endpoint answers again', { url: target, pods: ix.byUid.size });
            failing = false;
          }),
          catchError((e: unknown) => {
            if (!failing) o.log.warn('pod-info endpoint failed; keeping the last answer', { url: target, error: String((e as Error | undefined)?.message ?? e) });
            failing = true;
            return EMPTY;
          }),
        ),
      ),
    )
    .subscribe();
  return { lookup: (uid, id) => lookupPodInfo(index)(uid, id), stop: () => sub.unsubscribe() };
}
