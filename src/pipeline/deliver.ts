import { catchError, defer, EMPTY, expand, finalize, ignoreElements, map, merge, Observable, of, Subject, takeUntil, endWith, exhaustMap, mergeMap, type OperatorFunction } from 'rxjs';
import { RxporterError, toRxporterError } from '../errors';
import type { DeliveryResult, Payload, SendFn } from '../model/delivery';
import type { PayloadQueue, QueuedItem } from './payloadQueue';
import { retryWithBackoff, type BackoffOptions } from './retryWithBackoff';

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
  /** Backoff between attempts; maxRetries + 1 attempts per request in one round. */
  readonly retry: BackoffOptions;
  /**
   * Keep a request whose attempts ran out for the next round (a disk queue) instead of
   * dropping it. An HTTP 500 is dropped anyway: a server that answers is rejecting this data.
   */
  readonly park: boolean;
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
 * backoff; delivered or rejected (a permanent error) payloads leave the queue, ones whose
 * attempts ran out are dropped or, with `park`, stay at the head until the next trigger.
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

      const round = (): Observable<Round> =>
        defer(() => {
          const items: QueuedItem[] = o.queue.take(o.maxItems, o.maxBytes);
          if (items.length === 0) return EMPTY;
          let settled = false;
          const payloads = items.map((i) => i.payload);
          const settle = (r: Round, keep: boolean): Round => {
            settled = true;
            if (keep) o.queue.release(items);
            else o.queue.remove(items);
            return r;
          };
          return defer(() => o.send(payloads)).pipe(
            retryWithBackoff(o.retry),
            ignoreElements(),
            endWith(null),
            map(() => settle({ results: payloads.map((p) => result(o.sink, p, 'delivered')), parked: false }, false)),
            catchError((e: unknown) => {
              const err = toRxporterError(e, 'RXP_SINK_HTTP');
              const status = (err as { status?: unknown }).status;
              if (!err.retryable) return of(settle({ results: payloads.map((p) => result(o.sink, p, 'dropped', 'rejected', err)), parked: false }, false));
              if (o.park && status !== 500) return of(settle({ results: payloads.map((p) => result(o.sink, p, 'failed', undefined, err)), parked: true }, true));
              const reason = status === 500 ? 'server_error' : 'retries_exhausted';
              return of(settle({ results: payloads.map((p) => result(o.sink, p, 'dropped', reason, err)), parked: false }, false));
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
