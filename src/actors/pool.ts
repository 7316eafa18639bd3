import { Observable, Subscription, type SchedulerLike } from 'rxjs';
import type { Log } from '../log/types';
import type { CollectorResult } from '../model/family';
import type { WorkerTiming } from '../model/selfMetrics';
import type { ActorReply, CollectRequest, InspectReply, InspectRequest } from './protocol';

/** The main thread's view of one actor (a worker thread, or a fake one in marble tests). */
export interface ActorHandle {
  /** Sends a request; the actor answers each collector it names with one result. */
  post(req: CollectRequest): void;
  /** The actor's replies; completes when the actor has exited (after terminate(), or a crash). */
  readonly replies$: Observable<ActorReply>;
  /** Returns the collector the actor is inside a synchronous call of now, if any (read from shared memory). */
  running(): string | undefined;
  /** Asks the actor to exit; a thread stuck in the kernel exits when the call returns. */
  terminate(): void;
  /**
   * Profiles the actor's own thread (absent on fake actors): emits its one `inspected` reply
   * and completes; errors when the actor exits first.
   */
  inspect?(req: Omit<InspectRequest, 'type' | 'id'>): Observable<InspectReply>;
}

/** Options of createCollectorPool. */
export interface CollectorPoolOptions {
  /** The collectors the actors run, by name; they are homed on the actors round-robin. */
  readonly names: readonly string[];
  /** Live actors (default 1). */
  readonly actors?: number;
  /** Starts the actor for slot `slot` (at first use, and to replace an abandoned one). */
  readonly spawn: (slot: number) => ActorHandle;
  /** Per-collector timeout (ms), enforced here: an actor silent for that long is stuck. */
  readonly timeoutMs: number;
  /** Abandoned actors allowed at once (config collect.maxAbandonedWorkers). */
  readonly maxAbandoned: number;
  readonly scheduler: SchedulerLike;
  readonly log: Log;
  /** Monotonic clock (ms) for durations (default: the scheduler's). */
  readonly now?: () => number;
}

/** Collector actors behind one collect() call. */
export interface CollectorPool {
  /**
   * Returns a cold observable that runs every collector once and emits one result per collector,
   * in completion order, then completes; it never errors. A collector still stuck from an earlier
   * run, or homed on a stuck actor past the bound, fails at once.
   */
  collect(): Observable<CollectorResult>;
  /** Actors abandoned since the start (rxporter_collector_workers_abandoned_total). */
  abandonedTotal(): number;
  /** Abandoned actors whose stuck call has not returned yet. */
  abandoned(): number;
  /** Each actor slot's collection durations (rxporter_collector_worker_* self-metrics). */
  timings(): WorkerTiming[];
  /** Terminates every actor; completes when the live ones have exited (abandoned ones are not waited for). */
  stop(): Observable<never>;
  /** The live actors, by slot (none before the first collection, which starts them). */
  actors(): readonly ActorHandle[];
}

interface Job {
  req: number;
  readonly pending: string[];
  readonly emit: (r: CollectorResult) => void;
  readonly done: () => void;
  timer?: Subscription;
  /** When the collector now running started, as far as the main thread can tell (the last reply). */
  since: number;
  /** The scrape's start plus the timeout. */
  readonly deadline: number;
  /** When the request went out (the slot's collection duration runs from here to its last answer). */
  readonly started: number;
  /** Sent again to a replacement actor: what is left shares the rest of the timeout. */
  resent: boolean;
}

interface Slot {
  readonly index: number;
  readonly names: string[];
  handle: ActorHandle;
  /** Its actor has said `ready` (a new thread first loads the collectors' code). */
  ready: boolean;
  job?: Job;
  /** The collector its actor is stuck in, when it could not be abandoned (bound reached). */
  stalled?: string;
  /** Its collection durations: the last one, their sum (seconds) and count. */
  timing: { last: number; sum: number; count: number };
}

/**
 * Returns the main thread's side of the collector actors: it homes collectors on actors, sends
 * one `collect` request per actor and scrape, and enforces the per-collector timeout. An actor
 * that sends nothing for `timeoutMs` while it owes results is stuck in a synchronous call (a
 * read the kernel does not return from): the collector it is in fails with RXP_TIMEOUT, the actor
 * is abandoned (terminated: it exits when the call returns) and replaced, and the collectors it
 * still owed this scrape are sent to the replacement, where they share what is left of the
 * timeout (at least min(1 s, timeout)): a scrape with hung collectors takes the timeout plus a little. A collector whose run is stuck is not run
 * again until its abandoned actor exits. At most `maxAbandoned` actors are abandoned at once;
 * past that a stuck actor is kept, and its collectors fail at once every scrape, until it
 * answers or an abandoned one exits (then it is abandoned and replaced).
 *
 *   timeout 3, collectors a b on one actor, b hangs:
 *   actor 1:   a-------       (stuck in b)
 *   results:   a---(b'|)      b' = b failed; actor 1 abandoned, actor 2 spawned (no work left)
 *   next:      a---(b'|)      b fails at once while actor 1 has not exited; a runs on actor 2
 */
export function createCollectorPool(o: CollectorPoolOptions): CollectorPool {
  const now = o.now ?? (() => o.scheduler.now());
  const slots: Slot[] = [];
  const abandoned = new Set<ActorHandle>();
  /** Collectors whose run is stuck in an abandoned actor, with that actor. */
  const stuck = new Map<string, ActorHandle>();
  const subs = new Subscription();
  let abandonedTotal = 0;
  let reqSeq = 0;
  let stopped = false;

  const failed = (collector: string, since: number, message: string): CollectorResult => ({
    collector,
    success: false,
    durationSeconds: (now() - since) / 1000,
    families: [],
    error: { code: 'RXP_TIMEOUT', message },
  });

  const finish = (slot: Slot): void => {
    const job = slot.job;
    if (!job) return;
    job.timer?.unsubscribe();
    slot.job = undefined;
    const seconds = (now() - job.started) / 1000;
    slot.timing = { last: seconds, sum: slot.timing.sum + seconds, count: slot.timing.count + 1 };
    job.done();
  };

  // After a replacement, the collectors still owed share what is left of the scrape's timeout
  // (at least `grace`), so that a second hung collector behind the first does not double the scrape.
  const grace = Math.min(1000, o.timeoutMs);
  const arm = (slot: Slot, job: Job): void => {
    job.timer?.unsubscribe();
    job.since = now();
    const budget = job.resent && slot.ready ? Math.max(grace, job.deadline + grace - job.since) : o.timeoutMs;
    job.timer = o.scheduler.schedule(() => stall(slot, job), budget);
  };

  const send = (slot: Slot, job: Job): void => {
    job.req = ++reqSeq;
    slot.handle.post({ type: 'collect', req: job.req, names: [...job.pending] });
    arm(slot, job);
  };

  const attach = (slot: Slot, handle: ActorHandle): void => {
    slot.handle = handle;
    slot.ready = false;
    subs.add(
      handle.replies$.subscribe({
        next: (m) => onReply(slot, handle, m),
        complete: () => onExit(slot, handle),
      }),
    );
  };

  const onReply = (slot: Slot, handle: ActorHandle, m: ActorReply): void => {
    if (m.type === 'log') {
      o.log[m.level](m.message, m.fields ?? {});
      return;
    }
    if (handle !== slot.handle) return; // a late answer of an abandoned actor: its run was failed already
    slot.stalled = undefined; // it answers again
    const job = slot.job;
    if (m.type === 'ready') {
      slot.ready = true;
      if (job) arm(slot, job); // the time to load the code is not the collectors'
      return;
    }
    if (!job || m.req !== job.req) return;
    for (const result of m.results) {
      const i = job.pending.indexOf(result.collector);
      if (i < 0) continue;
      job.pending.splice(i, 1);
      job.emit(result);
    }
    if (job.pending.length === 0) finish(slot);
    else arm(slot, job);
  };

  const abandon = (slot: Slot, collector: string): void => {
    const old = slot.handle;
    abandoned.add(old);
    stuck.set(collector, old);
    abandonedTotal++;
    o.log.warn('collector worker abandoned', { collector, abandoned: abandoned.size, max: o.maxAbandoned });
    old.terminate();
    attach(slot, o.spawn(slot.index));
  };

  const onExit = (slot: Slot, handle: ActorHandle): void => {
    if (abandoned.delete(handle)) {
      for (const [name, h] of stuck) if (h === handle) stuck.delete(name);
      o.log.info('abandoned collector worker returned', { abandoned: abandoned.size });
      const waiting = slots.find((s) => s.stalled !== undefined);
      if (waiting && !stopped) {
        const name = waiting.stalled as string;
        waiting.stalled = undefined;
        abandon(waiting, name);
      }
      return;
    }
    if (handle !== slot.handle || stopped) return;
    // The live actor exited on its own (a crash): replace it; what it owed fails.
    o.log.error('collector worker exited', { slot: slot.index });
    slot.stalled = undefined;
    attach(slot, o.spawn(slot.index));
    const job = slot.job;
    if (job) {
      for (const name of job.pending.splice(0)) job.emit(failed(name, job.since, `collector ${name}: its worker thread exited`));
      finish(slot);
    }
  };

  const stall = (slot: Slot, job: Job): void => {
    if (slot.job !== job) return;
    const running = slot.handle.running();
    const name = running !== undefined && job.pending.includes(running) ? running : job.pending[0];
    job.pending.splice(job.pending.indexOf(name), 1);
    o.log.warn('collector timed out', { collector: name, timeoutMs: o.timeoutMs });
    job.emit(failed(name, job.since, `collector ${name} timed out after ${o.timeoutMs} ms (its worker thread is stuck)`));
    if (abandoned.size < o.maxAbandoned) {
      abandon(slot, name);
      job.resent = true;
      if (job.pending.length > 0) send(slot, job);
      else finish(slot);
      return;
    }
    slot.stalled = name;
    o.log.warn('collector worker stuck; abandoned workers at the bound', { collector: name, abandoned: abandoned.size, max: o.maxAbandoned });
    for (const n of job.pending.splice(0)) job.emit(failed(n, job.since, `collector ${n}: its worker thread is stuck in ${name}`));
    finish(slot);
  };

  const ensureSlots = (): void => {
    if (slots.length > 0) return;
    const count = Math.max(1, Math.min(o.actors ?? 1, o.names.length));
    for (let i = 0; i < count; i++) {
      const slot: Slot = { index: i, names: o.names.filter((_, k) => k % count === i), handle: undefined as unknown as ActorHandle, ready: false, timing: { last: 0, sum: 0, count: 0 } };
      slots.push(slot);
      attach(slot, o.spawn(i));
    }
  };

  return {
    collect: () =>
      new Observable<CollectorResult>((subscriber) => {
        if (stopped || o.names.length === 0) {
          subscriber.complete();
          return undefined;
        }
        ensureSlots();
        const start = now();
        const mine: Job[] = [];
        let open = 1; // + 1 until every actor has its request
        const done = (): void => {
          if (--open === 0) subscriber.complete();
        };
        for (const slot of slots) {
          const run: string[] = [];
          for (const name of slot.names) {
            if (stuck.has(name)) subscriber.next(failed(name, start, `collector ${name} is still stuck in an abandoned worker thread; not run again until that call returns`));
            else if (slot.stalled !== undefined) subscriber.next(failed(name, start, `collector ${name}: its worker thread is stuck in ${slot.stalled}`));
            else run.push(name);
          }
          if (run.length === 0) continue;
          if (slot.job) {
            // An earlier scrape left before its answers came (it was unsubscribed): the actor
            // answers that one first; this request waits behind it.
            slot.job.timer?.unsubscribe();
            slot.job = undefined;
          }
          open++;
          const job: Job = { req: 0, pending: run, emit: (r) => subscriber.next(r), done, since: start, deadline: start + o.timeoutMs, started: start, resent: false };
          mine.push(job);
          slot.job = job;
          send(slot, job);
        }
        done();
        return () => {
          for (const slot of slots) {
            if (slot.job && mine.includes(slot.job)) {
              slot.job.timer?.unsubscribe();
              slot.job = undefined;
            }
          }
        };
      }),
    abandonedTotal: () => abandonedTotal,
    abandoned: () => abandoned.size,
    actors: () => (stopped ? [] : slots.map((s) => s.handle)),
    timings: () => slots.map((s) => ({ worker: s.index, lastSeconds: s.timing.last, sumSeconds: s.timing.sum, count: s.timing.count })),
    stop: () =>
      new Observable<never>((subscriber) => {
        stopped = true;
        let live = slots.length;
        if (live === 0) {
          subscriber.complete();
          return undefined;
        }
        const exited = new Subscription();
        for (const slot of slots) {
          slot.job?.timer?.unsubscribe();
          slot.job = undefined;
          exited.add(
            slot.handle.replies$.subscribe({
              complete: () => {
                if (--live === 0) subscriber.complete();
              },
            }),
          );
          slot.handle.terminate();
        }
        return () => {
          exited.unsubscribe();
          subs.unsubscribe();
        };
      }),
  };
}
