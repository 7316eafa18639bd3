import { asyncScheduler, Observable, throwError, timeout, type SchedulerLike } from 'rxjs';
import { RxporterError } from '../errors';

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

/** Returns true for statuses worth retrying: 408, 429 and every 5xx but 501. */
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
}

/** A keep-alive HTTP client for one sink. */
export interface HttpClient {
  /** Emits the status of a 2xx and completes; errors with an HttpError otherwise. Unsubscribing aborts. */
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
}

type Undici = typeof import('undici');
let undici: Undici | undefined;
/** undici costs several MB of RSS: it is loaded only when a push sink is enabled. */
const loadUndici = (): Undici => (undici ??= require('undici') as Undici);

/** Returns true once undici has been loaded in this process. */
export const undiciLoaded = (): boolean => undici !== undefined;

const BODY_LOG_LIMIT = 1024;

/** Returns an HTTP client on undici, loading undici on first call. */
export function createHttpClient(o: HttpClientOptions): HttpClient {
  const u = loadUndici();
  const scheduler = o.scheduler ?? asyncScheduler;
  const agent = new u.Agent({ keepAliveTimeout: 30_000, connections: 4, headersTimeout: 0, bodyTimeout: 0 });
  const request = (r: HttpRequest): Observable<number> =>
    new Observable<number>((sub) => {
      const ac = new AbortController();
      const started = scheduler.now();
      u.request(r.url, {
        method: r.method,
        headers: { 'user-agent': o.userAgent, ...r.headers },
        body: r.body === undefined ? undefined : Buffer.from(r.body.buffer, r.body.byteOffset, r.body.byteLength),
        signal: ac.signal,
        dispatcher: agent,
      })
        .then(async (res) => {
          const status = res.statusCode;
          if (status >= 200 && status < 300) {
            await res.body.dump();
            o.onOutcome?.(String(status));
            sub.next(status);
            sub.complete();
            return;
          }
          const text = (await res.body.text()).slice(0, BODY_LOG_LIMIT);
          o.onOutcome?.(String(status));
          const retryAfter = status === 429 || status === 503 ? parseRetryAfter(res.headers['retry-after'], scheduler.now()) : undefined;
          sub.error(new HttpError(`${r.method} ${r.url}: HTTP ${status}: ${text.trim()}`, isRetryableStatus(status), status, retryAfter, text));
        })
        .catch((e: unknown) => {
          if (ac.signal.aborted) return; // unsubscribed or timed out: reported by the timeout below
          o.onOutcome?.('error');
          const code = (e as { code?: string }).code;
          const msg = e instanceof Error ? e.message : String(e);
          sub.error(new HttpError(`${r.method} ${r.url}: ${code ? `${code}: ` : ''}${msg} (after ${Math.round(scheduler.now() - started)} ms)`, true, undefined, undefined, undefined, { cause: e }));
        });
      return () => ac.abort();
    }).pipe(
      timeout({
        first: o.timeoutMs,
        scheduler,
        with: () => {
          o.onOutcome?.('timeout');
          return throwError(() => new HttpError(`${r.method} ${r.url}: timed out after ${o.timeoutMs} ms`, true));
        },
      }),
    );
  return { request, close: () => agent.close() };
}
