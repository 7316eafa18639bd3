import type { Log } from '../log/types';
import type { Payload } from '../sinks/types';
import { createBoundedQueue } from './boundedQueue';
import { openDiskQueue, type DiskQueueOptions, type FsyncMode, type QueueLoss } from './diskQueue';
import type { PayloadQueue, QueuedItem } from './payloadQueue';

/** Options of createSinkQueue. */
export interface SinkQueueOptions {
  /** Sink name, for log lines. */
  readonly sink: string;
  /** The sink's disk queue directory; undefined keeps the queue in memory only. */
  readonly dir?: string;
  /** Disk queue size limit in bytes. */
  readonly maxBytes: number;
  /** Memory queue bound in payloads (memory-only sinks, and disk sinks while degraded). */
  readonly memoryBatches: number;
  readonly fsync?: FsyncMode;
  readonly log: Log;
  /** Clock in ms (the sink's RxJS scheduler). */
  readonly now: () => number;
  /** While degraded, the disk is tried again on the first push this many ms after the last try. */
  readonly retryDiskMs: number;
  /** Called for each record the disk queue lost to damage (at open, and at each reopen). */
  readonly onCorrupt?: (loss: QueueLoss) => void;
  /** Opens the disk queue; default openDiskQueue. */
  readonly openDisk?: (o: DiskQueueOptions) => PayloadQueue;
}

/** A sink's queue: on disk when configured and working, in memory otherwise. Never throws. */
export interface SinkQueue extends PayloadQueue {
  /** True while a configured disk queue cannot be written and new payloads are kept in memory. */
  readonly degraded: boolean;
  /** Opens the disk queue (when configured); on failure the queue starts degraded. */
  open(): void;
  /** Payloads only memory holds, in flight included (after one more try to write them to disk), removed and returned: what a shutdown loses. */
  dropVolatile(): Payload[];
}

const errText = (e: unknown) => (typeof (e as Error | undefined)?.message === 'string' ? (e as Error).message : String(e));
/** The errno code (EROFS, ENOSPC…) of `e` or of its causes (errors of Node's fs may come from another realm: no instanceof). */
const errnoOf = (e: unknown): string | undefined => {
  for (let x = e as { code?: unknown; cause?: unknown } | undefined, n = 0; x && typeof x === 'object' && n < 8; x = x.cause as typeof x, n++) {
    if (typeof x.code === 'string' && /^E[A-Z]+$/.test(x.code)) return x.code;
  }
  return undefined;
};

/**
 * Returns the queue of one sink. Without `dir` a bounded memory queue. With `dir` a disk queue
 * that degrades to memory when the disk fails (cannot be opened, locked, appended to or read:
 * read-only, full, I/O error): one warn line, `degraded` true, new payloads kept in memory (at
 * most memoryBatches, the oldest dropped over it), while records already on disk, older, are
 * still sent first. On the first push `retryDiskMs` after a failure the disk is tried again:
 * when it works, the payloads in memory are appended to it in order, one info line, and
 * `degraded` is false again. No method throws.
 *
 *   disk ok:  push → disk              disk fails: push → memory (disk records still sent first)
 *   retry:    memory → disk (in order) → not degraded
 */
export function createSinkQueue(o: SinkQueueOptions): SinkQueue {
  const mem = createBoundedQueue(Math.max(1, o.memoryBatches));
  const openDisk = o.openDisk ?? openDiskQueue;
  let disk: PayloadQueue | undefined;
  let degraded = false;
  let nextTry = 0;
  // Which queue a taken item came from (a disk queue reopened after a failure is another owner).
  const owner = new WeakMap<QueuedItem, PayloadQueue>();
  const memInFlight = new Set<QueuedItem>();

  const degrade = (op: string, e: unknown) => {
    nextTry = o.now() + o.retryDiskMs;
    if (degraded) return;
    degraded = true;
    o.log.warn('disk queue failed: new batches kept in memory until the disk works again', {
      sink: o.sink,
      dir: o.dir,
      op,
      code: errnoOf(e),
      error: errText(e),
      retryMs: o.retryDiskMs,
      memoryBatches: o.memoryBatches,
    });
  };
  const dropDisk = () => {
    try {
      disk?.close();
    } catch (e) {
      o.log.debug('disk queue close failed', { sink: o.sink, error: errText(e) });
    }
    disk = undefined;
  };
  const openNow = (): PayloadQueue =>
    (disk ??= openDisk({ dir: o.dir as string, maxBytes: o.maxBytes, fsync: o.fsync, log: o.log, onCorrupt: o.onCorrupt }));

  /** Tries the disk again: opens it if needed and moves what memory holds onto it. Returns payloads dropped for room. */
  const recover = (): Payload[] => {
    nextTry = o.now() + o.retryDiskMs;
    if (memInFlight.size > 0) return []; // a request of memory payloads is out: order would break
    const dropped: Payload[] = [];
    const items = mem.take(Number.MAX_SAFE_INTEGER, Number.MAX_SAFE_INTEGER);
    let moved = 0;
    try {
      const d = openNow();
      for (const it of items) {
        dropped.push(...d.push(it.payload));
        moved++;
      }
    } catch (e) {
      o.log.debug('disk queue still failing', { sink: o.sink, dir: o.dir, code: errnoOf(e), error: errText(e) });
      return dropped;
    } finally {
      mem.remove(items.slice(0, moved));
      mem.release(items.slice(moved));
    }
    degraded = false;
    o.log.info('disk queue works again: batches kept in memory moved to disk', { sink: o.sink, dir: o.dir, moved });
    return dropped;
  };

  return {
    get degraded() {
      return degraded;
    },
    open() {
      if (o.dir === undefined) return;
      try {
        openNow();
      } catch (e) {
        degrade('open', e);
      }
    },
    push(p) {
      const dropped = degraded && o.now() >= nextTry ? recover() : [];
      if (o.dir !== undefined && !degraded) {
        try {
          return [...dropped, ...openNow().push(p)];
        } catch (e) {
          degrade(disk ? 'append' : 'open', e);
        }
      }
      return [...dropped, ...mem.push(p)];
    },
    take(maxItems, maxBytes) {
      // Records on disk are older than those in memory: they go first.
      const d = disk;
      if (d && d.length > 0) {
        try {
          const items = d.take(maxItems, maxBytes);
          for (const i of items) owner.set(i, d);
          return items;
        } catch (e) {
          // Unreadable: the records stay in their files for the next open; memory goes on.
          degrade('read', e);
          dropDisk();
        }
      }
      const items = mem.take(maxItems, maxBytes);
      for (const i of items) {
        owner.set(i, mem);
        memInFlight.add(i);
      }
      return items;
    },
    remove(items) {
      const d = disk;
      if (d) d.remove(items.filter((i) => owner.get(i) === d));
      mem.remove(items.filter((i) => owner.get(i) === mem));
      for (const i of items) memInFlight.delete(i);
    },
    release(items) {
      const d = disk;
      if (d) d.release(items.filter((i) => owner.get(i) === d));
      mem.release(items.filter((i) => owner.get(i) === mem));
      for (const i of items) memInFlight.delete(i);
    },
    clear() {
      return [...(disk?.clear() ?? []), ...mem.clear()];
    },
    dropVolatile() {
      const dropped = degraded ? recover() : [];
      // A request still out at shutdown is abandoned: its payloads are lost too.
      const out = [...memInFlight];
      mem.remove(out);
      memInFlight.clear();
      return [...dropped, ...out.map((i) => i.payload), ...mem.clear()];
    },
    get length() {
      return (disk?.length ?? 0) + mem.length;
    },
    get bytes() {
      return (disk?.bytes ?? 0) + mem.bytes;
    },
    close() {
      dropDisk();
    },
  };
}
