import {
  asyncScheduler,
  catchError,
  defer,
  EMPTY,
  expand,
  finalize,
  ignoreElements,
  map,
  merge,
  Observable,
  of,
  Subject,
  takeUntil,
  endWith,
  exhaustMap,
  mergeMap,
  timer,
  type OperatorFunction,
} from 'rxjs';
import { RxporterError, toRxporterError } from '../errors';
import type { DeliveryResult, Payload, SendFn } from '../model/delivery';
import type { PayloadQueue, QueuedItem } from './payloadQueue';
import { retryWithBackoff, serverDelay, type BackoffOptions } from './retryWithBackoff';

/** Options of deliver. */
export interface DeliverOptions {
  readonly sink: string;
  readonly queue: PayloadQueue;
  /** One request for consecutive payloads; completes on success, errors with an RxporterError. */
  readonly send: SendFn;
  /** Push ticks: each one drains the queue (a tick during a drain is ignored). */
  readonly trigger$: Observable<unknown>;
  /** Payloads per request at most, and body bytes per request after the first payload. */
  readonly maxItems: number;
  readonly maxBytes: number;
  /**
   * Backoff between attempts: maxRetries + 1 attempts per request in one round, not counting
   * those answered with a Retry-After (waited for, within [initialMs, maxMs]). Its scheduler is deliver's clock.
   */
  readonly retry: BackoffOptions;
  /** Keep a request whose attempts ran out for the next round (a disk queue) instead of dropping it. */
  readonly park: boolean;
  /**
   * A payload that still fails (retryably) this many ms after its first attempt is dropped
   * as `expired`, whatever the queue, and the drain goes on with the next one.
   */
  readonly maxElapsedMs: number;
  /** Reason given to payloads the queue drops to make room (default queue_full). */
  readonly overflowReason?: string;
}

type Round = { readonly results: DeliveryResult[]; readonly parked: boolean };

const result = (sink: string, p: Payload, status: DeliveryResult['status'], reason?: string, error?: RxporterError): DeliveryResult => ({
  sink,
  seq: p.seq,
  samples: p.samples,
  status,
  ...(reason ? { reason } : {}),
  ...(error ? { error } : {}),
});

/**
 * Returns an operator that queues each payload (results for those the queue drops) and, on
 * every trigger, sends the queue from its head in order: each request is retried with
 * backoff, and waits as long as a server asked (Retry-After, capped at retry.maxMs) without
 * using up attempts; no request goes out before the time a server last asked for. Delivered
 * or rejected (a permanent error) payloads leave the queue; ones whose attempts ran out are
 * dropped (`retries_exhausted`) or, with `park`, stay at the head until the next trigger;
 * payloads still failing maxElapsedMs after their first attempt are dropped (`expired`).
 * When the source completes, a last drain runs at once and the output completes after it.
 *
 *   trigger:  ----t-------t---
 *   payloads: -a-b--c---------
 *   send:          (a,b) ok    (c) ok
 *   output:   ----(AB)----C---
 */
export const deliver =
  (o: DeliverOptions): OperatorFunction<Payload, DeliveryResult> =>
  (source) =>
    new Observable<DeliveryResult>((subscriber) => {
      const inputDone$ = new Subject<void>();
      const dropped$ = new Subject<DeliveryResult>();
      const scheduler = o.retry.scheduler ?? asyncScheduler;
      // First attempt (scheduler ms) of the payloads of the last request, by queue item id:
      // only a request that failed can be taken again, so nothing else needs remembering.
      let firstTry = new Map<number, number>();
      // No request before this time (scheduler ms): the last Retry-After, capped.
      let notBefore = -Infinity;
      const askedToWait = (err: unknown) => {
        const server = serverDelay(o.retry, err);
        if (server) notBefore = Math.max(notBefore, scheduler.now() + server.waitMs);
      };

      const round = (): Observable<Round> =>
        defer(() => {
          const items: QueuedItem[] = o.queue.take(o.maxItems, o.maxBytes);
          if (items.length === 0) return EMPTY;
          const startAt = Math.max(scheduler.now(), notBefore);
          firstTry = new Map(items.map((i) => [i.id, firstTry.get(i.id) ?? startAt]));
          const until = Math.min(...firstTry.values()) + o.maxElapsedMs;
          let settled = false;
          const payloads = items.map((i) => i.payload);
          /** Removes `gone` from the queue, returns the rest to its head, and yields the round. */
          const settle = (results: DeliveryResult[], gone: readonly QueuedItem[], parked: boolean): Round => {
            settled = true;
            const kept = items.filter((i) => !gone.includes(i));
            if (gone.length > 0) o.queue.remove(gone);
            if (kept.length > 0) o.queue.release(kept);
            return { results, parked };
          };
          const all = (status: DeliveryResult['status'], reason?: string, err?: RxporterError) => payloads.map((p) => result(o.sink, p, status, reason, err));
          const send$ = defer(() => o.send(payloads)).pipe(
            retryWithBackoff({
              ...o.retry,
              scheduler,
              until,
              onRetry: (err, n, ms) => {
                askedToWait(err);
                o.retry.onRetry?.(err, n, ms);
              },
            }),
          );
          const wait = startAt - scheduler.now();
          return (wait > 0 ? timer(wait, scheduler).pipe(mergeMap(() => send$)) : send$).pipe(
            ignoreElements(),
            endWith(null),
            map(() => settle(all('delivered'), items, false)),
            catchError((e: unknown) => {
              const err = toRxporterError(e, 'RXP_SINK_HTTP');
              askedToWait(err);
              if (!err.retryable) return of(settle(all('dropped', 'rejected', err), items, false));
              const now = scheduler.now();
              const expired = items.filter((i) => now >= (firstTry.get(i.id) ?? now) + o.maxElapsedMs);
              if (expired.length > 0) {
                return of(settle(expired.map((i) => result(o.sink, i.payload, 'dropped', 'expired', err)), expired, false));
              }
              if (o.park) return of(settle(all('failed', undefined, err), [], true));
              return of(settle(all('dropped', 'retries_exhausted', err), items, false));
            }),
            // Unsubscribed mid-request (shutdown): the payloads stay queued.
            finalize(() => {
              if (!settled) o.queue.release(items);
            }),
          );
        });

      const drain = (): Observable<DeliveryResult> =>
        round().pipe(
          expand((r) => (r.parked ? EMPTY : round())),
          map((r) => r.results),
          mergeMap((rs) => rs),
        );

      const work = merge(o.trigger$.pipe(takeUntil(inputDone$)), inputDone$).pipe(exhaustMap(() => drain()));

      subscriber.add(merge(dropped$, work).subscribe(subscriber));
      subscriber.add(
        source.subscribe({
          next: (p) => {
            for (const d of o.queue.push(p)) dropped$.next(result(o.sink, d, 'dropped', o.overflowReason ?? 'queue_full'));
          },
          error: (e: unknown) => subscriber.error(e),
          complete: () => {
            inputDone$.next();
            inputDone$.complete();
            dropped$.complete();
          },
        }),
      );
    });
