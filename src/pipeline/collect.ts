import { defer, map, merge, Observable, toArray } from 'rxjs';
import type { Collector, CollectorContext } from '../collectors/types';
import type { Snapshot } from '../model/family';
import { scrapeCollector, type ScrapeOptions } from './scrapeCollector';

/**
 * Returns a cold observable that runs every collector concurrently and emits one
 * Snapshot when the last has finished (or timed out). A failed collector never delays
 * or breaks the others: scrapeCollector turns it into a result with success 0.
 *
 *   meminfo:     --(r|)
 *   filesystem:  -----(r|)
 *   snapshot:    -----(s|)
 */
export function collectAll(
  collectors: readonly Collector[],
  ctx: CollectorContext,
  o: ScrapeOptions & { readonly nextSeq: () => number; readonly wallClock?: () => number },
): Observable<Snapshot> {
  return defer(() => {
    const timestampMs = (o.wallClock ?? (() => ctx.scheduler.now()))();
    const seq = o.nextSeq();
    return merge(...collectors.map((c) => scrapeCollector(c, ctx, o))).pipe(
      toArray(),
      map((results): Snapshot => ({
        seq,
        timestampMs,
        results: results.sort((a, b) => (a.collector < b.collector ? -1 : a.collector > b.collector ? 1 : 0)),
      })),
    );
  });
}
