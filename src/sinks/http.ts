import type { Readable } from 'node:stream';
import { asyncScheduler, defer, last, map, mergeMap, Observable, of, scan, takeUntil, takeWhile, throwError, timeout, timer, type SchedulerLike } from 'rxjs';
import { RxporterError } from '../errors';
import { clientFiles, sameTls, tlsProblem, TLS_VERSIONS, type ClientMaterial, type SinkClientOptions, type TlsMaterial } from './clientOptions';

/** An HTTP failure: the status (absent for network errors and timeouts), a server-given retry delay, the body's start. */
export class HttpError extends RxporterError {
  constructor(
    message: string,
    retryable: boolean,
    readonly status?: number,
    readonly retryAfterMs?: number,
    readonly body?: string,
    options?: ErrorOptions,
  ) {
    super(status === undefined && /timed out/.test(message) ? 'RXP_TIMEOUT' : 'RXP_SINK_HTTP', message, retryable, options);
  }
}

/** Returns true for statuses worth retrying: 408, 429 and every 5xx but 501 (Vector's rule; remote write has its spec's). */
export const isRetryableStatus = (s: number): boolean => s === 408 || s === 429 || (s >= 500 && s !== 501);

/**
 * Returns a Retry-After header (delay-seconds or an HTTP date) in milliseconds from `nowMs`,
 * or undefined when absent or unreadable.
 */
export function parseRetryAfter(v: string | string[] | undefined, nowMs: number): number | undefined {
  const s = Array.isArray(v) ? v[0] : v;
  if (s === undefined || s.trim() === '') return undefined;
  if (/^\s*\d+\s*$/.test(s)) return Number(s) * 1000;
  const at = Date.parse(s);
  return Number.isNaN(at) ? undefined : Math.max(0, at - nowMs);
}

/** One request. */
export interface HttpRequest {
  readonly method: 'GET' | 'PUT' | 'POST' | 'DELETE';
  readonly url: string;
  readonly headers?: Readonly<Record<string, string>>;
  readonly body?: Uint8Array;
  /** Which error statuses are worth retrying (default isRetryableStatus). */
  readonly retryableStatus?: (status: number) => boolean;
}

/** A keep-alive HTTP client for one sink. */
export interface HttpClient {
  /**
   * Emits the status of a 2xx and completes; errors with an HttpError otherwise. The outcome
   * is the status alone; at most BODY_LIMIT bytes of the body are read (kept for an error's
   * log line), the rest is discarded unread. Unsubscribing aborts.
   */
  request(r: HttpRequest): Observable<number>;
  close(): Promise<void>;
}

/** Options of createHttpClient. */
export interface HttpClientOptions {
  readonly timeoutMs: number;
  readonly userAgent: string;
  readonly scheduler?: SchedulerLike;
  /** Called once per request with its outcome: the status ("204"), "error" or "timeout". */
  readonly onOutcome?: (code: string) => void;
  /**
   * TLS, authorization, proxy and extra headers (clientOptions.ts), and the config key they
   * come from (e.g. "exporter.vmagent", for messages). Their files are read at creation
   * (RXP_CONFIG when one cannot be) and again before each request.
   */
  readonly client?: { readonly options: SinkClientOptions; readonly key: string };
}

type Undici = typeof import('undici');
let undici: Undici | undefined;
/** undici costs several MB of RSS: it is loaded only when a push sink is enabled. */
const loadUndici = (): Undici => (undici ??= require('undici') as Undici);

/** Returns true once undici has been loaded in this process. */
export const undiciLoaded = (): boolean => undici !== undefined;

/** Bytes of a response body read at most (for the log line); the rest is never read. */
export const BODY_LIMIT = 4096;

/**
 * Returns the first `limit` bytes of a response body as text, read until then, the body's end
 * or `until$` emits (a stalled body), whichever comes first; the stream is then destroyed if
 * unfinished (undici drops that connection), so nothing more is read or buffered.
 */
export function bodyHead(body: Readable, limit: number, until$: Observable<unknown>): Observable<string> {
  const chunks$ = new Observable<Buffer>((sub) => {
    if (body.readableEnded || body.destroyed) {
      sub.complete();
      return;
    }
    const onData = (c: Buffer) => sub.next(c);
    // A body cut short still leaves what was read: the status already decided the outcome.
    const onEnd = () => sub.complete();
    body.on('data', onData).on('end', onEnd).on('error', onEnd);
    return () => {
      body.off('data', onData).off('end', onEnd).off('error', onEnd);
      if (!body.readableEnded) body.destroy();
      body.on('error', () => undefined); // a late error of the destroyed stream is not ours
    };
  });
  return chunks$.pipe(
    scan((acc, c) => ({ bytes: acc.bytes + c.length, chunks: [...acc.chunks, c] }), { bytes: 0, chunks: [] as Buffer[] }),
    takeWhile((acc) => acc.bytes < limit, true),
    takeUntil(until$),
    last(undefined, { bytes: 0, chunks: [] as Buffer[] }),
    map((acc) => Buffer.concat(acc.chunks).subarray(0, limit).toString('utf8')),
  );
}

/** Characters of the body in an error's message (the whole BODY_LIMIT read is in its `body`). */
const MESSAGE_BODY_CHARS = 512;

type ResponseData = Awaited<ReturnType<Undici['request']>>;

type Dispatcher = InstanceType<Undici['Agent']> | InstanceType<Undici['EnvHttpProxyAgent']>;

/**
 * Returns an HTTP client on undici, loading undici on first call. With `client` options it
 * verifies the receiver with the CA file (or not, insecureSkipVerify), presents the client
 * certificate, sends the Authorization of basic auth or a bearer token and the extra headers,
 * and goes through the proxy; the files are read again before each request, so a rotated
 * secret is used by the next request and changed CA/certificate/key bytes open new
 * connections. Throws RXP_CONFIG when a file cannot be read at creation; a file that cannot
 * be read later fails that request with a retryable HttpError naming the key and path.
 */
export function createHttpClient(o: HttpClientOptions): HttpClient {
  const u = loadUndici();
  const scheduler = o.scheduler ?? asyncScheduler;
  const c = o.client?.options;
  const files = o.client ? clientFiles(o.client.options, o.client.key) : undefined;
  const dispatcherFor = (t: TlsMaterial): Dispatcher => {
    const tls = {
      ...(t.ca ? { ca: t.ca } : {}),
      ...(t.cert ? { cert: t.cert, key: t.key } : {}),
      ...(c?.tls.serverName ? { servername: c.tls.serverName } : {}),
      ...(c?.tls.minVersion ? { minVersion: TLS_VERSIONS[c.tls.minVersion] } : {}),
      rejectUnauthorized: !c?.tls.insecureSkipVerify,
    };
    const common = { keepAliveTimeout: 30_000, connections: 4, headersTimeout: 0, bodyTimeout: 0, connect: tls };
    // Only the configured proxy is used, never one from the environment (as Prometheus without proxy_from_environment).
    return c?.proxyUrl
      ? new u.EnvHttpProxyAgent({ ...common, httpProxy: c.proxyUrl, httpsProxy: c.proxyUrl, noProxy: c.noProxy, requestTls: tls })
      : new u.Agent(common);
  };
  const initial: ClientMaterial = files?.readSync() ?? { tls: {} };
  let current = { tls: initial.tls, agent: dispatcherFor(initial.tls) };
  const extra = c?.headers ?? {};

  /** Returns the dispatcher for this TLS material: the current one, or new connections when the files changed. */
  const dispatcher = (t: TlsMaterial): Dispatcher => {
    if (sameTls(t, current.tls)) return current.agent;
    const bad = tlsProblem(t, o.client?.key ?? '');
    if (bad) throw new RxporterError('RXP_CONFIG', bad);
    const old = current.agent;
    current = { tls: t, agent: dispatcherFor(t) };
    void old.close().catch(() => undefined); // requests under way finish on the old connections
    return current.agent;
  };

  /** A request that cannot go out because of its files: retryable (they may be fixed or rotated by the next attempt). */
  const unusableFiles = (r: HttpRequest, e: unknown) =>
    new HttpError(`${r.method} ${r.url}: ${e instanceof Error ? e.message : String(e)}`, true, undefined, undefined, undefined, { cause: e });

  /** Emits the files' material, or a retryable HttpError naming the key and path of one that cannot be read. */
  const material = (r: HttpRequest): Observable<ClientMaterial> =>
    files === undefined
      ? of(initial)
      : new Observable<ClientMaterial>((sub) => {
          files.read().then(
            (m) => {
              sub.next(m);
              sub.complete();
            },
            (e: unknown) => {
              if (sub.closed) return; // timed out or unsubscribed meanwhile: already reported
              o.onOutcome?.('error');
              sub.error(unusableFiles(r, e));
            },
          );
        });

  /** Emits the response once its headers are in; unsubscribing before then aborts the request. */
  const respond = (r: HttpRequest, started: number, m: ClientMaterial): Observable<ResponseData> =>
    new Observable<ResponseData>((sub) => {
      const ac = new AbortController();
      let handedOver = false;
      let agent: Dispatcher;
      try {
        agent = dispatcher(m.tls);
      } catch (e) {
        o.onOutcome?.('error');
        sub.error(unusableFiles(r, e));
        return;
      }
      u.request(r.url, {
        method: r.method,
        headers: { 'user-agent': o.userAgent, ...extra, ...r.headers, ...(m.authorization ? { authorization: m.authorization } : {}) },
        body: r.body === undefined ? undefined : Buffer.from(r.body.buffer, r.body.byteOffset, r.body.byteLength),
        signal: ac.signal,
        dispatcher: agent,
      }).then(
        (res) => {
          if (sub.closed) {
            res.body.destroy();
            return;
          }
          handedOver = true; // from here the body belongs to bodyHead, which destroys it when done
          sub.next(res);
          sub.complete();
        },
        (e: unknown) => {
          if (ac.signal.aborted) return; // unsubscribed or timed out: reported by the timeout below
          o.onOutcome?.('error');
          const code = (e as { code?: string }).code;
          const msg = e instanceof Error ? e.message : String(e);
          sub.error(new HttpError(`${r.method} ${r.url}: ${code ? `${code}: ` : ''}${msg} (after ${Math.round(scheduler.now() - started)} ms)`, true, undefined, undefined, undefined, { cause: e }));
        },
      );
      return () => {
        if (!handedOver) ac.abort();
      };
    });

  const request = (r: HttpRequest): Observable<number> =>
    defer(() => {
      const started = scheduler.now();
      return material(r).pipe(
        mergeMap((m) => respond(r, started, m)),
        timeout({
          first: o.timeoutMs,
          scheduler,
          with: () => {
            o.onOutcome?.('timeout');
            return throwError(() => new HttpError(`${r.method} ${r.url}: timed out after ${o.timeoutMs} ms`, true));
          },
        }),
        mergeMap((res) => {
          // The status decides; the body is read only up to BODY_LIMIT, within what is left of the timeout.
          const status = res.statusCode;
          o.onOutcome?.(String(status));
          const retryAfter = status === 429 || status === 503 ? parseRetryAfter(res.headers['retry-after'], scheduler.now()) : undefined;
          const left = Math.max(0, started + o.timeoutMs - scheduler.now());
          return bodyHead(res.body, BODY_LIMIT, timer(left, scheduler)).pipe(
            mergeMap((text) =>
              status >= 200 && status < 300
                ? of(status)
                : throwError(
                    () =>
                      new HttpError(
                        `${r.method} ${r.url}: HTTP ${status}: ${text.trim().slice(0, MESSAGE_BODY_CHARS)}`,
                        (r.retryableStatus ?? isRetryableStatus)(status),
                        status,
                        retryAfter,
                        text,
                      ),
                  ),
            ),
          );
        }),
      );
    });
  return { request, close: () => current.agent.close() };
}
