import { asyncScheduler, defer, retry, throwError, timer, type MonoTypeOperatorFunction, type SchedulerLike } from 'rxjs';
import { isRetryable } from '../errors';

/** Options of retryWithBackoff. */
export interface BackoffOptions {
  /** Delay cap of the first retry, ms. */
  readonly initialMs: number;
  /** Largest delay cap, ms; also the cap of a server-given Retry-After. */
  readonly maxMs: number;
  /** Retries after failures without a Retry-After (so maxRetries + 1 such attempts in all). */
  readonly maxRetries: number;
  /** Source of jitter in [0, 1); injectable for marble tests. */
  readonly random?: () => number;
  readonly scheduler?: SchedulerLike;
  /** Scheduler time (ms) from which a failure is no longer retried; the only bound on Retry-After waits. */
  readonly until?: number;
  /** Called before each retry with the error, the retry number (1…) and the delay chosen. */
  readonly onRetry?: (err: unknown, n: number, delayMs: number) => void;
  /** Called when a server asked for a longer wait than maxMs, with what it asked and what is waited (ms). */
  readonly onRetryAfterCapped?: (askedMs: number, waitMs: number) => void;
}

/**
 * Returns the wait a server asked for in an error's `retryAfterMs` (Retry-After) and the wait
 * chosen: at least initialMs (these waits are not counted, so "Retry-After: 0" must not make a
 * busy loop) and at most maxMs; undefined without a Retry-After.
 */
export function serverDelay(o: Pick<BackoffOptions, 'initialMs' | 'maxMs'>, err: unknown): { askedMs: number; waitMs: number } | undefined {
  const after = (err as { retryAfterMs?: unknown } | null)?.retryAfterMs;
  if (typeof after !== 'number' || !(after >= 0)) return undefined;
  return { askedMs: after, waitMs: Math.min(o.maxMs, Math.max(after, o.initialMs)) };
}

/**
 * Returns the delay before retry `n` (1…): a server-given Retry-After within [initialMs, maxMs], or
 * full jitter random()·min(max, initial·2ⁿ⁻¹).
 */
export function backoffDelay(o: BackoffOptions, err: unknown, n: number): number {
  const server = serverDelay(o, err);
  if (server) return server.waitMs;
  return Math.min(o.maxMs, o.initialMs * 2 ** (n - 1)) * (o.random ?? Math.random)();
}

/**
 * Returns an operator that resubscribes to the source after a retryable RxporterError,
 * waiting full-jitter exponential backoff, or the error's `retryAfterMs` (a Retry-After
 * header) kept within [initialMs, maxMs]. Only failures without a Retry-After count against maxRetries: a
 * server that asks to wait is waited for, until `until`. Other errors, the error after the
 * last counted retry and any error from `until` on go through.
 *
 *   initial 2, max 9, random () => 1, 2 retries:
 *   source:  -#  -#  -#
 *   output:  ---------#   resubscribed at 3 (after 2) and at 8 (after 4)
 */
export const retryWithBackoff =
  <T>(o: BackoffOptions): MonoTypeOperatorFunction<T> =>
  (source) =>
    defer(() => {
      const scheduler = o.scheduler ?? asyncScheduler;
      let counted = 0;
      return source.pipe(
        retry({
          delay: (err: unknown, n: number) => {
            if (!isRetryable(err)) return throwError(() => err);
            if (o.until !== undefined && scheduler.now() >= o.until) return throwError(() => err);
            const server = serverDelay(o, err);
            if (server === undefined && ++counted > o.maxRetries) return throwError(() => err);
            const ms = server ? server.waitMs : backoffDelay(o, err, counted);
            if (server && server.askedMs > server.waitMs) o.onRetryAfterCapped?.(server.askedMs, server.waitMs);
            o.onRetry?.(err, n, ms);
            return timer(ms, scheduler);
          },
        }),
      );
    });
