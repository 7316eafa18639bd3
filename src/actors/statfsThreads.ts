import { Worker } from 'node:worker_threads';
import { asyncScheduler, type SchedulerLike } from 'rxjs';
import { RxporterError } from '../errors';
import type { StatfsFn, StatfsResult } from '../fs/statfsGuard';

/** Options of threadStatfs. */
export interface StatfsThreadsOptions {
  /** A module exporting `statfsSync(path)` to use instead of node:fs's (tests block it on a FIFO). */
  readonly module?: string;
  /** A thread that has not answered for this long may be stuck: calls queued on it move to another (ms, default 100). */
  readonly suspectMs?: number;
  readonly scheduler?: SchedulerLike;
}

// Plain JavaScript, evaluated: the thread loads nothing but node:fs. It answers each path of a
// batch as soon as it is done, in order.
const SCRIPT = `
const { parentPort, workerData } = require('node:worker_threads');
const impl = workerData.module ? require(workerData.module) : require('node:fs');
parentPort.on('message', (batch) => {
  for (const { id, path } of batch) {
    let reply;
    try {
      const s = impl.statfsSync(path);
      reply = { id, stats: { bsize: s.bsize, blocks: s.blocks, bfree: s.bfree, bavail: s.bavail, files: s.files, ffree: s.ffree } };
    } catch (e) {
      reply = { id, error: e && e.message ? e.message : String(e), code: e && e.code };
    }
    parentPort.postMessage(reply);
  }
});`;

type Reply = { id: number } & ({ stats: StatfsResult } | { error: string; code?: string });

interface Call {
  readonly path: string;
  readonly resolve: (s: StatfsResult) => void;
  readonly reject: (e: unknown) => void;
}

interface Thread {
  readonly w: Worker;
  /** Ids sent to it that it has not answered, in the order it runs them (moved ones included: it still runs them). */
  readonly queue: number[];
  /** Ids of its queue already sent to another thread. */
  readonly moved: Set<number>;
  /** When it last answered or was given work. */
  progress: number;
}

/**
 * Returns a statfs(2) that runs on threads of its own instead of libuv's pool (Node's
 * fs.statfs runs there, and a call hung in the kernel, a dead NFS server, holds its pool
 * thread). Calls made together (in one tick: the filesystem collector asks for every mount at
 * once) go to an idle thread, or a new one, as a batch run one after the other (statfs of a
 * healthy mount takes microseconds). When a thread has not answered for `suspectMs`, the call it
 * is in may be hung: the calls queued behind it go to another thread, and the stuck one takes
 * work again only once it has answered everything it was sent. So a hung
 * mount keeps one thread and delays no other; StatfsGuard never calls statfs again on a path
 * whose call has not returned, so the threads are at most one per hung mount plus one.
 * Rejects with the errno message (ENOENT, EACCES, …) as Node's statfs does.
 */
export function threadStatfs(o: StatfsThreadsOptions = {}): StatfsFn {
  const scheduler = o.scheduler ?? asyncScheduler;
  const suspectMs = o.suspectMs ?? 100;
  const threads: Thread[] = [];
  /** Calls not answered yet by any thread. */
  const calls = new Map<number, Call>();
  let batch: number[] = [];
  let ids = 0;

  const spawn = (): Thread => {
    const w = new Worker(SCRIPT, { eval: true, workerData: { module: o.module } });
    w.unref(); // a hung call never keeps the process alive
    const t: Thread = { w, queue: [], moved: new Set(), progress: scheduler.now() };
    w.on('message', (r: Reply) => {
      t.progress = scheduler.now();
      t.queue.shift();
      t.moved.delete(r.id);
      const call = calls.get(r.id);
      if (call) {
        // The first answer wins (a moved call may be answered twice).
        calls.delete(r.id);
        if ('stats' in r) call.resolve(r.stats);
        else call.reject(Object.assign(new Error(r.error), { code: r.code }));
      }
      // Keep one idle thread; others that are idle again go.
      if (t.queue.length === 0 && threads.some((x) => x !== t && x.queue.length === 0)) retire(t);
    });
    w.on('exit', () => {
      retire(t);
      for (const id of t.queue) {
        const call = calls.get(id);
        calls.delete(id);
        call?.reject(new RxporterError('RXP_PROC_READ', `statfs ${call.path}: thread exited`));
      }
    });
    threads.push(t);
    return t;
  };

  const retire = (t: Thread): void => {
    const i = threads.indexOf(t);
    if (i < 0) return;
    threads.splice(i, 1);
    if (t.queue.length === 0) void t.w.terminate();
  };

  const healthy = (t: Thread): boolean => t.queue.length === 0 || scheduler.now() - t.progress < suspectMs;

  const send = (batchIds: number[]): void => {
    // Only an idle thread takes work: one busy now may be about to block on what it has queued.
    const t = threads.find((x) => x.queue.length === 0) ?? spawn();
    t.progress = scheduler.now();
    t.queue.push(...batchIds);
    t.w.postMessage(batchIds.map((id) => ({ id, path: (calls.get(id) as Call).path })));
    scheduler.schedule(() => check(t), suspectMs);
  };

  /** Sends what a silent thread still has queued behind the call it is in to another thread. */
  const check = (t: Thread): void => {
    if (!threads.includes(t) || t.queue.length <= 1) return;
    if (healthy(t)) {
      scheduler.schedule(() => check(t), suspectMs);
      return;
    }
    const behind = t.queue.slice(1).filter((id) => calls.has(id) && !t.moved.has(id));
    for (const id of behind) t.moved.add(id);
    if (behind.length > 0) send(behind);
  };

  const flush = (): void => {
    const ready = batch;
    batch = [];
    send(ready);
  };

  return (path) =>
    new Promise<StatfsResult>((resolve, reject) => {
      if (batch.length === 0) queueMicrotask(flush);
      const id = ++ids;
      calls.set(id, { path, resolve, reject });
      batch.push(id);
    });
}

/**
 * Returns a statfs that uses `pooled` (Node's statfs on libuv's thread pool: no thread of its
 * own, so no memory while mounts are healthy) for at most `permits` calls in flight, hung ones
 * included, and `threaded` (threadStatfs) beyond that. Hung mounts hold at most `permits` pool
 * threads; the calls after them go to statfs threads, which exist only while they are needed.
 */
export function pooledThenThreaded(pooled: StatfsFn, threaded: StatfsFn, permits: number): StatfsFn {
  let inPool = 0;
  return (path) => {
    if (inPool >= permits) return threaded(path);
    inPool++;
    return pooled(path).finally(() => inPool--);
  };
}
