import { Observable, Subject, type SchedulerLike, type Subscription } from 'rxjs';
import type { ActorHandle } from '../src/actors/pool';
import type { ActorReply, CollectRequest } from '../src/actors/protocol';
import type { CollectorResult } from '../src/model/family';

/** What a fake actor's collector does on its n-th run (0-based): emits its result when done, or never. */
export type FakeRun = (name: string, run: number) => Observable<CollectorResult>;

/** A fake actor and what the test can inspect. */
export interface FakeActor extends ActorHandle {
  readonly id: number;
  terminated: boolean;
  exited: boolean;
}

/**
 * Returns a spawn function for createCollectorPool whose actors run collectors one after the
 * other in virtual time, like a worker thread: `runs(name, n)` is subscribed when the collector's
 * turn comes, and its result is the reply. An actor says `ready` at once; once terminated it
 * exits when the collector it is in completes (a stuck call returning), or at once when idle.
 */
export function fakeActors(runs: FakeRun, scheduler: SchedulerLike): { spawn: () => FakeActor; actors: FakeActor[] } {
  const actors: FakeActor[] = [];
  const count = new Map<string, number>();
  const spawn = (): FakeActor => {
    const replies = new Subject<ActorReply>();
    const queue: { req: number; name: string }[] = [];
    let current: { req: number; name: string; sub?: Subscription } | undefined;
    const exit = (): void => {
      actor.exited = true;
      replies.complete();
    };
    const next = (): void => {
      if (current || actor.exited) return;
      if (actor.terminated) return exit();
      const job = queue.shift();
      if (!job) return;
      const n = count.get(job.name) ?? 0;
      count.set(job.name, n + 1);
      current = { ...job };
      let done = false;
      const sub = runs(job.name, n).subscribe((result) => {
        done = true;
        current = undefined;
        if (!actor.terminated) replies.next({ type: 'result', req: job.req, results: [result] });
        next();
      });
      if (!done && current) current.sub = sub;
    };
    const actor: FakeActor = {
      id: actors.length + 1,
      terminated: false,
      exited: false,
      post(req: CollectRequest) {
        for (const name of req.names) queue.push({ req: req.req, name });
        next();
      },
      replies$: replies.asObservable(),
      running: () => current?.name,
      terminate() {
        actor.terminated = true;
        if (!current) exit();
      },
    };
    actors.push(actor);
    scheduler.schedule(() => replies.next({ type: 'ready' }));
    return actor;
  };
  return { spawn, actors };
}
