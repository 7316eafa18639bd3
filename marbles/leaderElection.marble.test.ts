import { concat, ignoreElements, NEVER, timer, type Observable } from 'rxjs';
import type { TestScheduler } from 'rxjs/testing';
import { leaderElection, microTime, type LeaseApi } from '../src/kube/leaderElection';
import { LeaseFake } from './leaseFake';
import { testScheduler } from './scheduler';

// client-go's defaults: lease 15 s, renew deadline 10 s, retry 2 s; no jitter (random 0).
const durations = { leaseDurationMs: 15_000, renewDeadlineMs: 10_000, retryPeriodMs: 2_000 };
const values = { t: true, f: false };

const elect = (sch: TestScheduler, api: LeaseApi, identity: string, stop$: Observable<unknown> = NEVER) =>
  leaderElection({ ...durations, api, identity, stop$, lease: { namespace: 'default', name: 'rxporter' }, scheduler: sch, random: () => 0 });

/** Runs `body` in virtual time with a fresh Lease store. */
const run = (body: (sch: TestScheduler, fake: LeaseFake, h: Parameters<Parameters<TestScheduler['run']>[0]>[0]) => void): LeaseFake => {
  const sch = testScheduler();
  const fake = new LeaseFake();
  sch.run((h) => body(sch, fake, h));
  return fake;
};

describe('leaderElection', () => {
  it('creates an absent Lease and leads at once', () => {
    const fake = run((sch, fake, { expectObservable }) => {
      expectObservable(elect(sch, fake.api(), 'a'), '^ 1s !').toBe('(ft)', values);
    });
    expect(fake.lease?.spec).toEqual({ holderIdentity: 'a', leaseDurationSeconds: 15, acquireTime: microTime(0), renewTime: microTime(0), leaseTransitions: 0 });
    expect(fake.lease?.metadata.resourceVersion).toBe('1');
  });

  it('renews every retry period, keeping acquireTime and transitions', () => {
    const fake = run((sch, fake, { expectObservable }) => {
      expectObservable(elect(sch, fake.api(), 'a'), '^ 7s !').toBe('(ft)', values);
    });
    // Created at 0, renewed at 2, 4 and 6 s.
    expect(fake.writes).toEqual(Array(4).fill({ holder: 'a', transitions: 0 }));
    expect(fake.lease?.spec?.renewTime).toBe(microTime(6000));
    expect(fake.lease?.spec?.acquireTime).toBe(microTime(0));
  });

  it.each(['down', 'hang'] as const)('stops leading at once when no renewal succeeds for renew-deadline (API %s)', (mode) => {
    run((sch, fake, { expectObservable }) => {
      sch.schedule(() => (fake.mode = mode), 5000);
      // Last renewal at 4 s; the deadline is 4 + 10 s, whatever the calls in flight.
      expectObservable(elect(sch, fake.api(), 'a'), '^ 60s !').toBe('(ft) 13996ms f', values);
    });
  });

  it('a leader whose renewal reads another holder stops leading at once, not at renew-deadline', () => {
    run((sch, fake, { expectObservable }) => {
      // b took the Lease at 5 s (it saw a's record unchanged for its lease duration, across a partition, say).
      sch.schedule(() => fake.put({ holderIdentity: 'b', leaseDurationSeconds: 15, renewTime: microTime(5000), leaseTransitions: 1 }), 5000);
      expectObservable(elect(sch, fake.api(), 'a'), '^ 20s !').toBe('(ft) 5996ms f', values);
    });
  });

  it('takes a Lease whose record has not changed for lease-duration by its own clock, not by renewTime', () => {
    const fake = run((sch, fake, { expectObservable }) => {
      // A rival's record with a renewTime long past (another host's clock): still 15 s from when we first saw it.
      fake.put({ holderIdentity: 'b', leaseDurationSeconds: 15, acquireTime: microTime(-1e9), renewTime: microTime(-1e9), leaseTransitions: 3 });
      // The rival renews once at 9 s: a new record, observed at our try at 10 s; it lasts until 25 s.
      sch.schedule(() => fake.put({ ...fake.lease?.spec, renewTime: microTime(-5e8) }), 9000);
      expectObservable(elect(sch, fake.api(), 'a'), '^ 30s !').toBe('f 25999ms t', values);
    });
    expect(fake.lease?.spec?.holderIdentity).toBe('a');
    expect(fake.lease?.spec?.leaseTransitions).toBe(4);
    expect(fake.lease?.spec?.acquireTime).toBe(microTime(26_000));
  });

  it('a 409 on taking the Lease re-reads it and never overwrites the winner', () => {
    const fake = run((sch, fake, { expectObservable }) => {
      fake.put({ holderIdentity: '', leaseDurationSeconds: 1, leaseTransitions: 1 });
      let raced = false;
      // Between our read and our write, b takes the Lease.
      const api = fake.api({
        beforeUpdate: () => {
          if (raced) return;
          raced = true;
          fake.put({ holderIdentity: 'b', leaseDurationSeconds: 15, renewTime: microTime(0), leaseTransitions: 2 });
        },
      });
      expectObservable(elect(sch, api, 'a'), '^ 10s !').toBe('f', values);
    });
    expect(fake.lease?.spec?.holderIdentity).toBe('b');
    expect(fake.writes.map((w) => w.holder)).toEqual(['', 'b']);
  });

  it('a leader whose renewal meets a 409 re-reads the Lease and renews on the current version', () => {
    const fake = run((sch, fake, { expectObservable }) => {
      // Someone edits the Lease (a label, say): same spec, new resourceVersion.
      sch.schedule(() => fake.put(fake.lease?.spec), 5000);
      expectObservable(elect(sch, fake.api(), 'a'), '^ 9s !').toBe('(ft)', values);
    });
    // Created at 0, renewed at 2 and 4; the edit at 5; renewed at 6 (after the 409) and 8.
    expect(fake.writes.map((w) => w.holder)).toEqual(['a', 'a', 'a', 'a', 'a', 'a']);
    expect(fake.lease?.spec?.renewTime).toBe(microTime(8000));
  });

  it('on stop a leader emits false, clears the holder, and a standby takes over at its next try', () => {
    const fake = run((sch, fake, { expectObservable, hot }) => {
      const stop$ = hot('5s s');
      expectObservable(elect(sch, fake.api(), 'a', stop$)).toBe('(ft) 4996ms (f|)', values);
      // b tries at 0.5, 2.5, 4.5, 6.5 s: at 6.5 s the Lease has no holder (a's would hold until 19.5 s).
      expectObservable(concat(timer(500, sch).pipe(ignoreElements()), elect(sch, fake.api(), 'b')), '^ 10s !').toBe('500ms f 5999ms t', values);
    });
    expect(fake.writes.map((w) => [w.holder, w.transitions])).toEqual([
      ['a', 0],
      ['a', 0],
      ['a', 0],
      ['', 0],
      ['b', 1],
      ['b', 1],
    ]);
  });

  it('after a leader dies without releasing, a standby takes over lease-duration after the last renewal it saw', () => {
    run((sch, fake, { expectObservable }) => {
      // a leads from 0 and renews at 2 and 4 s, then dies (unsubscribed) at 5 s.
      expectObservable(elect(sch, fake.api(), 'a'), '^ 5s !').toBe('(ft)', values);
      // b sees a's 4 s renewal at its 5 s try: the Lease is a's until 20 s; b's try at 21 s takes it.
      expectObservable(concat(timer(1000, sch).pipe(ignoreElements()), elect(sch, fake.api(), 'b')), '^ 30s !').toBe('1s f 19999ms t', values);
    });
  });

  it('a candidate that stops completes without touching the Lease', () => {
    const fake = run((sch, fake, { expectObservable, hot }) => {
      fake.put({ holderIdentity: 'b', leaseDurationSeconds: 15, leaseTransitions: 0 });
      expectObservable(elect(sch, fake.api(), 'a', hot('3s s'))).toBe('f 2999ms |', values);
    });
    expect(fake.writes.map((w) => w.holder)).toEqual(['b']);
  });
});
