import { map } from 'rxjs';
import type { Snapshot } from '../src/model/family';
import { createCollectionLoop } from '../src/pipeline/collectionLoop';
import { testScheduler } from './scheduler';

const snap = (seq: number): Snapshot => ({ seq, timestampMs: 0, results: [] });

describe('createCollectionLoop', () => {
  it('collects at once and then every period while collections are shorter than the period', () => {
    const ts = testScheduler();
    ts.run(({ cold, expectObservable }) => {
      let n = 0;
      const loop = createCollectionLoop({ collect: () => cold('--(s|)', { s: snap(++n) }), periodMs: 4, scheduler: ts });
      expectObservable(loop.ticks$, '^----------!').toBe('-----------');
      expectObservable(loop.snapshots$, '^----------!').toBe('--a---b---c', { a: snap(1), b: snap(2), c: snap(3) });
    });
  });

  it('skips and counts an interval tick that finds a collection running', () => {
    const ts = testScheduler();
    let skipped = 0;
    ts.run(({ cold, expectObservable }) => {
      let n = 0;
      const loop = createCollectionLoop({
        collect: () => cold('------(s|)', { s: snap(++n) }),
        periodMs: 4,
        scheduler: ts,
        onSkip: () => skipped++,
      });
      expectObservable(loop.ticks$, '^-------------!').toBe('--------------');
      // runs: 0-6 (tick 4 skipped), 8-14 (tick 12 skipped)
      expectObservable(loop.snapshots$, '^-------------!').toBe('------a-------', { a: snap(1) });
    });
    expect(skipped).toBe(2);
  });

  it('lets concurrent scrapes join the collection in flight: one run, one shared result', () => {
    const ts = testScheduler();
    let runs = 0;
    ts.run(({ cold, expectObservable }) => {
      const loop = createCollectionLoop({ collect: () => (runs++, cold('-----(s|)', { s: snap(runs) })), periodMs: 100, scheduler: ts });
      expectObservable(loop.scrape(), '^').toBe('-----(a|)', { a: snap(1) });
      expectObservable(loop.scrape(), '--^').toBe('-----(a|)', { a: snap(1) });
      expectObservable(loop.scrape(), '----^').toBe('-----(a|)', { a: snap(1) });
      // after the run finished a new scrape starts a new collection
      expectObservable(loop.scrape(), '-------^').toBe('------------(b|)', { b: snap(2) });
      expectObservable(loop.snapshots$, '^-------------!').toBe('-----a------b-', { a: snap(1), b: snap(2) });
    });
    expect(runs).toBe(2);
  });

  it('skips a tick while a scrape-started collection runs, and the tick-started run serves a later scrape', () => {
    const ts = testScheduler();
    let skipped = 0;
    let runs = 0;
    ts.run(({ cold, expectObservable }) => {
      const loop = createCollectionLoop({
        collect: () => (runs++, cold('---(s|)', { s: snap(runs) })),
        periodMs: 5,
        scheduler: ts,
        onSkip: () => skipped++,
      });
      // tick at 0 starts run 1 (0-3); scrape at 4 starts run 2 (4-7); tick at 5 skipped; tick at 10 starts run 3 (10-13)
      expectObservable(loop.ticks$, '^-------------!').toBe('--------------');
      expectObservable(loop.scrape(), '----^').toBe('-------(b|)', { b: snap(2) });
      expectObservable(loop.scrape(), '-----------^').toBe('-------------(c|)', { c: snap(3) });
    });
    expect({ skipped, runs }).toEqual({ skipped: 1, runs: 3 });
  });

  it('keeps a collection going when its only scraper leaves, so the snapshot still reaches every subscriber', () => {
    const ts = testScheduler();
    ts.run(({ cold, expectObservable, expectSubscriptions }) => {
      const run = cold('----(s|)', { s: snap(1) });
      const loop = createCollectionLoop({ collect: () => run, periodMs: 100, scheduler: ts });
      expectObservable(loop.scrape(), '^-!').toBe('---');
      expectObservable(loop.snapshots$, '^-----!').toBe('----a-', { a: snap(1) });
      expectObservable(loop.snapshots$, '^-----!').toBe('----a-', { a: snap(1) });
      expectSubscriptions(run.subscriptions).toBe('^---!');
    });
  });

  it('idle() completes at once when idle and when the run in flight ends', () => {
    const ts = testScheduler();
    ts.run(({ cold, expectObservable }) => {
      const loop = createCollectionLoop({ collect: () => cold('---(s|)', { s: snap(1) }), periodMs: 100, scheduler: ts });
      expectObservable(loop.idle()).toBe('|');
      expectObservable(loop.scrape()).toBe('---(a|)', { a: snap(1) });
      expectObservable(loop.idle(), '-^').toBe('---|');
    });
  });

  it('runs a boundary callback after the collection in flight, before the next one, and at once when idle', () => {
    const ts = testScheduler();
    const calls: string[] = [];
    ts.run(({ cold, expectObservable }) => {
      let active = 'a';
      const loop = createCollectionLoop({
        // each collection records which "config" it started with
        collect: () => {
          const tag = active;
          return cold('----(s|)', { s: { ...snap(0), results: [{ collector: tag, success: true, durationSeconds: 0, families: [] }] } });
        },
        periodMs: 6,
        scheduler: ts,
      });
      const tagOf = (s: Snapshot) => s.results[0].collector;
      // runs 0-4 (a), 6-10, 12-16; the swap is asked at 2 and at 8 (mid-collection), and at 11 (idle)
      ts.schedule(() => loop.atBoundary(() => ((active = 'b'), calls.push(`b@${ts.now()}`))), 2);
      ts.schedule(() => loop.atBoundary(() => ((active = 'c'), calls.push(`c@${ts.now()}`))), 8);
      ts.schedule(() => loop.atBoundary(() => ((active = 'd'), calls.push(`d@${ts.now()}`))), 11);
      expectObservable(loop.ticks$, '^-----------------!').toBe('------------------');
      expectObservable(loop.snapshots$.pipe(map(tagOf)), '^-----------------!').toBe('----a-----b-----d-');
    });
    // b waits for the end of run 1 (4), c for the end of run 2 (10), d runs at once (idle at 11)
    expect(calls).toEqual(['b@4', 'c@10', 'd@11']);
  });

  it('ticksEvery re-times the interval: first tick after firstMs, then every period', () => {
    const ts = testScheduler();
    ts.run(({ cold, expectObservable }) => {
      let n = 0;
      const loop = createCollectionLoop({ collect: () => cold('-(s|)', { s: snap(++n) }), periodMs: 100, scheduler: ts });
      expectObservable(loop.ticksEvery(5, 3), '^-----------!').toBe('------------');
      expectObservable(loop.snapshots$, '^-----------!').toBe('----a----b--', { a: snap(1), b: snap(2) });
    });
  });
});
