import { Observable, Subscription } from 'rxjs';
import type { Collector, CollectorContext } from '../model/collector';
import type { CollectorResult, Snapshot } from '../model/family';
import { scrapeCollector, type ScrapeOptions } from './scrapeCollector';

const byCollector = (a: CollectorResult, b: CollectorResult): number => (a.collector < b.collector ? -1 : a.collector > b.collector ? 1 : 0);

/**
 * Returns a cold observable that runs every collector concurrently and emits one
 * Snapshot when the last has finished (or timed out). A failed collector never delays
 * or breaks the others: scrapeCollector turns it into a result with success 0.
 *
 *   meminfo:     --(r|)
 *   filesystem:  -----(r|)
 *   snapshot:    -----(s|)
 *
 * (`merge(...).pipe(toArray(), map(…))` in one subscriber: it runs on every scrape.)
 */
export function collectAll(
  collectors: readonly Collector[],
  ctx: CollectorContext,
  o: ScrapeOptions & { readonly nextSeq: () => number; readonly wallClock?: () => number },
): Observable<Snapshot> {
  return new Observable<Snapshot>((subscriber) => {
    const timestampMs = (o.wallClock ?? (() => ctx.scheduler.now()))();
    const seq = o.nextSeq();
    const results: CollectorResult[] = [];
    let pending = collectors.length + 1; // + 1 until every collector is subscribed
    const complete = (): void => {
      if (--pending > 0) return;
      results.sort(byCollector);
      subscriber.next({ seq, timestampMs, results });
      subscriber.complete();
    };
    const subs = new Subscription();
    for (const c of collectors) {
      if (subscriber.closed) break;
      subs.add(
        scrapeCollector(c, ctx, o).subscribe({
          next: (r) => results.push(r),
          error: (e: unknown) => subscriber.error(e),
          complete,
        }),
      );
    }
    complete();
    return subs;
  });
}

/**
 * Returns a cold observable that emits one Snapshot of the results `run` emits once it
 * completes (results sorted by collector): the snapshot of collectors run elsewhere (actors).
 *
 *   run:       -a--b-|
 *   snapshot:  ------(s|)
 */
export function snapshotOf(
  run: () => Observable<CollectorResult>,
  o: { readonly nextSeq: () => number; readonly wallClock: () => number },
): Observable<Snapshot> {
  return new Observable<Snapshot>((subscriber) => {
    const timestampMs = o.wallClock();
    const seq = o.nextSeq();
    const results: CollectorResult[] = [];
    return run().subscribe({
      next: (r) => results.push(r),
      error: (e: unknown) => subscriber.error(e),
      complete: () => {
        results.sort(byCollector);
        subscriber.next({ seq, timestampMs, results });
        subscriber.complete();
      },
    });
  });
}
