import { existsSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { Worker } from 'node:worker_threads';
import { filter, Observable, Subject, take } from 'rxjs';
import type { ActorHandle } from './pool';
import { RUNNING_INDEX, RUNNING_REQ, type ActorInit, type ActorReply, type CollectRequest, type InspectReply } from './protocol';

/** Worker threads not yet exited, the abandoned ones included (see guardProcessExit). */
const alive = new Set<Worker>();
let guarded = false;

/**
 * Makes the process exit even while a worker thread is stuck in the kernel. Node joins every
 * worker thread on exit, and a thread blocked in read(2) or statfs(2) is joined only when the
 * call returns, so `process.exit()` would hang. When such a thread is alive at exit, this
 * ends the process with _exit(2) (stdout and stderr are synchronous for files and pipes on
 * Linux, so nothing written is lost). Registered once, with the first actor.
 */
function guardProcessExit(): void {
  if (guarded) return;
  guarded = true;
  process.on('exit', (code) => {
    if (alive.size === 0) return;
    const koffi = require('koffi') as { load(lib: string): { func(sig: string): (code: number) => void } };
    koffi.load('libc.so.6').func('void _exit(int)')(code);
  });
}

/** Returns the collector worker's script: next to this file when built, dist's when run from sources (jest). */
export function collectorWorkerScript(): string {
  const here = join(__dirname, 'collectorWorker.js');
  if (existsSync(here)) return here;
  const built = resolve(__dirname, '..', '..', 'dist', 'src', 'actors', 'collectorWorker.js');
  if (existsSync(built)) return built;
  throw new Error(`collector worker script not found (${here}, ${built}): run npm run build`);
}

/** Options of threadActor. */
export interface ThreadActorOptions {
  readonly init: Omit<ActorInit, 'state'>;
  /** The worker script (default collectorWorkerScript()). */
  readonly script?: string;
}

/**
 * Returns an actor on a new worker thread (node:worker_threads) running collectorWorker.ts.
 * `running()` reads the shared Int32Array the worker writes before each collector. The thread
 * keeps the process alive only while it owes results, and never once terminated: a stuck one
 * cannot hold the process (guardProcessExit makes exit work too).
 */
export function threadActor(o: ThreadActorOptions): ActorHandle {
  guardProcessExit();
  const state = new SharedArrayBuffer(8);
  const view = new Int32Array(state);
  view[RUNNING_INDEX] = -1;
  const requests = new Map<number, readonly string[]>();
  const replies = new Subject<ActorReply>();
  const w = new Worker(o.script ?? collectorWorkerScript(), {
    workerData: { ...o.init, state } satisfies ActorInit,
    execArgv: [],
    // A scrape's garbage (about 1 MB) dies young: a young generation that holds several keeps it out of old space.
    resourceLimits: { maxYoungGenerationSizeMb: 12 },
  });
  alive.add(w);
  // Referenced only while it owes results: an idle actor never keeps the process alive, so
  // `--once` and an embedder that is done exit without stopping the agent.
  let owed = 0;
  w.unref();
  // Profiles of the thread (pprof) answer apart from the pool's replies.
  const inspected = new Subject<InspectReply>();
  let inspectSeq = 0;
  w.on('message', (m: ActorReply | InspectReply) => {
    if (m.type === 'inspected') {
      inspected.next(m);
      return;
    }
    if (m.type === 'result' && owed > 0) {
      owed = Math.max(0, owed - m.results.length);
      if (owed === 0) w.unref();
    }
    replies.next(m);
  });
  w.on('error', (e: Error) => replies.next({ type: 'log', level: 'error', message: 'collector worker failed', fields: { error: e.message } }));
  w.on('exit', () => {
    alive.delete(w);
    replies.complete();
    inspected.error(new Error('the worker thread exited'));
  });
  return {
    post(req: CollectRequest) {
      requests.set(req.req, req.names);
      for (const k of requests.keys()) if (k < req.req - 8) requests.delete(k);
      if (owed === 0) w.ref();
      owed += req.names.length;
      w.postMessage(req);
    },
    replies$: replies.asObservable(),
    running() {
      const i = Atomics.load(view, RUNNING_INDEX);
      return i < 0 ? undefined : requests.get(Atomics.load(view, RUNNING_REQ))?.[i];
    },
    inspect: (req) =>
      new Observable<InspectReply>((subscriber) => {
        const id = ++inspectSeq;
        const sub = inspected.pipe(filter((r) => r.id === id), take(1)).subscribe(subscriber);
        w.postMessage({ ...req, type: 'inspect', id });
        return sub;
      }),
    terminate() {
      owed = 0;
      w.unref();
      void w.terminate();
    },
  };
}
