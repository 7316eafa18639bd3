import { appendFileSync, mkdtempSync, readdirSync, readFileSync, rmSync, truncateSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { encodeRecord, openDiskQueue, scanSegment } from '../../src/pipeline/diskQueue';
import type { Payload } from '../../src/sinks/types';

const pl = (seq: number, size = 100): Payload => ({ seq, timestampMs: 1_700_000_000_000 + seq, samples: seq * 10, body: Buffer.alloc(size, seq % 256) });
const seqs = (q: ReturnType<typeof openDiskQueue>) => q.take(1000, Infinity).map((i) => i.payload.seq);
const segFiles = (dir: string) => readdirSync(dir).filter((f) => f.endsWith('.seg')).sort();

let dir: string;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'rxp-dq-'));
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

describe('openDiskQueue', () => {
  it('returns records in order with their bodies and metadata', () => {
    const q = openDiskQueue({ dir, maxBytes: 1 << 20 });
    q.push(pl(1));
    q.push(pl(2, 7));
    const [a, b] = q.take(10, Infinity);
    expect(a.payload).toEqual({ ...pl(1), body: expect.anything() });
    expect(Buffer.from(a.payload.body).equals(pl(1).body)).toBe(true);
    expect(Buffer.from(b.payload.body).equals(pl(2, 7).body)).toBe(true);
    expect(q.length).toBe(2);
    q.close();
  });

  it('replays after a reopen only what was not removed, in order', () => {
    let q = openDiskQueue({ dir, maxBytes: 1 << 20 });
    for (let i = 1; i <= 5; i++) q.push(pl(i));
    q.remove(q.take(2, Infinity));
    q.close();
    q = openDiskQueue({ dir, maxBytes: 1 << 20 });
    expect(q.length).toBe(3);
    expect(seqs(q)).toEqual([3, 4, 5]);
    q.close();
  });

  it('survives a process that never closed it (no ack written at exit, lock left behind)', () => {
    const q = openDiskQueue({ dir, maxBytes: 1 << 20 });
    q.push(pl(1));
    q.push(pl(2));
    q.remove(q.take(1, Infinity));
    // simulate kill -9: forget the in-process handle and leave a lock of a dead pid
    writeFileSync(join(dir, 'lock'), '999999999\n');
    // a fresh module instance stands for the restarted process (q is never closed, as after kill -9)
    jest.isolateModules(() => {
      const { openDiskQueue: reopen } = require('../../src/pipeline/diskQueue') as typeof import('../../src/pipeline/diskQueue');
      const q2 = reopen({ dir, maxBytes: 1 << 20 });
      expect(q2.take(10, Infinity).map((i) => i.payload.seq)).toEqual([2]);
      q2.close();
    });
  });

  it('skips a torn last record, counts it, and appends after the good ones', () => {
    let q = openDiskQueue({ dir, maxBytes: 1 << 20 });
    q.push(pl(1));
    q.push(pl(2));
    q.close();
    const [seg] = segFiles(dir);
    const full = statSync(join(dir, seg)).size;
    truncateSync(join(dir, seg), full - 30); // cut record 2 in the middle
    const corrupt: [number, number][] = [];
    q = openDiskQueue({ dir, maxBytes: 1 << 20, onCorrupt: (s, b) => corrupt.push([s, b]) });
    expect(corrupt).toEqual([[20, pl(2).body.length + 32 - 30]]);
    q.push(pl(3));
    expect(seqs(q)).toEqual([1, 3]);
    q.close();
    q = openDiskQueue({ dir, maxBytes: 1 << 20 });
    expect(seqs(q)).toEqual([1, 3]);
    q.close();
  });

  it('never replays a record whose checksum fails', () => {
    let q = openDiskQueue({ dir, maxBytes: 1 << 20 });
    q.push(pl(1));
    q.push(pl(2));
    q.close();
    const [seg] = segFiles(dir);
    const buf = readFileSync(join(dir, seg));
    buf[buf.length - 1] ^= 0xff; // flip a body byte of record 2
    writeFileSync(join(dir, seg), buf);
    const problems: number[] = [];
    q = openDiskQueue({ dir, maxBytes: 1 << 20, onCorrupt: (_s, b) => problems.push(b) });
    expect(seqs(q)).toEqual([1]);
    expect(problems).toEqual([pl(2).body.length + 32]);
    q.close();
  });

  it('drops the oldest waiting records over maxBytes, never one in flight', () => {
    const rec = encodeRecord(pl(1)).length;
    const q = openDiskQueue({ dir, maxBytes: rec * 3 });
    q.push(pl(1));
    const inFlight = q.take(1, Infinity);
    q.push(pl(2));
    q.push(pl(3));
    expect(q.push(pl(4)).map((p) => [p.seq, p.samples])).toEqual([[2, 20]]);
    expect(q.bytes).toBe(rec * 3);
    q.remove(inFlight);
    expect(seqs(q)).toEqual([3, 4]);
    q.close();
  });

  it('remembers records removed behind one in flight across a reopen', () => {
    const rec = encodeRecord(pl(1)).length;
    let q = openDiskQueue({ dir, maxBytes: rec * 2 });
    q.push(pl(1));
    q.take(1, Infinity); // 1 in flight
    q.push(pl(2));
    q.push(pl(3)); // drops 2
    q.close();
    q = openDiskQueue({ dir, maxBytes: rec * 2 });
    expect(seqs(q)).toEqual([1, 3]);
    q.close();
  });

  it('rotates segments and deletes those fully delivered', () => {
    const q = openDiskQueue({ dir, maxBytes: 1 << 20, segmentBytes: 300 });
    for (let i = 1; i <= 6; i++) q.push(pl(i));
    expect(segFiles(dir).length).toBe(3);
    q.remove(q.take(4, Infinity));
    expect(segFiles(dir).length).toBe(1);
    expect(seqs(q)).toEqual([5, 6]);
    q.close();
  });

  it('refuses a directory locked by a running process', () => {
    const q = openDiskQueue({ dir, maxBytes: 1 << 20 });
    expect(() => openDiskQueue({ dir, maxBytes: 1 << 20 })).toThrow(/already open/);
    q.close();
    writeFileSync(join(dir, 'lock'), `${process.ppid}\n`); // a live process that is not us
    expect(() => openDiskQueue({ dir, maxBytes: 1 << 20 })).toThrow(/locked by running process/);
  });

  it('takes over a lock left by a dead process', () => {
    writeFileSync(join(dir, 'lock'), '999999999\n');
    const q = openDiskQueue({ dir, maxBytes: 1 << 20 });
    expect(readFileSync(join(dir, 'lock'), 'utf8').trim()).toBe(String(process.pid));
    q.close();
  });
});

describe('scanSegment', () => {
  it.each([
    ['garbage instead of a record', Buffer.from('hello world, this is not a record at all')],
    ['a header cut short', encodeRecord(pl(1)).subarray(0, 10)],
  ])('stops at %s', (_n, bad) => {
    const good = encodeRecord(pl(1));
    const scan = scanSegment(Buffer.concat([good, bad]));
    expect(scan.records).toHaveLength(1);
    expect(scan.goodEnd).toBe(good.length);
    expect(scan.problem).toBeDefined();
  });

  it('appending a good record after a scan keeps the file readable', () => {
    const f = join(dir, 'x.seg');
    writeFileSync(f, encodeRecord(pl(1)));
    appendFileSync(f, encodeRecord(pl(2)));
    expect(scanSegment(readFileSync(f)).records.map((r) => r.seq)).toEqual([1, 2]);
  });
});
