import { defer, EMPTY, ignoreElements, mergeMap, Observable, ReplaySubject, share, Subject, tap, timer, type SchedulerLike } from 'rxjs';
import type { Snapshot } from '../model/family';

/** Options of createCollectionLoop. */
export interface CollectionLoopOptions {
  /** A cold observable running one collection; it emits one snapshot and completes. */
  readonly collect: () => Observable<Snapshot>;
  readonly periodMs: number;
  readonly scheduler: SchedulerLike;
  /** Called for each interval tick that found a collection running and was skipped. */
  readonly onSkip?: () => void;
}

/** The collection loop: interval and scrape triggers in, one shared snapshot per collection out. */
export interface CollectionLoop {
  /** Every collection's snapshot, whatever triggered it (hot). */
  readonly snapshots$: Observable<Snapshot>;
  /** Joins the collection in flight, or starts one; emits its snapshot and completes. */
  scrape(): Observable<Snapshot>;
  /** The interval trigger: a collection at once and then every period while subscribed. */
  readonly ticks$: Observable<never>;
  /** Returns an interval trigger of another period: its first tick after `firstMs`, then every `periodMs` (a reloaded collect.interval). */
  ticksEvery(periodMs: number, firstMs: number): Observable<never>;
  /**
   * Runs `fn` at the next collection boundary: at once when no collection runs, else right after
   * the running one has emitted its snapshot and before any other can start (a config reload swaps
   * collectors there, never in the middle of a collection). Callbacks run in the order given.
   */
  atBoundary(fn: () => void): void;
  /** True while a collection runs. */
  running(): boolean;
  /** Completes when no collection is running (at once when idle). */
  idle(): Observable<never>;
}

/**
 * Returns a loop in which collections never overlap: a scrape that arrives while one
 * runs joins it (concurrent scrapes share one result) and an interval tick that finds
 * one running is skipped and counted.
 *
 *   period 4, a collection takes 6:
 *   ticks:     t---t---t---
 *   scrapes:   --s--s------   both scrapes join a and get a's snapshot
 *   runs:      a-----| b-----|  the tick at 4 finds a running: skipped; the tick at 8 starts b
 */
export function createCollectionLoop(o: CollectionLoopOptions): CollectionLoop {
  const out = new Subject<Snapshot>();
  let current: Observable<Snapshot> | undefined;
  const boundary: (() => void)[] = [];

  const start = (): Observable<Snapshot> => {
    const run: Observable<Snapshot> = o.collect().pipe(
      tap({
        next: (s) => out.next(s),
        finalize: () => {
          if (current !== run) return;
          current = undefined;
          for (const fn of boundary.splice(0)) fn();
        },
      }),
      // One run for every joiner; it goes on if a scraper leaves, so its snapshot still reaches snapshots$.
      share({ connector: () => new ReplaySubject<Snapshot>(1), resetOnError: false, resetOnComplete: false, resetOnRefCountZero: false }),
    );
    current = run;
    return run;
  };

  const ticksEvery = (periodMs: number, firstMs: number): Observable<never> =>
    timer(firstMs, periodMs, o.scheduler).pipe(
      mergeMap(() => {
        if (current) {
          o.onSkip?.();
          return EMPTY;
        }
        return start();
      }),
      ignoreElements(),
    );

  return {
    snapshots$: out.asObservable(),
    scrape: () => defer(() => current ?? start()),
    ticks$: ticksEvery(o.periodMs, 0),
    ticksEvery,
    atBoundary: (fn) => {
      if (current) boundary.push(fn);
      else fn();
    },
    running: () => current !== undefined,
    idle: () => defer(() => (current ? current.pipe(ignoreElements()) : EMPTY)),
  };
}
