import { map, NEVER, timer, type Observable, type SchedulerLike } from 'rxjs';
import type { TestScheduler } from 'rxjs/testing';
import { createCollectorPool, type CollectorPool } from '../src/actors/pool';
import { silentLog } from '../src/log/types';
import { gauge, type CollectorResult } from '../src/model/family';
import { fakeActors, type FakeRun } from './fakeActor';
import { testScheduler } from './scheduler';

const ok = (name: string): CollectorResult => ({ collector: name, success: true, durationSeconds: 0.001, families: [gauge(`node_${name}`, `${name}.`, [{ labels: {}, value: 1 }])] });
const timedOut = (name: string, ms: number, message: string): CollectorResult => ({
  collector: name,
  success: false,
  durationSeconds: ms / 1000,
  families: [],
  error: { code: 'RXP_TIMEOUT', message },
});
const stuckMsg = (name: string) => `collector ${name} timed out after 5 ms (its worker thread is stuck)`;
const stillStuck = (name: string) => `collector ${name} is still stuck in an abandoned worker thread; not run again until that call returns`;

/** Runs `body` with a pool over fake actors: collectors take one frame unless `hang(name, run)` returns a replacement run. */
function withPool(
  o: { names: string[]; maxAbandoned?: number; timeoutMs?: number; hang: (name: string, run: number, ts: SchedulerLike) => Observable<CollectorResult> | undefined },
  body: (h: { pool: CollectorPool; ts: TestScheduler; actors: ReturnType<typeof fakeActors>['actors']; expectObservable: (o: Observable<unknown>, subs?: string) => { toBe(m: string, v?: Record<string, unknown>): void }; cold: TestScheduler['createColdObservable'] }) => void,
): void {
  const ts = testScheduler();
  ts.run(({ cold, expectObservable }) => {
    // Built with timer, not cold(): the fake actors subscribe to them during the flush.
    const runs: FakeRun = (name, run) => o.hang(name, run, ts) ?? timer(1, ts).pipe(map(() => ok(name)));
    const { spawn, actors } = fakeActors(runs, ts);
    const pool = createCollectorPool({ names: o.names, spawn, timeoutMs: o.timeoutMs ?? 5, maxAbandoned: o.maxAbandoned ?? 4, scheduler: ts, log: silentLog });
    body({ pool, ts, actors, expectObservable, cold: cold as TestScheduler['createColdObservable'] });
  });
}

describe('createCollectorPool (the main thread side of the collector actors)', () => {
  it('fails the collector its actor is stuck in after the timeout, abandons that actor and runs the rest on a replacement', () =>
    withPool({ names: ['a', 'b', 'c'], hang: (n) => (n === 'b' ? NEVER : undefined) }, ({ pool, actors, expectObservable, ts }) => {
      expectObservable(pool.collect()).toBe('-a----b(c|)', { a: ok('a'), b: timedOut('b', 5, stuckMsg('b')), c: ok('c') });
      ts.schedule(() => {
        expect(actors.map((a) => [a.id, a.terminated])).toEqual([
          [1, true],
          [2, false],
        ]);
        expect(pool.abandonedTotal()).toBe(1);
        expect(pool.abandoned()).toBe(1);
      }, 8);
    }));

  it('does not run a stuck collector again until its abandoned actor exits, then runs it again', () =>
    withPool(
      { names: ['a', 'b'], hang: (n, run, ts) => (n === 'b' && run === 0 ? timer(20, ts).pipe(map(() => ok('b'))) : undefined) },
      ({ pool, expectObservable, ts, actors }) => {
        // run 1 at 0: b hangs from frame 1 until 21, when its abandoned actor exits
        expectObservable(pool.collect()).toBe('-a----(b|)', { a: ok('a'), b: timedOut('b', 5, stuckMsg('b')) });
        // run 2 at 10: b fails at once, a runs on the replacement
        expectObservable(pool.collect(), `${'-'.repeat(10)}^`).toBe(`${'-'.repeat(10)}b(a|)`, { a: ok('a'), b: timedOut('b', 0, stillStuck('b')) });
        // run 3 at 30: b runs again
        expectObservable(pool.collect(), `${'-'.repeat(30)}^`).toBe(`${'-'.repeat(31)}a(b|)`, { a: ok('a'), b: ok('b') });
        ts.schedule(() => expect(actors[0].exited).toBe(false), 20);
        ts.schedule(() => {
          expect(actors[0].exited).toBe(true);
          expect(pool.abandoned()).toBe(0);
          expect(actors).toHaveLength(2);
        }, 22);
      },
    ));

  it('gives the collectors left after a replacement what remains of the timeout (at least 1 s), so two hung collectors cost the timeout plus 1 s', () =>
    withPool({ names: ['a', 'b', 'c'], timeoutMs: 3000, hang: (n) => (n === 'a' ? undefined : NEVER) }, ({ pool, expectObservable }) => {
      const msg = (n: string) => `collector ${n} timed out after 3000 ms (its worker thread is stuck)`;
      expectObservable(pool.collect()).toBe('-a 2999ms b 999ms (c|)', { a: ok('a'), b: timedOut('b', 3000, msg('b')), c: timedOut('c', 1000, msg('c')) });
    }));

  it('abandons at most maxAbandoned actors: past it a stuck actor is kept and its collectors fail at once until an abandoned one exits', () =>
    withPool(
      {
        names: ['a', 'b'],
        maxAbandoned: 1,
        hang: (n, run, ts) => (n === 'a' && run === 0 ? timer(40, ts).pipe(map(() => ok('a'))) : n === 'b' && run === 1 ? NEVER : undefined),
      },
      ({ pool, expectObservable, ts, actors }) => {
        const at = (frame: number) => `${'-'.repeat(frame)}^`;
        const heldBy = timedOut('b', 0, 'collector b: its worker thread is stuck in b');
        // 0: a hangs on actor 1, which is abandoned at 5; b runs on actor 2
        expectObservable(pool.collect()).toBe('-----a(b|)', { a: timedOut('a', 5, stuckMsg('a')), b: ok('b') });
        // 10: a is still stuck; b hangs on actor 2, which cannot be abandoned (bound 1)
        expectObservable(pool.collect(), at(10)).toBe(`${'-'.repeat(10)}a----(b|)`, { a: timedOut('a', 0, stillStuck('a')), b: timedOut('b', 5, stuckMsg('b')) });
        // 20: both fail at once, no actor is spawned
        expectObservable(pool.collect(), at(20)).toBe(`${'-'.repeat(20)}(ab|)`, { a: timedOut('a', 0, stillStuck('a')), b: heldBy });
        ts.schedule(() => expect([actors.length, pool.abandonedTotal()]).toEqual([2, 1]), 30);
        // 40: actor 1 exits (a returned): actor 2 is abandoned now and replaced by actor 3
        ts.schedule(() => expect([actors.length, pool.abandonedTotal(), actors[1].terminated]).toEqual([3, 2, true]), 45);
        // 50: a runs again on actor 3; b is stuck in abandoned actor 2
        expectObservable(pool.collect(), at(50)).toBe(`${'-'.repeat(50)}b(a|)`, { a: ok('a'), b: timedOut('b', 0, stillStuck('b')) });
      },
    ));

  it("passes a collector's partial result (success 0 with the families it had) through unchanged", () => {
    const partial: CollectorResult = { ...ok('a'), success: false, error: { code: 'RXP_PROC_READ', message: 'device 2: read failed' } };
    withPool({ names: ['a', 'b'], hang: (n, _run, ts) => (n === 'a' ? timer(1, ts).pipe(map(() => partial)) : undefined) }, ({ pool, expectObservable }) => {
      expectObservable(pool.collect()).toBe('-a(b|)', { a: partial, b: ok('b') });
    });
  });

  it("times each worker's share of a collection, from the request to its last answer (timings)", () =>
    withPool({ names: ['a', 'b'], hang: (n, _run, ts) => (n === 'b' ? timer(3, ts).pipe(map(() => ok('b'))) : undefined) }, ({ pool, expectObservable, ts }) => {
      // one actor: a answers at 1, b at 1 + 3 = 4
      expectObservable(pool.collect()).toBe('-a--(b|)', { a: ok('a'), b: ok('b') });
      expectObservable(pool.collect(), '----------^').toBe('-----------a--(b|)', { a: ok('a'), b: ok('b') });
      ts.schedule(() => expect(pool.timings()).toEqual([{ worker: 0, lastSeconds: 0.004, sumSeconds: 0.004, count: 1 }]), 5);
      ts.schedule(() => expect(pool.timings()).toEqual([{ worker: 0, lastSeconds: 0.004, sumSeconds: 0.008, count: 2 }]), 20);
    }));
});
