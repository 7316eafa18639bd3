import { asyncScheduler, retry, throwError, timer, type MonoTypeOperatorFunction, type SchedulerLike } from 'rxjs';
import { isRetryable } from '../errors';

/** Options of retryWithBackoff. */
export interface BackoffOptions {
  /** Delay cap of the first retry, ms. */
  readonly initialMs: number;
  /** Largest delay cap, ms. */
  readonly maxMs: number;
  /** Retries after the first attempt (so maxRetries + 1 attempts in all). */
  readonly maxRetries: number;
  /** Source of jitter in [0, 1); injectable for marble tests. */
  readonly random?: () => number;
  readonly scheduler?: SchedulerLike;
  /** Called before each retry with the error, the retry number (1…) and the delay chosen. */
  readonly onRetry?: (err: unknown, n: number, delayMs: number) => void;
}

/** Returns the delay before retry `n` (1…): a server-given Retry-After, or full jitter random()·min(max, initial·2ⁿ⁻¹). */
export function backoffDelay(o: BackoffOptions, err: unknown, n: number): number {
  const after = (err as { retryAfterMs?: unknown } | null)?.retryAfterMs;
  if (typeof after === 'number' && after >= 0) return after;
  return Math.min(o.maxMs, o.initialMs * 2 ** (n - 1)) * (o.random ?? Math.random)();
}

/**
 * Returns an operator that resubscribes to the source after a retryable RxporterError,
 * waiting full-jitter exponential backoff (or the error's `retryAfterMs`, from a Retry-After
 * header); other errors and the error after the last retry go through.
 *
 *   initial 2, max 9, random () => 1, 2 retries:
 *   source:  -#  -#  -#
 *   output:  ---------#   resubscribed at 3 (after 2) and at 8 (after 4)
 */
export const retryWithBackoff = <T>(o: BackoffOptions): MonoTypeOperatorFunction<T> =>
  retry({
    count: o.maxRetries,
    delay: (err: unknown, n: number) => {
      if (!isRetryable(err)) return throwError(() => err);
      const ms = backoffDelay(o, err, n);
      o.onRetry?.(err, n, ms);
      return timer(ms, o.scheduler ?? asyncScheduler);
    },
  });
