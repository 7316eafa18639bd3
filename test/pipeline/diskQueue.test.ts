import { appendFileSync, mkdtempSync, readdirSync, readFileSync, rmSync, truncateSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { silentLog } from '../../src/log/types';
import { crc32, encodeRecord, openDiskQueue, scanSegment, type QueueLoss } from '../../src/pipeline/diskQueue';
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
    const corrupt: QueueLoss[] = [];
    q = openDiskQueue({ dir, maxBytes: 1 << 20, onCorrupt: (l) => corrupt.push(l) });
    expect(corrupt).toEqual([expect.objectContaining({ problem: 'torn', seq: 2, samples: 20, bytes: pl(2).body.length + 36 - 30, afterSeq: 1 })]);
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
    const problems: QueueLoss[] = [];
    q = openDiskQueue({ dir, maxBytes: 1 << 20, onCorrupt: (l) => problems.push(l) });
    expect(seqs(q)).toEqual([1]);
    expect(problems).toEqual([expect.objectContaining({ problem: 'checksum', seq: 2, samples: 20, bytes: pl(2).body.length + 36 })]);
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

  it('refuses a directory locked by a running process, naming it, and takes over the lock of a dead one', () => {
    const q = openDiskQueue({ dir, maxBytes: 1 << 20 });
    expect(() => openDiskQueue({ dir, maxBytes: 1 << 20 })).toThrow(/already open/);
    q.close();
    writeFileSync(join(dir, 'lock'), `${process.ppid}\n`); // a live process that is not us
    expect(() => openDiskQueue({ dir, maxBytes: 1 << 20 })).toThrow(new RegExp(`locked by process ${process.ppid} .*still running`));
    writeFileSync(join(dir, 'lock'), '999999999\n');
    openDiskQueue({ dir, maxBytes: 1 << 20 }).close();
  });
});

describe('openDiskQueue on damaged segments', () => {
  const REC = encodeRecord(pl(1, 1000)).length;
  /** Writes 17 records of 1000-byte bodies in one segment, flips `n` bytes at `at`, and reopens. */
  const damaged = (at: (seg: Buffer) => number, n = 8) => {
    let q = openDiskQueue({ dir, maxBytes: 1 << 20 });
    for (let i = 1; i <= 17; i++) q.push(pl(i, 1000));
    q.close();
    const [seg] = segFiles(dir);
    const buf = readFileSync(join(dir, seg));
    const from = at(buf);
    for (let i = from; i < from + n; i++) buf[i] ^= 0xff;
    writeFileSync(join(dir, seg), buf);
    const losses: QueueLoss[] = [];
    const warnings: Record<string, unknown>[] = [];
    const log = { ...silentLog, warn: (m: string, f?: Record<string, unknown>) => warnings.push({ m, ...f }) };
    q = openDiskQueue({ dir, maxBytes: 1 << 20, log, onCorrupt: (l) => losses.push(l) });
    return { q, losses, warnings };
  };
  const all = Array.from({ length: 17 }, (_, i) => i + 1);

  it('loses only the record whose body has 8 flipped bytes in the middle of the segment, and tells its seq and samples', () => {
    const { q, losses, warnings } = damaged(() => 8 * REC + 500);
    expect(seqs(q)).toEqual(all.filter((s) => s !== 9));
    expect(losses).toEqual([{ segment: 1, offset: 8 * REC, bytes: REC, problem: 'checksum', seq: 9, samples: 90, afterSeq: 8, beforeSeq: 10 }]);
    expect(warnings).toEqual([expect.objectContaining({ m: 'disk queue: damaged record dropped', seq: 9, samples: 90 })]);
    q.close();
  });

  it('loses only the record whose header is damaged; its seq is unknown, the good ones around it are named', () => {
    const { q, losses, warnings } = damaged(() => 8 * REC + 8);
    expect(seqs(q)).toEqual(all.filter((s) => s !== 9));
    expect(losses).toEqual([{ segment: 1, offset: 8 * REC, bytes: REC, problem: 'header', afterSeq: 8, beforeSeq: 10 }]);
    expect(warnings[0]).toMatchObject({ afterSeq: 8, beforeSeq: 10, note: expect.stringMatching(/unknown/) });
    q.close();
  });

  it('loses the two records a flip across their boundary hits, and no other', () => {
    const { q, losses } = damaged(() => 9 * REC - 4);
    expect(seqs(q)).toEqual(all.filter((s) => s !== 9 && s !== 10));
    expect(losses.map((l) => [l.problem, l.seq ?? `after ${l.afterSeq}`])).toEqual([
      ['checksum', 9],
      ['header', 'after 8'],
    ]);
    q.close();
  });

  it('counts a damaged record once: the next open skips it without reporting it again', () => {
    damaged(() => 8 * REC + 500).q.close();
    const again: QueueLoss[] = [];
    const q = openDiskQueue({ dir, maxBytes: 1 << 20, onCorrupt: (l) => again.push(l) });
    expect(seqs(q)).toEqual(all.filter((s) => s !== 9));
    expect(again).toEqual([]);
    q.close();
  });

  it('keeps the records after a damaged tail of a segment that is not the last', () => {
    let q = openDiskQueue({ dir, maxBytes: 1 << 20, segmentBytes: 3 * REC });
    for (let i = 1; i <= 6; i++) q.push(pl(i, 1000));
    q.close();
    const [first] = segFiles(dir);
    truncateSync(join(dir, first), 3 * REC - 10); // record 3 torn, 4..6 in the next segment
    const losses: QueueLoss[] = [];
    q = openDiskQueue({ dir, maxBytes: 1 << 20, segmentBytes: 3 * REC, onCorrupt: (l) => losses.push(l) });
    expect(seqs(q)).toEqual([1, 2, 4, 5, 6]);
    expect(losses).toEqual([expect.objectContaining({ problem: 'torn', seq: 3, afterSeq: 2, beforeSeq: 4 })]);
    q.close();
  });

  it('reads records of the first format (RXQ1) written by an older rxporter', () => {
    const v1 = (p: Payload) => {
      const rec = Buffer.alloc(32 + p.body.length);
      rec.writeUInt32LE(0x31515852, 0);
      rec.writeUInt32LE(20 + p.body.length, 4);
      rec.writeDoubleLE(p.seq, 12);
      rec.writeDoubleLE(p.timestampMs, 20);
      rec.writeUInt32LE(p.samples, 28);
      rec.set(p.body, 32);
      rec.writeUInt32LE(crc32(rec.subarray(12)), 8);
      return rec;
    };
    writeFileSync(join(dir, `${'1'.padStart(20, '0')}.seg`), Buffer.concat([v1(pl(1)), v1(pl(2, 7))]));
    const q = openDiskQueue({ dir, maxBytes: 1 << 20 });
    q.push(pl(3));
    const items = q.take(10, Infinity);
    expect(items.map((i) => [i.payload.seq, i.payload.samples, i.payload.timestampMs])).toEqual([1, 2, 3].map((s) => [s, pl(s).samples, pl(s).timestampMs]));
    expect(Buffer.from(items[1].payload.body).equals(pl(2, 7).body)).toBe(true);
    q.close();
  });
});

describe('openDiskQueue without its ack file', () => {
  it.each([
    ['missing', (f: string) => rmSync(f)],
    ['garbled', (f: string) => writeFileSync(f, '{"seg":')],
  ])('replays every record on disk and says so when the ack is %s', (state, spoil) => {
    let q = openDiskQueue({ dir, maxBytes: 1 << 20 });
    for (let i = 1; i <= 5; i++) q.push(pl(i));
    q.remove(q.take(2, Infinity));
    q.close();
    spoil(join(dir, 'ack'));
    const warnings: Record<string, unknown>[] = [];
    q = openDiskQueue({ dir, maxBytes: 1 << 20, log: { ...silentLog, warn: (m: string, f?: Record<string, unknown>) => warnings.push({ m, ...f }) } });
    expect(seqs(q)).toEqual([1, 2, 3, 4, 5]);
    expect(warnings).toEqual([expect.objectContaining({ m: expect.stringMatching(/ack file missing or unreadable; every record on disk is replayed/), ack: state, records: 5 })]);
    q.close();
  });

  it('says nothing for a new, empty directory', () => {
    const warn = jest.fn();
    openDiskQueue({ dir, maxBytes: 1 << 20, log: { ...silentLog, warn } }).close();
    expect(warn).not.toHaveBeenCalled();
  });
});

describe('openDiskQueue fsync', () => {
  // The fs module object itself (an ES namespace import cannot be spied on).
  const fs = require('node:fs') as typeof import('node:fs');
  const syncs = () => jest.spyOn(fs, 'fdatasyncSync');
  afterEach(() => jest.restoreAllMocks());

  it('always: syncs every record before push returns', () => {
    const q = openDiskQueue({ dir, maxBytes: 1 << 20, fsync: 'always' });
    const spy = syncs();
    q.push(pl(1));
    q.push(pl(2));
    expect(spy).toHaveBeenCalledTimes(2);
    q.close();
  });

  it('batch: syncs the records appended since the last round once, before they are taken', () => {
    const q = openDiskQueue({ dir, maxBytes: 1 << 20, fsync: 'batch' });
    const spy = syncs();
    q.push(pl(1));
    q.push(pl(2));
    expect(spy).not.toHaveBeenCalled();
    const taken = q.take(10, Infinity);
    expect(spy).toHaveBeenCalledTimes(1);
    q.release(taken);
    q.take(10, Infinity);
    expect(spy).toHaveBeenCalledTimes(1);
    q.close();
  });

  it('never: no fsync at all, ack and close included', () => {
    const q = openDiskQueue({ dir, maxBytes: 1 << 20, fsync: 'never' });
    const spy = syncs();
    const sync = jest.spyOn(fs, 'fsyncSync');
    q.push(pl(1));
    q.remove(q.take(10, Infinity));
    q.close();
    expect(spy).not.toHaveBeenCalled();
    expect(sync).not.toHaveBeenCalled();
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
    expect(scan.damaged).toEqual([expect.objectContaining({ off: good.length, end: good.length + bad.length })]);
  });

  it('appending a good record after a scan keeps the file readable', () => {
    const f = join(dir, 'x.seg');
    writeFileSync(f, encodeRecord(pl(1)));
    appendFileSync(f, encodeRecord(pl(2)));
    expect(scanSegment(readFileSync(f)).records.map((r) => r.seq)).toEqual([1, 2]);
  });
});
