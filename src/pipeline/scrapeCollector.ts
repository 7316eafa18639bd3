import { catchError, defer, map, Observable, of, throwError, timeout, toArray } from 'rxjs';
import type { Collector, CollectorContext } from '../collectors/types';
import { RxporterError, toRxporterError } from '../errors';
import type { CollectorResult } from '../model/family';

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
 *   collect:  --a--b--|          --a--#            ---------- (hangs)
 *   result:   --------(r|)       -----(f|)         -----(t|)   t = timeout: success 0
 */
export function scrapeCollector(collector: Collector, ctx: CollectorContext, o: ScrapeOptions): Observable<CollectorResult> {
  const now = o.now ?? (() => ctx.scheduler.now());
  return defer(() => {
    const start = now();
    const seconds = () => (now() - start) / 1000;
    return defer(() => collector.collect(ctx)).pipe(
      toArray(),
      timeout({
        first: o.timeoutMs,
        scheduler: ctx.scheduler,
        with: () => throwError(() => new RxporterError('RXP_TIMEOUT', `collector ${collector.name} timed out after ${o.timeoutMs} ms`)),
      }),
      map((families): CollectorResult => ({ collector: collector.name, success: true, durationSeconds: seconds(), families })),
      catchError((e: unknown) => {
        const err = toRxporterError(e, 'RXP_PROC_READ');
        // Like node_exporter, "no data" (e.g. no ZFS on this host) is success 0 but only a debug line.
        if (err.code === 'RXP_NO_DATA') ctx.log.debug('collector returned no data', { collector: collector.name, error: err.message });
        else ctx.log.warn('collector failed', { collector: collector.name, code: err.code, error: err.message });
        return of<CollectorResult>({
          collector: collector.name,
          success: false,
          durationSeconds: seconds(),
          families: [],
          error: { code: err.code, message: err.message },
        });
      }),
    );
  });
}
