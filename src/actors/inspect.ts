/**
 * Profiles of the calling thread through node:inspector (the Chrome DevTools protocol's
 * Profiler and HeapProfiler domains, https://chromedevtools.github.io/devtools-protocol/v8/):
 * used by the main thread for itself and by each collector worker for itself (an inspector
 * Session connects to its own thread's V8 isolate).
 */
import { closeSync, openSync, writeSync } from 'node:fs';
import { Session } from 'node:inspector';
import { asyncScheduler, Observable, timer, type SchedulerLike } from 'rxjs';

const post = <T>(s: Session, method: string, params: object = {}): Promise<T> =>
  new Promise((resolve, reject) => s.post(method, params, (e, r) => (e ? reject(e) : resolve(r as T))));

/**
 * Returns a cold observable that records a CPU profile of the calling thread for `ms`
 * milliseconds (V8's sampling profiler, 1 ms period) and emits it once as JSON text, the
 * `.cpuprofile` format Chrome DevTools loads: `{nodes, startTime, endTime, samples, timeDeltas}`
 * (times in µs), then completes. Unsubscribing before the end stops the profiler and emits
 * nothing. Errors with the inspector's error when another session holds the profiler.
 */
export function cpuProfile(ms: number, scheduler: SchedulerLike = asyncScheduler): Observable<string> {
  return new Observable<string>((subscriber) => {
    const session = new Session();
    session.connect();
    let open = true;
    const close = (): void => {
      if (!open) return;
      open = false;
      session.disconnect(); // also stops a profiler still running
    };
    let wait: { unsubscribe(): void } | undefined;
    post(session, 'Profiler.enable')
      .then(() => post(session, 'Profiler.setSamplingInterval', { interval: 1000 }))
      .then(() => post(session, 'Profiler.start'))
      .then(() => {
        if (!open) return;
        wait = timer(ms, scheduler).subscribe(() => {
          post<{ profile: unknown }>(session, 'Profiler.stop')
            .then((r) => {
              close();
              subscriber.next(JSON.stringify(r.profile));
              subscriber.complete();
            })
            .catch((e: unknown) => subscriber.error(e));
        });
      })
      .catch((e: unknown) => {
        close();
        subscriber.error(e);
      });
    return () => {
      wait?.unsubscribe();
      close();
    };
  });
}

/**
 * Writes a heap snapshot of the calling thread to `file` (created or truncated) and resolves
 * with its size in bytes. The file is the `.heapsnapshot` JSON Chrome DevTools loads (its
 * `snapshot.meta` describes the node and edge arrays). V8 serialises the snapshot in one
 * synchronous call that blocks this thread (about a second per 100 MB of heap) and hands the
 * text out in chunks of about 100 kB as it goes: each chunk is written to the file at once
 * (synchronously: no event-loop turn happens until V8 is done, so an asynchronous write would
 * hold every chunk in memory), so memory grows by one chunk, not by the snapshot.
 */
export async function heapSnapshotToFile(file: string): Promise<number> {
  const session = new Session();
  session.connect();
  const fd = openSync(file, 'w');
  let bytes = 0;
  session.on('HeapProfiler.addHeapSnapshotChunk', (m: { params: { chunk: string } }) => {
    bytes += writeSync(fd, m.params.chunk);
  });
  try {
    await post(session, 'HeapProfiler.takeHeapSnapshot', { reportProgress: false });
    return bytes;
  } finally {
    closeSync(fd);
    session.disconnect();
  }
}
