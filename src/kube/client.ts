import { stat, readFile } from 'node:fs/promises';
import { StringDecoder } from 'node:string_decoder';
import type { Readable } from 'node:stream';
import { asyncScheduler, defer, mergeMap, Observable, throwError, timeout, type SchedulerLike } from 'rxjs';
import { RxporterError } from '../errors';
import type { KubeObject } from '../ksm/types';
import type { KubeConnection } from './config';
import { resourcePath, type ResourceRef } from './resources';

/**
 * A failed API call: the HTTP status (absent for a network error or a timeout) and, when the
 * server answered with a `Status` object (k8s.io/apimachinery metav1.Status), its `reason`
 * ("NotFound", "Conflict", "AlreadyExists", "Expired", "Gone", …) and message.
 * Retryable: network errors, timeouts, 429 and 5xx; never 4xx (a 410 is the informer's to handle by a relist).
 */
export class KubeApiError extends RxporterError {
  constructor(
    message: string,
    retryable: boolean,
    readonly status?: number,
    readonly reason?: string,
    options?: ErrorOptions,
  ) {
    super(status === undefined && /timed out/.test(message) ? 'RXP_TIMEOUT' : 'RXP_KUBE', message, retryable, options);
  }
}

/** Returns true when `e` says the resourceVersion or continue token is too old: HTTP 410, or a Status with code 410 (reason Gone or Expired). */
export const isGone = (e: unknown): boolean => e instanceof KubeApiError && e.status === 410;

/** metav1.ListMeta and items of a LIST. */
export interface KubeList<T extends KubeObject = KubeObject> {
  readonly metadata: { readonly resourceVersion?: string; readonly continue?: string; readonly remainingItemCount?: number };
  readonly items: T[];
}

/** One event of a WATCH stream (k8s.io/apimachinery watch.Event): ERROR events carry a Status as `object`. */
export interface WatchEvent<T extends KubeObject = KubeObject> {
  readonly type: 'ADDED' | 'MODIFIED' | 'DELETED' | 'BOOKMARK' | 'ERROR';
  readonly object: T;
}

/** Options of a LIST. */
export interface ListOptions {
  /** Only this namespace (a namespaced resource); absent: every namespace. */
  readonly namespace?: string;
  readonly limit?: number;
  readonly continue?: string;
  readonly labelSelector?: string;
  readonly fieldSelector?: string;
  /** "0": any version from the server's cache; absent: the newest (a quorum read). */
  readonly resourceVersion?: string;
}

/** Options of a WATCH. */
export interface WatchOptions {
  readonly namespace?: string;
  /** Start after this version (a LIST's metadata.resourceVersion or the last event seen). */
  readonly resourceVersion?: string;
  readonly allowWatchBookmarks?: boolean;
  /** The server ends the watch after this many seconds (client-go picks 5–10 min at random). */
  readonly timeoutSeconds?: number;
  readonly labelSelector?: string;
  readonly fieldSelector?: string;
  /**
   * Error (retryable, RXP_TIMEOUT) when no event arrives for this long, ms. Default: the
   * watch's timeoutSeconds plus the request timeout, so a server that never ends the stream as
   * it should cannot stall the watcher.
   */
  readonly idleTimeoutMs?: number;
  /** Called when the server has accepted the watch (2xx headers in): the connection is good again. */
  readonly onOpen?: () => void;
}

/**
 * The calls rxporter makes to the API server. Every call is a cold Observable: subscribing
 * sends the request, unsubscribing aborts it. Errors are KubeApiError.
 */
export interface KubeClient {
  readonly connection: KubeConnection;
  /** Emits the object and completes; 404 -> KubeApiError reason NotFound. */
  get<T extends KubeObject = KubeObject>(r: ResourceRef, namespace: string | undefined, name: string): Observable<T>;
  /** Emits one page of a LIST (pass its metadata.continue back for the next) and completes. */
  list<T extends KubeObject = KubeObject>(r: ResourceRef, o?: ListOptions): Observable<KubeList<T>>;
  /** POSTs a new object; emits it as stored; an existing name -> 409 reason AlreadyExists. */
  create<T extends KubeObject = KubeObject>(r: ResourceRef, obj: T): Observable<T>;
  /** PUTs an object (metadata.resourceVersion for optimistic concurrency); a stale version -> 409 reason Conflict. */
  update<T extends KubeObject = KubeObject>(r: ResourceRef, obj: T): Observable<T>;
  /** DELETEs an object; emits what the server answered (the object or a Status) and completes. */
  delete(r: ResourceRef, namespace: string | undefined, name: string): Observable<unknown>;
  /**
   * Emits the events of a WATCH as they stream in (one JSON object a line) and completes when
   * the server ends the stream (timeoutSeconds); the headers must arrive within the request
   * timeout, then each event within `idleTimeoutMs`. ERROR events are emitted as they are
   * (the informer turns a 410 into a relist). A non-2xx answer errors with its Status.
   */
  watch<T extends KubeObject = KubeObject>(r: ResourceRef, o?: WatchOptions): Observable<WatchEvent<T>>;
  /** Closes the connections. */
  close(): Promise<void>;
}

/** Options of createKubeClient. */
export interface KubeClientOptions {
  /** `kube.request-timeout`: bound of one request, headers and body, ms. */
  readonly requestTimeoutMs: number;
  readonly userAgent?: string;
  readonly scheduler?: SchedulerLike;
}

type Undici = typeof import('undici');
type ResponseData = Awaited<ReturnType<Undici['request']>>;

/** Characters of a non-Status error body kept in the message. */
const MESSAGE_BODY_CHARS = 512;

const retryableStatus = (s: number): boolean => s === 429 || (s >= 500 && s !== 501);

/** Returns the KubeApiError of a non-2xx answer: the Status's reason and message when the body is one. */
export function statusError(what: string, httpStatus: number, body: string): KubeApiError {
  let reason: string | undefined;
  let message = body.trim().slice(0, MESSAGE_BODY_CHARS);
  let code = httpStatus;
  try {
    const s = JSON.parse(body) as { kind?: string; reason?: string; message?: string; code?: number };
    if (s && s.kind === 'Status') {
      reason = s.reason;
      message = s.message ?? message;
      if (typeof s.code === 'number' && s.code > 0) code = s.code;
    }
  } catch {
    /* not JSON: the body's start is the message */
  }
  return new KubeApiError(`${what}: HTTP ${httpStatus}${reason ? ` ${reason}` : ''}: ${message}`, retryableStatus(code), code, reason);
}

/**
 * Returns a bearer-token source: the fixed token, or the file's content re-read whenever its
 * modification time or size changes (a projected service-account token is rotated in place).
 */
export function tokenSource(c: Pick<KubeConnection, 'token' | 'tokenFile'>): () => Promise<string | undefined> {
  if (c.token !== undefined || c.tokenFile === undefined) return () => Promise.resolve(c.token);
  const file = c.tokenFile;
  let seen: { mtimeMs: number; size: number; ino: number; token: string } | undefined;
  return async () => {
    const st = await stat(file);
    if (!seen || seen.mtimeMs !== st.mtimeMs || seen.size !== st.size || seen.ino !== st.ino) {
      seen = { mtimeMs: st.mtimeMs, size: st.size, ino: st.ino, token: (await readFile(file, 'utf8')).trim() };
    }
    return seen.token;
  };
}

/**
 * Returns the events of a newline-delimited JSON stream (a WATCH body); a line that is not
 * JSON errors (not retryable). Unsubscribing destroys the stream.
 */
export function ndjsonEvents<T>(body: Readable, what: string): Observable<T> {
  return new Observable<T>((sub) => {
    const dec = new StringDecoder('utf8');
    let buf = '';
    const onData = (c: Buffer): void => {
      buf += dec.write(c);
      let nl: number;
      while ((nl = buf.indexOf('\n')) >= 0) {
        const line = buf.slice(0, nl).trim();
        buf = buf.slice(nl + 1);
        if (line === '') continue;
        let ev: T;
        try {
          ev = JSON.parse(line) as T;
        } catch {
          sub.error(new KubeApiError(`${what}: a watch event is not JSON: ${line.slice(0, 200)}`, false));
          return;
        }
        sub.next(ev);
        if (sub.closed) return;
      }
    };
    const onEnd = (): void => {
      const rest = (buf + dec.end()).trim();
      if (rest !== '') {
        // A stream cut within a line is a broken watch, not a complete one.
        sub.error(new KubeApiError(`${what}: the watch stream ended within an event`, true));
        return;
      }
      sub.complete();
    };
    const onError = (e: Error): void => sub.error(new KubeApiError(`${what}: the watch stream broke: ${e.message}`, true, undefined, undefined, { cause: e }));
    body.on('data', onData).on('end', onEnd).on('error', onError);
    return () => {
      body.off('data', onData).off('end', onEnd).off('error', onError);
      body.on('error', () => undefined); // a late error of the destroyed stream is not ours
      if (!body.readableEnded) body.destroy();
    };
  });
}

const query = (o: Record<string, string | number | boolean | undefined>): string => {
  const q = new URLSearchParams();
  for (const [k, v] of Object.entries(o)) if (v !== undefined && v !== '') q.set(k, String(v));
  const s = q.toString();
  return s === '' ? '' : `?${s}`;
};

/**
 * Returns an API client for `conn` on undici (loaded on the first call: it costs several MB of
 * RSS): one keep-alive Agent with the connection's TLS settings (CA, client certificate,
 * insecure-skip-tls-verify), the bearer token on every request (re-read when its file
 * changes), JSON in and out. Request bounds are RxJS timeouts on `scheduler` (undici's own
 * timers are off), so tests can use virtual time for everything above the socket.
 */
export function createKubeClient(conn: KubeConnection, o: KubeClientOptions): KubeClient {
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const u = require('undici') as Undici;
  const scheduler = o.scheduler ?? asyncScheduler;
  const agent = new u.Agent({
    keepAliveTimeout: 30_000,
    headersTimeout: 0,
    bodyTimeout: 0,
    connect: {
      ca: conn.ca,
      cert: conn.cert,
      key: conn.key,
      rejectUnauthorized: !conn.insecureSkipTlsVerify,
      servername: conn.tlsServerName,
    },
  });
  const token = tokenSource(conn);
  const userAgent = o.userAgent ?? 'rxporter';

  /** Emits the response once its headers are in; unsubscribing before or after aborts. */
  const respond = (method: string, path: string, body?: unknown): Observable<ResponseData> =>
    new Observable<ResponseData>((sub) => {
      const ac = new AbortController();
      let res: ResponseData | undefined;
      const what = `${method} ${path}`;
      token()
        .then((t) =>
          u.request(`${conn.server}${path}`, {
            method: method as 'GET',
            headers: {
              'user-agent': userAgent,
              accept: 'application/json',
              ...(body === undefined ? {} : { 'content-type': 'application/json' }),
              ...(t ? { authorization: `Bearer ${t}` } : {}),
            },
            body: body === undefined ? undefined : JSON.stringify(body),
            signal: ac.signal,
            dispatcher: agent,
          }),
        )
        .then(
          (r) => {
            if (sub.closed) {
              r.body.on('error', () => undefined).destroy();
              return;
            }
            res = r;
            sub.next(r);
            sub.complete();
          },
          (e: unknown) => {
            if (ac.signal.aborted) return;
            const code = (e as { code?: string }).code;
            const msg = e instanceof Error ? e.message : String(e);
            sub.error(new KubeApiError(`${what}: ${code ? `${code}: ` : ''}${msg}`, true, undefined, undefined, { cause: e }));
          },
        );
      return () => {
        if (!res) ac.abort();
      };
    });

  const bodyText = (res: ResponseData): Observable<string> =>
    new Observable<string>((sub) => {
      res.body.text().then(
        (t) => {
          sub.next(t);
          sub.complete();
        },
        (e: unknown) => sub.error(new KubeApiError(`reading a response: ${e instanceof Error ? e.message : String(e)}`, true, undefined, undefined, { cause: e })),
      );
      return () => {
        if (!res.body.readableEnded) res.body.on('error', () => undefined).destroy();
      };
    });

  /** One JSON request: emits the parsed 2xx body; the whole exchange is bounded by the request timeout. */
  const json = <T>(method: string, path: string, body?: unknown): Observable<T> =>
    defer(() => {
      const what = `${method} ${path}`;
      return respond(method, path, body).pipe(
        mergeMap((res) =>
          bodyText(res).pipe(
            mergeMap((text) => {
              if (res.statusCode < 200 || res.statusCode >= 300) return throwError(() => statusError(what, res.statusCode, text));
              try {
                return [JSON.parse(text) as T];
              } catch {
                return throwError(() => new KubeApiError(`${what}: the answer is not JSON: ${text.slice(0, 200)}`, false, res.statusCode));
              }
            }),
          ),
        ),
        timeout({
          first: o.requestTimeoutMs,
          scheduler,
          with: () => throwError(() => new KubeApiError(`${what}: timed out after ${o.requestTimeoutMs} ms`, true)),
        }),
      );
    });

  const nsOf = (r: ResourceRef, obj: KubeObject): string | undefined => (r.namespaced ? obj.metadata.namespace : undefined);

  return {
    connection: conn,
    get: <T extends KubeObject>(r: ResourceRef, namespace: string | undefined, name: string) => json<T>('GET', resourcePath(r, namespace, name)),
    list: <T extends KubeObject>(r: ResourceRef, l: ListOptions = {}) =>
      json<KubeList<T>>(
        'GET',
        resourcePath(r, l.namespace) +
          query({ limit: l.limit, continue: l.continue, labelSelector: l.labelSelector, fieldSelector: l.fieldSelector, resourceVersion: l.resourceVersion }),
      ),
    create: <T extends KubeObject>(r: ResourceRef, obj: T) => json<T>('POST', resourcePath(r, nsOf(r, obj)), obj),
    update: <T extends KubeObject>(r: ResourceRef, obj: T) => json<T>('PUT', resourcePath(r, nsOf(r, obj), obj.metadata.name), obj),
    delete: (r: ResourceRef, namespace: string | undefined, name: string) => json<unknown>('DELETE', resourcePath(r, namespace, name)),
    watch: <T extends KubeObject>(r: ResourceRef, w: WatchOptions = {}) =>
      defer(() => {
        const path =
          resourcePath(r, w.namespace) +
          query({
            watch: 'true',
            resourceVersion: w.resourceVersion,
            allowWatchBookmarks: w.allowWatchBookmarks ? 'true' : undefined,
            timeoutSeconds: w.timeoutSeconds,
            labelSelector: w.labelSelector,
            fieldSelector: w.fieldSelector,
          });
        const what = `WATCH ${path}`;
        const idleMs = w.idleTimeoutMs ?? (w.timeoutSeconds ?? 0) * 1000 + o.requestTimeoutMs;
        const timedOut = (phase: string, ms: number) => () => throwError(() => new KubeApiError(`${what}: timed out after ${ms} ms ${phase}`, true));
        return respond('GET', path).pipe(
          timeout({ first: o.requestTimeoutMs, scheduler, with: timedOut('waiting for the headers', o.requestTimeoutMs) }),
          mergeMap((res) => {
            if (res.statusCode < 200 || res.statusCode >= 300) {
              return bodyText(res).pipe(
                timeout({ first: o.requestTimeoutMs, scheduler, with: timedOut('reading an error', o.requestTimeoutMs) }),
                mergeMap((text) => throwError(() => statusError(what, res.statusCode, text))),
              );
            }
            w.onOpen?.();
            return ndjsonEvents<WatchEvent<T>>(res.body, what).pipe(timeout({ each: idleMs, scheduler, with: timedOut('without an event', idleMs) }));
          }),
        );
      }),
    close: () => agent.close(),
  };
}

