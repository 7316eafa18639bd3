import { closeSync, fstatSync, fsyncSync, ftruncateSync, mkdirSync, openSync, readdirSync, readFileSync, readSync, renameSync, unlinkSync, writeFileSync, writeSync } from 'node:fs';
import { join } from 'node:path';
import * as zlib from 'node:zlib';
import { RxporterError } from '../errors';
import type { Log } from '../log/types';
import { silentLog } from '../log/types';
import type { Payload } from '../model/delivery';
import type { PayloadQueue, QueuedItem } from './payloadQueue';

/**
 * On-disk layout of a sink's queue directory:
 *   lock                    the owner's pid; a second agent on the same directory is refused
 *   00000000000000000001.seg  append-only segments of records
 *   ack                     JSON {seg, off, removed}: the first record not yet delivered and
 *                           records after it already removed (written by rename, atomically)
 * Record: magic u32 | n u32 | crc32 u32 of the next n bytes | seq f64 | timestampMs f64 | samples u32 | body.
 * All integers little-endian. A record cut short or failing its checksum at the end of the
 * last segment (a kill during a write) is cut off and counted, never replayed.
 */
const MAGIC = 0x31515852; // "RXQ1"
const HEADER = 12;
const META = 20;
const SEG_RE = /^(\d{20})\.seg$/;

const crcTable = (() => {
  const t = new Int32Array(256);
  for (let n = 0; n < 256; n++) {
    let c = n;
    for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
    t[n] = c;
  }
  return t;
})();

/** Returns the CRC-32 (IEEE) of `b`; zlib's when Node has it. */
export const crc32 = (b: Uint8Array): number => {
  const native = (zlib as { crc32?: (d: Uint8Array) => number }).crc32;
  if (native) return native(b) >>> 0;
  let c = -1;
  for (let i = 0; i < b.length; i++) c = crcTable[(c ^ b[i]) & 0xff] ^ (c >>> 8);
  return (c ^ -1) >>> 0;
};

/** Returns the bytes of one record for `p`. */
export function encodeRecord(p: Payload): Buffer {
  const rec = Buffer.allocUnsafe(HEADER + META + p.body.length);
  rec.writeUInt32LE(MAGIC, 0);
  rec.writeUInt32LE(META + p.body.length, 4);
  rec.writeDoubleLE(p.seq, 12);
  rec.writeDoubleLE(p.timestampMs, 20);
  rec.writeUInt32LE(p.samples, 28);
  rec.set(p.body, HEADER + META);
  rec.writeUInt32LE(crc32(rec.subarray(HEADER)), 8);
  return rec;
}

interface Entry {
  readonly id: number;
  readonly seg: number;
  readonly off: number;
  readonly size: number;
  readonly seq: number;
  readonly timestampMs: number;
  readonly samples: number;
  inFlight: boolean;
  removed: boolean;
}

/** What scanning one segment found: its good records and, when it ends badly, where and why. */
export interface SegmentScan {
  readonly records: { off: number; size: number; seq: number; timestampMs: number; samples: number }[];
  /** Offset of the first bad byte, or the segment's length when all is well. */
  readonly goodEnd: number;
  readonly problem?: 'torn' | 'checksum' | 'magic';
}

/** Returns the records of a segment's bytes from `start`, stopping at the first torn or corrupt one. */
export function scanSegment(buf: Buffer, start = 0): SegmentScan {
  const records: SegmentScan['records'] = [];
  let off = start;
  while (off < buf.length) {
    if (buf.length - off < HEADER + META) return { records, goodEnd: off, problem: 'torn' };
    if (buf.readUInt32LE(off) !== MAGIC) return { records, goodEnd: off, problem: 'magic' };
    const n = buf.readUInt32LE(off + 4);
    if (n < META || off + HEADER + n > buf.length) return { records, goodEnd: off, problem: 'torn' };
    if (crc32(buf.subarray(off + HEADER, off + HEADER + n)) !== buf.readUInt32LE(off + 8)) return { records, goodEnd: off, problem: 'checksum' };
    records.push({ off, size: HEADER + n, seq: buf.readDoubleLE(off + 12), timestampMs: buf.readDoubleLE(off + 20), samples: buf.readUInt32LE(off + 28) });
    off += HEADER + n;
  }
  return { records, goodEnd: off };
}

/** Options of openDiskQueue. */
export interface DiskQueueOptions {
  readonly dir: string;
  /** Logical size limit (bytes of records not yet delivered); over it the oldest waiting records are dropped. */
  readonly maxBytes: number;
  /** Segment size; default maxBytes / 8 between 64 KiB and 16 MiB. */
  readonly segmentBytes?: number;
  readonly log?: Log;
  /** Called for records lost to corruption found while opening (samples as far as known). */
  readonly onCorrupt?: (samples: number, bytes: number) => void;
}

const opened = new Set<string>();

const pidAlive = (pid: number): boolean => {
  try {
    process.kill(pid, 0);
    return true;
  } catch (e) {
    return (e as NodeJS.ErrnoException).code === 'EPERM';
  }
};

/** Takes the directory's lock file or throws RXP_QUEUE naming the owner. A lock left by a dead process is taken over. */
function lock(dir: string): string {
  const path = join(dir, 'lock');
  if (opened.has(path)) throw new RxporterError('RXP_QUEUE', `queue directory ${dir} is already open in this process`);
  for (let attempt = 0; attempt < 2; attempt++) {
    try {
      const fd = openSync(path, 'wx');
      writeSync(fd, `${process.pid}\n`);
      closeSync(fd);
      opened.add(path);
      return path;
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code !== 'EEXIST') throw new RxporterError('RXP_QUEUE', `cannot lock ${path}: ${(e as Error).message}`, false, { cause: e });
      let pid = NaN;
      try {
        pid = Number.parseInt(readFileSync(path, 'utf8'), 10);
      } catch {
        // vanished or unreadable: treat as stale
      }
      // Our own pid in a lock we did not take is a previous life of this container's pid 1.
      if (Number.isInteger(pid) && pid > 0 && pid !== process.pid && pidAlive(pid)) {
        throw new RxporterError('RXP_QUEUE', `queue directory ${dir} is locked by running process ${pid}; agents must not share a queue directory`);
      }
      try {
        unlinkSync(path);
      } catch {
        // raced with another taker: the next openSync decides
      }
    }
  }
  throw new RxporterError('RXP_QUEUE', `cannot lock ${path}`);
}

/**
 * Returns a disk-backed PayloadQueue in `dir` (created if missing, locked against other
 * agents). Every push is appended to the current segment before push returns, so a
 * `kill -9` loses nothing already pushed; records come back in order after a restart,
 * without those already delivered (the ack file).
 */
export function openDiskQueue(o: DiskQueueOptions): PayloadQueue & { readonly segments: () => number } {
  const log = o.log ?? silentLog;
  mkdirSync(o.dir, { recursive: true });
  const lockPath = lock(o.dir);
  const segmentBytes = o.segmentBytes ?? Math.min(16 << 20, Math.max(64 << 10, Math.floor(o.maxBytes / 8)));
  const segPath = (n: number) => join(o.dir, `${String(n).padStart(20, '0')}.seg`);
  const ackPath = join(o.dir, 'ack');

  let ack: { seg: number; off: number; removed: [number, number][] } = { seg: 0, off: 0, removed: [] };
  try {
    const a = JSON.parse(readFileSync(ackPath, 'utf8')) as typeof ack;
    if (Number.isInteger(a.seg) && Number.isInteger(a.off)) ack = { seg: a.seg, off: a.off, removed: Array.isArray(a.removed) ? a.removed : [] };
  } catch {
    // no ack yet: everything on disk is undelivered
  }
  const removedAtOpen = new Set(ack.removed.map(([s, f]) => `${s}:${f}`));

  const segs = readdirSync(o.dir)
    .map((f) => SEG_RE.exec(f))
    .filter((m): m is RegExpExecArray => m !== null)
    .map((m) => Number(m[1]))
    .sort((a, b) => a - b);

  let nextId = 1;
  let entries: Entry[] = [];
  let bytes = 0;
  for (const [i, seg] of segs.entries()) {
    if (seg < ack.seg) {
      unlinkSync(segPath(seg)); // fully delivered before the last exit
      continue;
    }
    const buf = readFileSync(segPath(seg));
    const scan = scanSegment(buf, seg === ack.seg ? Math.min(ack.off, buf.length) : 0);
    for (const r of scan.records) {
      if (removedAtOpen.has(`${seg}:${r.off}`)) continue;
      entries.push({ id: nextId++, seg, ...r, inFlight: false, removed: false });
      bytes += r.size;
    }
    if (scan.problem) {
      const lost = buf.length - scan.goodEnd;
      const samples = lost >= HEADER + META ? buf.readUInt32LE(scan.goodEnd + 28) : 0;
      o.onCorrupt?.(scan.problem === 'torn' ? samples : 0, lost);
      log.warn('disk queue: bad record skipped', { dir: o.dir, segment: seg, offset: scan.goodEnd, bytes: lost, problem: scan.problem });
      // The last segment is appended to again: cut the bad tail so new records follow good ones.
      if (i === segs.length - 1) {
        const fd = openSync(segPath(seg), 'r+');
        ftruncateSync(fd, scan.goodEnd);
        closeSync(fd);
      }
    }
  }

  let writeSeg = segs.length ? segs[segs.length - 1] : 1;
  let writeFd = openSync(segPath(writeSeg), 'a');
  let writeSize = fstatSync(writeFd).size;
  const readFds = new Map<number, number>();
  const readFd = (seg: number): number => {
    let fd = readFds.get(seg);
    if (fd === undefined) {
      fd = openSync(segPath(seg), 'r');
      readFds.set(seg, fd);
    }
    return fd;
  };

  let lastAck = '';
  /** Drops removed entries from the front, deletes delivered segments, writes the ack file. */
  const persist = () => {
    let k = 0;
    while (k < entries.length && entries[k].removed) k++;
    if (k > 0) entries = entries.slice(k);
    const head = entries[0];
    const a = head ? { seg: head.seg, off: head.off } : { seg: writeSeg, off: writeSize };
    const removed = entries.filter((e) => e.removed).map((e): [number, number] => [e.seg, e.off]);
    const text = JSON.stringify({ ...a, removed });
    if (text === lastAck) return;
    lastAck = text;
    writeFileSync(`${ackPath}.tmp`, text);
    renameSync(`${ackPath}.tmp`, ackPath);
    for (const [seg, fd] of readFds) {
      if (seg < a.seg) {
        closeSync(fd);
        readFds.delete(seg);
      }
    }
    for (const f of readdirSync(o.dir)) {
      const m = SEG_RE.exec(f);
      if (m && Number(m[1]) < a.seg) unlinkSync(join(o.dir, f));
    }
  };
  persist();

  const payloadOf = (e: Entry, body: Uint8Array): Payload => ({ seq: e.seq, timestampMs: e.timestampMs, samples: e.samples, body });
  const markRemoved = (e: Entry) => {
    if (e.removed) return false;
    e.removed = true;
    e.inFlight = false;
    bytes -= e.size;
    return true;
  };

  return {
    push(p) {
      const rec = encodeRecord(p);
      if (writeSize > 0 && writeSize + rec.length > segmentBytes) {
        fsyncSync(writeFd);
        closeSync(writeFd);
        writeSeg++;
        writeFd = openSync(segPath(writeSeg), 'a');
        writeSize = 0;
      }
      writeSync(writeFd, rec);
      entries.push({ id: nextId++, seg: writeSeg, off: writeSize, size: rec.length, seq: p.seq, timestampMs: p.timestampMs, samples: p.samples, inFlight: false, removed: false });
      writeSize += rec.length;
      bytes += rec.length;
      const dropped: Payload[] = [];
      for (const e of entries) {
        if (bytes <= o.maxBytes) break;
        if (e.removed || e.inFlight) continue;
        markRemoved(e);
        dropped.push(payloadOf(e, new Uint8Array(0)));
      }
      if (dropped.length) persist();
      return dropped;
    },
    take(maxItems, maxBytes) {
      const out: QueuedItem[] = [];
      let size = 0;
      for (const e of entries) {
        if (out.length >= maxItems) break;
        if (e.removed) continue;
        if (e.inFlight) continue;
        if (out.length > 0 && size + e.size > maxBytes) break;
        const body = Buffer.allocUnsafe(e.size - HEADER - META);
        readSync(readFd(e.seg), body, 0, body.length, e.off + HEADER + META);
        e.inFlight = true;
        size += e.size;
        out.push({ id: e.id, payload: payloadOf(e, body) });
      }
      return out;
    },
    remove(items) {
      const ids = new Set(items.map((i) => i.id));
      for (const e of entries) if (ids.has(e.id)) markRemoved(e);
      persist();
    },
    release(items) {
      const ids = new Set(items.map((i) => i.id));
      for (const e of entries) if (ids.has(e.id)) e.inFlight = false;
    },
    clear() {
      const dropped: Payload[] = [];
      for (const e of entries) if (!e.inFlight && markRemoved(e)) dropped.push(payloadOf(e, new Uint8Array(0)));
      persist();
      return dropped;
    },
    get length() {
      return entries.filter((e) => !e.removed).length;
    },
    get bytes() {
      return bytes;
    },
    segments: () => readdirSync(o.dir).filter((f) => SEG_RE.test(f)).length,
    close() {
      persist();
      try {
        fsyncSync(writeFd);
      } catch {
        // best effort
      }
      closeSync(writeFd);
      for (const fd of readFds.values()) closeSync(fd);
      readFds.clear();
      opened.delete(lockPath);
      try {
        unlinkSync(lockPath);
      } catch {
        // already gone
      }
    },
  };
}
