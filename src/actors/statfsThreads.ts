import { Worker } from 'node:worker_threads';
import { RxporterError } from '../errors';
import type { StatfsFn, StatfsResult } from '../fs/statfsGuard';

/** Options of threadStatfs. */
export interface StatfsThreadsOptions {
  /** A module exporting `statfsSync(path)` to use instead of node:fs's (tests block it on a FIFO). */
  readonly module?: string;
  /** Idle threads kept for the next calls (default 1). */
  readonly keepIdle?: number;
}

// Plain JavaScript, evaluated: the thread loads nothing but node:fs (about 2 MB of RSS).
const SCRIPT = `
const { parentPort, workerData } = require('node:worker_threads');
const impl = workerData.module ? require(workerData.module) : require('node:fs');
parentPort.on('message', (path) => {
  let reply;
  try {
    const s = impl.statfsSync(path);
    reply = { stats: { bsize: s.bsize, blocks: s.blocks, bfree: s.bfree, bavail: s.bavail, files: s.files, ffree: s.ffree } };
  } catch (e) {
    reply = { error: e && e.message ? e.message : String(e), code: e && e.code };
  }
  parentPort.postMessage(reply);
});`;

type Reply = { stats: StatfsResult } | { error: string; code?: string };

/**
 * Returns a statfs(2) that runs each call on a thread of its own: an idle thread when there is
 * one, a new one otherwise. A call hung in the kernel (a dead NFS server) keeps only its own
 * thread, which goes back to idle when the kernel returns; so no number of hung mounts delays a
 * healthy one or holds libuv's thread pool (Node's fs.statfs runs there). StatfsGuard never
 * calls statfs again on a path whose call has not returned, so the threads in use are at most
 * the mounts hung at once plus the calls of one scrape. Rejects with the errno message
 * (ENOENT, EACCES, …) as Node's statfs does.
 */
export function threadStatfs(o: StatfsThreadsOptions = {}): StatfsFn {
  const idle: Worker[] = [];
  const keepIdle = o.keepIdle ?? 1;
  const spawn = (): Worker => {
    const w = new Worker(SCRIPT, { eval: true, workerData: { module: o.module } });
    w.unref(); // a hung call never keeps the process alive
    return w;
  };
  return (path) =>
    new Promise<StatfsResult>((resolve, reject) => {
      const w = idle.pop() ?? spawn();
      const onExit = (): void => reject(new RxporterError('RXP_PROC_READ', `statfs ${path}: thread exited`));
      w.once('exit', onExit);
      w.once('message', (r: Reply) => {
        w.off('exit', onExit);
        if (idle.length < keepIdle) idle.push(w);
        else void w.terminate();
        if ('stats' in r) resolve(r.stats);
        else reject(Object.assign(new Error(r.error), { code: r.code }));
      });
      w.postMessage(path);
    });
}
