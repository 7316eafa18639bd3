import { statfs as nodeStatfs } from 'node:fs/promises';
import { asyncScheduler, catchError, defer, from, map, Observable, of, timeout, type SchedulerLike } from 'rxjs';

/** The statfs fields the filesystem collector uses (Node's fs.StatFs has them). */
export interface StatfsResult {
  readonly bsize: number;
  readonly blocks: number;
  readonly bfree: number;
  readonly bavail: number;
  readonly files: number;
  readonly ffree: number;
}

/** An asynchronous statfs; the default is Node's, which runs on libuv's thread pool. */
export type StatfsFn = (path: string) => Promise<StatfsResult>;

/** Outcome of one guarded statfs call. */
export type StatfsOutcome =
  | { readonly kind: 'ok'; readonly stats: StatfsResult }
  /** statfs failed: Node's message, and its errno code (`EACCES`, `ENOTCONN`, …) when it has one. */
  | { readonly kind: 'error'; readonly message: string; readonly code?: string }
  /** The call timed out now; the path stays stuck until the call returns. */
  | { readonly kind: 'timeout' }
  /** An earlier call on this path has not returned yet: not attempted. */
  | { readonly kind: 'stuck' }
  /** Every permit is held by a hung call: not attempted, to keep the pool free. */
  | { readonly kind: 'no-permit' };

export interface StatfsGuardOptions {
  /** How long one call may take before the mount is reported as failed and marked stuck. */
  readonly timeoutMs: number;
  /** Calls allowed on the thread pool at once, hung ones included. */
  readonly permits?: number;
  readonly statfs?: StatfsFn;
  readonly scheduler?: SchedulerLike;
}

/** Returns half of libuv's thread pool (at least 1): what statfs calls may occupy at most. */
export const defaultStatfsPermits = (): number =>
  Math.max(1, Math.floor((Number(process.env.UV_THREADPOOL_SIZE) || 4) / 2));

let defaultStatfs: StatfsFn = (p) => nodeStatfs(p);
let defaultPermits: () => number = defaultStatfsPermits;

/**
 * Sets the statfs that guards created afterwards use when none is given, and how many calls
 * they allow in flight. A collector actor installs thread-backed statfs with no limit
 * (actors/statfsThreads.ts); the default is Node's on libuv's pool, half of it at most.
 */
export function useStatfs(fn: StatfsFn, permits: number): void {
  defaultStatfs = fn;
  defaultPermits = () => permits;
}

/**
 * Guards statfs against hung mounts (a dead NFS server blocks statfs in the kernel).
 * Node cannot cancel a pool job, so a hung call keeps its pool thread until the kernel
 * returns. The guard therefore (1) times each call out, (2) remembers the path as stuck
 * and does not call statfs on it again until the hung call returns, and (3) holds one
 * permit per call in flight, hung ones included, so that statfs never takes more than
 * `permits` of the pool's threads and every other file operation in the process keeps
 * running. When no permit is free a mount is reported at once instead of queueing.
 */
export class StatfsGuard {
  /** Paths whose call timed out and has not returned yet. */
  private readonly stuck = new Set<string>();
  /** Calls in flight by path. */
  private readonly pending = new Map<string, Promise<StatfsResult>>();
  private inFlight = 0;
  /** Calls allowed in flight at once, hung ones included. */
  readonly permits: number;
  private readonly statfs: StatfsFn;
  private readonly scheduler: SchedulerLike;

  constructor(private readonly opts: StatfsGuardOptions) {
    this.permits = opts.permits ?? defaultPermits();
    this.statfs = opts.statfs ?? defaultStatfs;
    this.scheduler = opts.scheduler ?? asyncScheduler;
  }

  /** Returns the paths whose statfs call has not returned yet. */
  stuckPaths(): string[] {
    return [...this.stuck];
  }

  /** Returns a cold observable of the outcome of statfs(path); it never errors. */
  stat(path: string): Observable<StatfsOutcome> {
    return defer(() => {
      if (this.stuck.has(path)) return of<StatfsOutcome>({ kind: 'stuck' });
      // Two mounts on one path (rootfs and the real root) share the call in flight.
      let call = this.pending.get(path);
      if (!call) {
        if (this.inFlight >= this.permits) return of<StatfsOutcome>({ kind: 'no-permit' });
        this.inFlight++;
        call = this.statfs(path).finally(() => {
          this.inFlight--;
          this.pending.delete(path);
          this.stuck.delete(path);
        });
        this.pending.set(path, call);
      }
      const settled = call.then(
        () => true,
        () => true,
      );
      let done = false;
      void settled.then(() => (done = true));
      return from(call).pipe(
        map((stats): StatfsOutcome => ({ kind: 'ok', stats })),
        timeout({ first: this.opts.timeoutMs, scheduler: this.scheduler }),
        catchError((e: unknown) => {
          if (!done && (e as Error).name === 'TimeoutError') {
            this.stuck.add(path); // until the call returns: see finally above
            return of<StatfsOutcome>({ kind: 'timeout' });
          }
          const code = (e as NodeJS.ErrnoException).code;
          return of<StatfsOutcome>(typeof code === 'string' ? { kind: 'error', message: (e as Error).message, code } : { kind: 'error', message: (e as Error).message });
        }),
      );
    });
  }
}
