import { mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { silentLog } from '../../src/log/types';
import { openDiskQueue } from '../../src/pipeline/diskQueue';
import { createSinkQueue, type SinkQueue } from '../../src/pipeline/sinkQueue';
import type { Payload } from '../../src/sinks/types';
import { mountTmpfs, type TestMount } from '../support/tmpfs';

const pl = (seq: number, size = 8000): Payload => ({ seq, timestampMs: seq, samples: seq, body: Buffer.alloc(size, seq) });

let mount: TestMount | undefined;
afterEach(() => {
  mount?.unmount();
  mount = undefined;
});

/** A sink queue on `dir` with a clock the test moves and the log lines it wrote. */
function sinkQueue(dir: string | undefined) {
  const clock = { ms: 0 };
  const lines: { level: string; m: string; f?: Record<string, unknown> }[] = [];
  const log = { ...silentLog, warn: (m: string, f?: Record<string, unknown>) => lines.push({ level: 'warn', m, f }), info: (m: string, f?: Record<string, unknown>) => lines.push({ level: 'info', m, f }) };
  const q = createSinkQueue({ sink: 't', dir, maxBytes: 1 << 20, memoryBatches: 100, log, now: () => clock.ms, retryDiskMs: 1000 });
  q.open();
  return { q, clock, lines };
}
/** Delivers everything queued, request by request (as deliver does), and returns the seqs in order. */
const drain = (q: SinkQueue): number[] => {
  const out: number[] = [];
  for (let items = q.take(3, Infinity); items.length > 0; items = q.take(3, Infinity)) {
    out.push(...items.map((i) => i.payload.seq));
    q.remove(items);
  }
  return out;
};
const range = (a: number, b: number) => Array.from({ length: b - a + 1 }, (_, i) => a + i);

describe('createSinkQueue', () => {
  it('keeps new payloads in memory when the disk is full (ENOSPC), sends those on disk first, and says so once', () => {
    mount = mountTmpfs({ sizeKiB: 64 });
    const { q, lines } = sinkQueue(join(mount.dir, 't'));
    for (let i = 1; i <= 12; i++) expect(q.push(pl(i))).toEqual([]);
    expect(q.degraded).toBe(true);
    expect(q.length).toBe(12);
    expect(lines.filter((l) => l.level === 'warn')).toEqual([{ level: 'warn', m: expect.stringMatching(/^disk queue failed/), f: expect.objectContaining({ sink: 't', op: 'append', code: 'ENOSPC' }) }]);
    expect(drain(q)).toEqual(range(1, 12));
    q.close();
  });

  it('goes back to disk when the full disk has room again: memory is appended to it in order', () => {
    mount = mountTmpfs({ sizeKiB: 64 });
    const dir = join(mount.dir, 't');
    const { q, clock, lines } = sinkQueue(dir);
    let onDisk = 0; // records that fit before the disk was full
    for (let i = 1; i <= 10; i++) {
      q.push(pl(i));
      if (!q.degraded) onDisk = i;
    }
    expect(q.degraded).toBe(true);
    expect(onDisk).toBeGreaterThan(2);
    // Deliver what is on disk only: its segment goes, the disk has room again.
    for (let i = 1; i <= onDisk; i++) {
      const items = q.take(1, Infinity);
      expect(items.map((it) => it.payload.seq)).toEqual([i]);
      q.remove(items);
    }
    clock.ms += 999;
    q.push(pl(11));
    expect(q.degraded).toBe(true); // not yet time to try again
    clock.ms += 1;
    q.push(pl(12));
    expect(q.degraded).toBe(false);
    expect(lines.filter((l) => l.level === 'info')).toEqual([{ level: 'info', m: expect.stringMatching(/^disk queue works again/), f: expect.objectContaining({ moved: expect.any(Number) }) }]);
    q.close();
    // What memory held is on disk now: a restart finds it, in order.
    const d = openDiskQueue({ dir, maxBytes: 1 << 20 });
    const rest = d.take(100, Infinity).map((i) => i.payload.seq);
    d.close();
    expect(rest).toEqual(range(onDisk + 1, 12));
  });

  it('starts in memory on a read-only directory and moves to disk once it is writable', () => {
    mount = mountTmpfs({ sizeKiB: 256 });
    const dir = join(mount.dir, 't');
    mkdirSync(dir);
    mount.remount({ readOnly: true });
    const { q, clock, lines } = sinkQueue(dir);
    expect(q.degraded).toBe(true);
    expect(lines).toEqual([{ level: 'warn', m: expect.stringMatching(/^disk queue failed/), f: expect.objectContaining({ op: 'open', code: 'EROFS' }) }]);
    q.push(pl(1));
    q.push(pl(2));
    expect(q.length).toBe(2);
    mount.remount({ readOnly: false });
    clock.ms += 1000;
    q.push(pl(3));
    expect(q.degraded).toBe(false);
    q.close();
    const d = openDiskQueue({ dir, maxBytes: 1 << 20 });
    expect(d.take(100, Infinity).map((i) => i.payload.seq)).toEqual([1, 2, 3]);
    d.close();
  });

  it('hands back at shutdown only what memory holds, after one more try of the disk', () => {
    mount = mountTmpfs({ sizeKiB: 256, readOnly: true });
    const { q } = sinkQueue(join(mount.dir, 't'));
    q.push(pl(1));
    q.push(pl(2));
    mount.remount({ readOnly: false });
    q.push(pl(3)); // retry not due: still memory
    expect(q.degraded).toBe(true);
    expect(q.dropVolatile()).toEqual([]);
    expect(q.degraded).toBe(false);
    expect(q.length).toBe(3);
    q.close();
  });

  it('is a bounded memory queue without a directory, never degraded', () => {
    const { q } = sinkQueue(undefined);
    for (let i = 1; i <= 3; i++) q.push(pl(i, 10));
    expect(q.degraded).toBe(false);
    expect(q.dropVolatile().map((p) => p.seq)).toEqual([1, 2, 3]);
    expect(q.length).toBe(0);
  });

  it('takes over records left on disk by a previous life before those kept in memory meanwhile', () => {
    mount = mountTmpfs({ sizeKiB: 256 });
    const dir = join(mount.dir, 't');
    const before = openDiskQueue({ dir, maxBytes: 1 << 20 });
    before.push(pl(1));
    before.close();
    writeFileSync(join(dir, 'lock'), `${process.ppid}\n`); // a live holder: this life starts in memory
    const { q, clock } = sinkQueue(dir);
    expect(q.degraded).toBe(true);
    q.push(pl(2));
    rmSync(join(dir, 'lock'));
    clock.ms += 1000;
    q.push(pl(3));
    expect(q.degraded).toBe(false);
    expect(drain(q)).toEqual([1, 2, 3]);
    q.close();
  });
});
