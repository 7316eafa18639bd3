import { BehaviorSubject, map } from 'rxjs';
import type { Agent } from '../src/agent';
import { loadConfig } from '../src/config/load';
import type { Snapshot } from '../src/model/family';
import { createStatusModel, type StatusModel } from '../src/server/status/model';
import { marbles, testScheduler } from './scheduler';

const config = loadConfig({ values: { global: { appName: 't' } } });
const snap = (seq: number): Snapshot => ({ seq, timestampMs: seq * 1000, results: [{ collector: 'cpu', success: true, durationSeconds: 0.5, families: [] }] });

describe('status events$', () => {
  it('emits a collection per snapshot, the sinks every period and at a role switch, and stops on unsubscribe', () => {
    const scheduler = testScheduler();
    scheduler.run(({ hot, expectObservable, expectSubscriptions }) => {
      const snapshots$ = hot<Snapshot>('--a-----b--', { a: snap(1), b: snap(2) });
      const standby$ = new BehaviorSubject(false);
      const agent = { config, collectors: [], snapshots$ } as unknown as Agent;
      const model = createStatusModel({ agent, push: { stats: [], standby$ }, scheduler, sinksPeriodMs: 3 });
      scheduler.schedule(() => standby$.next(true), 5);
      const letters = model.events$.pipe(map((e) => (e.type === 'collection' ? `c${e.data.seq}` : e.data.role)));
      expectObservable(letters, '^---------!').toBe('l-xl-yy-zy', { l: 'leader', x: 'c1', y: 'standby', z: 'c2' });
      scheduler.schedule(() => model.close(), 11);
      // The model's own subscription (last collection) until close(); events$'s until frame 10.
      expectSubscriptions(snapshots$.subscriptions).toBe(['^----------!', '^---------!']);
    });
  });

  it('has no sinks events without push sinks, and the status keeps the last collection', () => {
    let model: StatusModel | undefined;
    marbles(({ hot, expectObservable }) => {
      const snapshots$ = hot<Snapshot>('-a-', { a: snap(7) });
      const agent = { config, collectors: [{ name: 'cpu' }, { name: 'meminfo' }], snapshots$ } as unknown as Agent;
      model = createStatusModel({ agent });
      expectObservable(model.events$.pipe(map((e) => e.type)), '^--!').toBe('-c-', { c: 'collection' });
    });
    const s = (model as StatusModel).status(0);
    expect(s.role).toBe('none');
    expect(s.sinks).toEqual([]);
    expect(s.collection).toMatchObject({ seq: 7, totalSeconds: 0.5, maxSeconds: 0.5 });
    expect(s.collectors).toEqual([
      { name: 'cpu', success: true, durationSeconds: 0.5 },
      { name: 'meminfo', success: null, durationSeconds: null },
    ]);
  });
});
