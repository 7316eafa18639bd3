import { Observable, type Subscription } from 'rxjs';
import type { Collector, CollectorContext } from '../model/collector';
import { RxporterError, toRxporterError } from '../errors';
import type { CollectorResult, MetricFamily } from '../model/family';

/** Options of scrapeCollector. */
export interface ScrapeOptions {
  readonly timeoutMs: number;
  /** Monotonic clock in milliseconds for the duration (default: the context's scheduler). */
  readonly now?: () => number;
}

/**
 * Returns one CollectorResult for one run of `collector`, and never errors: this is the
 * boundary where a throw, a garbled file or a timeout becomes success 0 and one warn line.
 *
 *   collect:  --a--b--|          --a--#            --a------- (hangs)
 *   result:   --------(r|)       -----(f|)         -----(t|)   f, t: success 0 with family a
 *
 * It is what `defer(collect) → toArray → timeout → map → catchError` would be, in one
 * subscriber: it runs for every collector on every scrape. A collector that completes
 * during subscribe (every synchronous one) never arms the timeout timer.
 */
export function scrapeCollector(collector: Collector, ctx: CollectorContext, o: ScrapeOptions): Observable<CollectorResult> {
  const now = o.now ?? (() => ctx.scheduler.now());
  return new Observable<CollectorResult>((subscriber) => {
    const start = now();
    const families: MetricFamily[] = [];
    let done = false;
    let inner: Subscription | undefined;
    let timer: Subscription | undefined;
    let subscribing = true;
    let early: CollectorResult | undefined; // the result of a collector that finished during subscribe
    const finish = (r: CollectorResult): void => {
      if (done) return;
      done = true;
      timer?.unsubscribe();
      inner?.unsubscribe();
      if (subscribing) early = r;
      else {
        subscriber.next(r);
        subscriber.complete();
      }
    };
    const fail = (e: unknown): void => {
      if (done) return;
      const err = toRxporterError(e, 'RXP_PROC_READ');
      // Like node_exporter, "no data" (e.g. no ZFS on this host) is success 0 but only a debug line.
      if (err.code === 'RXP_NO_DATA') ctx.log.debug('collector returned no data', { collector: collector.name, error: err.message });
      else ctx.log.warn('collector failed', { collector: collector.name, code: err.code, error: err.message });
      // What it emitted before it failed or timed out is kept: success 0 says it is incomplete.
      finish({
        collector: collector.name,
        success: false,
        durationSeconds: (now() - start) / 1000,
        families,
        error: { code: err.code, message: err.message },
      });
    };
    // Errors are reported by code and message only, never with their stack; a synchronous
    // collector's errors are built while it is subscribed (a host without bonding, NFS, ZFS,
    // … has a dozen every scrape), so stack traces are off until subscribe returns.
    const stackTraceLimit = Error.stackTraceLimit;
    Error.stackTraceLimit = 0;
    try {
      inner = collector.collect(ctx).subscribe({
        next: (f) => families.push(f),
        error: fail,
        complete: () => finish({ collector: collector.name, success: true, durationSeconds: (now() - start) / 1000, families }),
      });
    } catch (e) {
      fail(e);
    } finally {
      Error.stackTraceLimit = stackTraceLimit;
      subscribing = false;
    }
    if (early) {
      inner?.unsubscribe();
      subscriber.next(early);
      subscriber.complete();
    } else if (!done) {
      timer = ctx.scheduler.schedule(
        () => fail(new RxporterError('RXP_TIMEOUT', `collector ${collector.name} timed out after ${o.timeoutMs} ms`)),
        o.timeoutMs,
      );
    }
    return () => {
      done = true;
      timer?.unsubscribe();
      inner?.unsubscribe();
    };
  });
}
