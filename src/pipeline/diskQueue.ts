import { closeSync, fdatasyncSync, fsyncSync, fstatSync, ftruncateSync, mkdirSync, openSync, readdirSync, readFileSync, readSync, renameSync, unlinkSync, writeSync } from 'node:fs';
import { join } from 'node:path';
import * as zlib from 'node:zlib';
import { RxporterError } from '../errors';
import { releaseDirLock, takeDirLock } from '../fs/dirLock';
import type { Log } from '../log/types';
import { silentLog } from '../log/types';
import type { Payload } from '../model/delivery';
import type { PayloadQueue, QueuedItem } from './payloadQueue';

/**
 * On-disk layout of a sink's queue directory:
 *   lock                    the owner's pid, start time and boot id (src/fs/dirLock.ts)
 *   00000000000000000001.seg  append-only segments of records
 *   ack                     JSON {seg, off, removed, damaged}: the first record not yet delivered,
 *                           records after it already removed, damage after it already counted
 *                           (written to ack.tmp and renamed, atomically)
 * Record (RXQ2): magic u32 | hcrc u32 | n u32 | samples u32 | seq f64 | timestampMs f64 | bcrc u32 | body (n bytes);
 *   hcrc is the CRC-32 of the 28 bytes after it, bcrc that of the body. Little-endian.
 * Records of the first format (RXQ1: magic | n | crc of the next n | seq | timestampMs | samples | body)
 * are still read. A damaged record costs only itself: the scan resynchronises at the next offset
 * that holds a record with a valid header checksum. The header checksum tells its seq and samples
 * even when the body is damaged; when the header itself is damaged they are unknown.
 */
const MAGIC = 0x32515852; // "RXQ2"
const MAGIC_V1 = 0x31515852; // "RXQ1"
const HEADER = 36;
const V1_HEADER = 32;
const MAGIC_BYTES = [MAGIC, MAGIC_V1].map((m) => {
  const b = Buffer.alloc(4);
  b.writeUInt32LE(m);
  return b;
});
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

/** Returns the bytes of one record (RXQ2) for `p`. */
export function encodeRecord(p: Payload): Buffer {
  const rec = Buffer.allocUnsafe(HEADER + p.body.length);
  rec.writeUInt32LE(MAGIC, 0);
  rec.writeUInt32LE(p.body.length, 8);
  rec.writeUInt32LE(p.samples, 12);
  rec.writeDoubleLE(p.seq, 16);
  rec.writeDoubleLE(p.timestampMs, 24);
  rec.set(p.body, HEADER);
  rec.writeUInt32LE(crc32(rec.subarray(HEADER)), 32);
  rec.writeUInt32LE(crc32(rec.subarray(8, HEADER)), 4);
  return rec;
}

/** Where a good record lies in its segment and what its header says. */
export interface RecordInfo {
  readonly off: number;
  readonly size: number;
  /** Offset of the body within the record. */
  readonly bodyOff: number;
  readonly seq: number;
  readonly timestampMs: number;
  readonly samples: number;
}

type Parsed =
  | { readonly kind: 'ok' | 'body'; readonly rec: RecordInfo } // body: header verified, body checksum fails
  | { readonly kind: 'torn'; readonly rec?: RecordInfo } // runs past the end (rec when its header is verified)
  | { readonly kind: 'bad' };

function parseAt(buf: Buffer, off: number): Parsed {
  const left = buf.length - off;
  if (left < 4) return { kind: 'torn' };
  const magic = buf.readUInt32LE(off);
  if (magic === MAGIC) {
    if (left < HEADER) return { kind: 'torn' };
    if (crc32(buf.subarray(off + 8, off + HEADER)) !== buf.readUInt32LE(off + 4)) return { kind: 'bad' };
    const n = buf.readUInt32LE(off + 8);
    const rec = { off, size: HEADER + n, bodyOff: HEADER, samples: buf.readUInt32LE(off + 12), seq: buf.readDoubleLE(off + 16), timestampMs: buf.readDoubleLE(off + 24) };
    if (left < rec.size) return { kind: 'torn', rec };
    return { kind: crc32(buf.subarray(off + HEADER, off + rec.size)) === buf.readUInt32LE(off + 32) ? 'ok' : 'body', rec };
  }
  if (magic === MAGIC_V1) {
    if (left < V1_HEADER) return { kind: 'torn' };
    const n = buf.readUInt32LE(off + 4);
    if (n < V1_HEADER - 12) return { kind: 'bad' };
    if (left < 12 + n) return { kind: 'torn' };
    if (crc32(buf.subarray(off + 12, off + 12 + n)) !== buf.readUInt32LE(off + 8)) return { kind: 'bad' };
    return { kind: 'ok', rec: { off, size: 12 + n, bodyOff: V1_HEADER, seq: buf.readDoubleLE(off + 12), timestampMs: buf.readDoubleLE(off + 20), samples: buf.readUInt32LE(off + 28) } };
  }
  return { kind: 'bad' };
}

/** Returns the offset of the next record boundary at or after `from` (a verified header), or buf.length. */
function nextRecord(buf: Buffer, from: number): number {
  for (let at = from; at < buf.length; ) {
    const hits = MAGIC_BYTES.map((m) => buf.indexOf(m, at)).filter((i) => i >= 0);
    if (hits.length === 0) break;
    const i = Math.min(...hits);
    const p = parseAt(buf, i);
    if (p.kind === 'ok' || p.kind === 'body' || (p.kind === 'torn' && p.rec)) return i;
    at = i + 1;
  }
  return buf.length;
}

/** A damaged stretch of a segment: one record whose header survived, or bytes with no readable header. */
export interface DamagedRegion {
  readonly off: number;
  readonly end: number;
  /** checksum: the body of a record with a good header; torn: a record cut short by the end of the file; header: no readable record header. */
  readonly problem: 'checksum' | 'torn' | 'header';
  /** The damaged record's header when it is intact (checksum, and torn when the header was complete). */
  readonly record?: RecordInfo;
}

/** What scanning one segment found. */
export interface SegmentScan {
  readonly records: RecordInfo[];
  readonly damaged: DamagedRegion[];
  /** Where the last good stretch ends: the segment's length, or where a damaged tail begins. */
  readonly goodEnd: number;
}

/**
 * Returns the records of a segment's bytes from `start` and the damaged regions between them:
 * after a bad record the scan resumes at the next offset holding a record with a verified
 * header, so one damaged record never hides those after it.
 */
export function scanSegment(buf: Buffer, start = 0): SegmentScan {
  const records: RecordInfo[] = [];
  const damaged: DamagedRegion[] = [];
  let off = start;
  while (off < buf.length) {
    const p = parseAt(buf, off);
    if (p.kind === 'ok') {
      records.push(p.rec);
      off += p.rec.size;
    } else if (p.kind === 'body') {
      damaged.push({ off, end: off + p.rec.size, problem: 'checksum', record: p.rec });
      off += p.rec.size;
    } else {
      const end = nextRecord(buf, off + 1);
      damaged.push({ off, end, problem: p.kind === 'torn' ? 'torn' : 'header', ...(p.kind === 'torn' && p.rec ? { record: p.rec } : {}) });
      off = end;
    }
  }
  const last = damaged[damaged.length - 1];
  return { records, damaged, goodEnd: last && last.end === buf.length ? last.off : buf.length };
}

/**
 * When records and the ack reach the disk (fsync):
 * never: the kernel writes them back in its own time; batch: the segment before each take (once
 * per push round) and at rotation and close, the ack before its rename; always: every record
 * before push returns, the ack and new files' directory entries too.
 */
export type FsyncMode = 'never' | 'batch' | 'always';
/** The values of FsyncMode, for config validation. */
export const FSYNC_MODES: readonly FsyncMode[] = ['never', 'batch', 'always'];

/** A record the queue lost to damage found while opening; the records after it are kept. */
export interface QueueLoss {
  readonly segment: number;
  readonly offset: number;
  readonly bytes: number;
  readonly problem: DamagedRegion['problem'];
  /** Seq and samples of the lost record, when its header survived. */
  readonly seq?: number;
  readonly samples?: number;
  /** Seqs of the nearest good records before and after it (when its own seq is unknown). */
  readonly afterSeq?: number;
  readonly beforeSeq?: number;
}

/** Options of openDiskQueue. */
export interface DiskQueueOptions {
  readonly dir: string;
  /** Logical size limit (bytes of records not yet delivered); over it the oldest waiting records are dropped. */
  readonly maxBytes: number;
  /** Segment size; default maxBytes / 8 between 64 KiB and 16 MiB. */
  readonly segmentBytes?: number;
  /** Default batch. */
  readonly fsync?: FsyncMode;
  readonly log?: Log;
  /** Called for each record lost to damage found while opening (once per record, not again at the next open). */
  readonly onCorrupt?: (loss: QueueLoss) => void;
}

interface Entry extends RecordInfo {
  readonly id: number;
  readonly seg: number;
  inFlight: boolean;
  removed: boolean;
}

interface Ack {
  seg: number;
  off: number;
  removed: [number, number][];
  damaged: [number, number][];
}

const pairs = (v: unknown): [number, number][] =>
  Array.isArray(v) ? v.filter((x): x is [number, number] => Array.isArray(x) && Number.isInteger(x[0]) && Number.isInteger(x[1])) : [];

/** Reads the ack file: its content, or why there is none. */
function readAck(path: string): Ack | 'missing' | 'garbled' {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'ENOENT') return 'missing';
    throw e;
  }
  try {
    const a = JSON.parse(text) as Partial<Ack>;
    if (!Number.isInteger(a.seg) || !Number.isInteger(a.off)) return 'garbled';
    return { seg: a.seg as number, off: a.off as number, removed: pairs(a.removed), damaged: pairs(a.damaged) };
  } catch {
    return 'garbled';
  }
}

/** Writes all of `b` (a short write is retried; the error of the retry is thrown). */
const writeAll = (fd: number, b: Uint8Array): void => {
  for (let done = 0; done < b.length; ) {
    const n = writeSync(fd, b, done, b.length - done);
    if (n <= 0) throw new RxporterError('RXP_QUEUE', 'write returned 0 bytes');
    done += n;
  }
};

const errText = (e: unknown) => (typeof (e as Error | undefined)?.message === 'string' ? (e as Error).message : String(e));
const ioError = (dir: string, what: string, e: unknown) =>
  e instanceof RxporterError ? e : new RxporterError('RXP_QUEUE', `disk queue ${dir}: ${what}: ${errText(e)}`, true, { cause: e });

const key = (seg: number, off: number) => `${seg}:${off}`;

/**
 * Returns a disk-backed PayloadQueue in `dir` (created if missing, locked against other
 * agents). Every push is appended to the current segment before push returns, so a
 * `kill -9` loses nothing already pushed (power loss: see FsyncMode); records come back in
 * order after a restart, without those already delivered (the ack file). Damaged records
 * are skipped, reported once each to onCorrupt and logged with their seq.
 * Throws RXP_QUEUE when the directory cannot be created, locked or read; push and take
 * throw RXP_QUEUE on an I/O error (the queue stays consistent: a record whose append failed
 * is not in it), the other methods never throw (a failed ack write is logged and retried).
 */
export function openDiskQueue(o: DiskQueueOptions): PayloadQueue & { readonly segments: () => number } {
  const log = o.log ?? silentLog;
  const fsync = o.fsync ?? 'batch';
  try {
    mkdirSync(o.dir, { recursive: true });
  } catch (e) {
    throw ioError(o.dir, 'cannot create the directory', e);
  }
  const lockPath = takeDirLock(o.dir);
  try {
    return openLocked(o, log, fsync, lockPath);
  } catch (e) {
    releaseDirLock(lockPath);
    throw ioError(o.dir, 'cannot open', e);
  }
}

function openLocked(o: DiskQueueOptions, log: Log, fsync: FsyncMode, lockPath: string): PayloadQueue & { readonly segments: () => number } {
  const segmentBytes = o.segmentBytes ?? Math.min(16 << 20, Math.max(64 << 10, Math.floor(o.maxBytes / 8)));
  const segPath = (n: number) => join(o.dir, `${String(n).padStart(20, '0')}.seg`);
  const ackPath = join(o.dir, 'ack');
  const syncDir = () => {
    const fd = openSync(o.dir, 'r');
    try {
      fsyncSync(fd);
    } finally {
      closeSync(fd);
    }
  };

  const read = readAck(ackPath);
  const ack: Ack = typeof read === 'string' ? { seg: 0, off: 0, removed: [], damaged: [] } : read;
  const removedAtOpen = new Set(ack.removed.map(([s, f]) => key(s, f)));
  const countedAtOpen = new Set(ack.damaged.map(([s, f]) => key(s, f)));

  const segs = readdirSync(o.dir)
    .map((f) => SEG_RE.exec(f))
    .filter((m): m is RegExpExecArray => m !== null)
    .map((m) => Number(m[1]))
    .sort((a, b) => a - b);

  let nextId = 1;
  let entries: Entry[] = [];
  let bytes = 0;
  // Damage after the head, reported once: kept in the ack so that the next open does not count it again.
  const damaged: [number, number][] = [];
  // Damage found, with the seqs of the good records around it (file order, across segments).
  const found: { seg: number; region: DamagedRegion; afterSeq?: number; beforeSeq?: number }[] = [];
  let lastSeq: number | undefined;
  let scanned = 0;
  for (const [i, seg] of segs.entries()) {
    if (seg < ack.seg) {
      unlinkSync(segPath(seg)); // fully delivered before the last exit
      continue;
    }
    const buf = readFileSync(segPath(seg));
    const scan = scanSegment(buf, seg === ack.seg ? Math.min(ack.off, buf.length) : 0);
    scanned += scan.records.length;
    let d = 0;
    const foundUntil = (off: number) => {
      for (; d < scan.damaged.length && scan.damaged[d].off < off; d++) found.push({ seg, region: scan.damaged[d], afterSeq: lastSeq });
    };
    for (const r of scan.records) {
      foundUntil(r.off);
      for (let k = found.length - 1; k >= 0 && found[k].beforeSeq === undefined; k--) found[k].beforeSeq = r.seq;
      lastSeq = r.seq;
      if (removedAtOpen.has(key(seg, r.off))) continue;
      entries.push({ id: nextId++, seg, ...r, inFlight: false, removed: false });
      bytes += r.size;
    }
    foundUntil(Infinity);
    const last = i === segs.length - 1;
    // The last segment is appended to again: cut a damaged tail so that new records follow good ones.
    if (last && scan.goodEnd < buf.length) {
      const fd = openSync(segPath(seg), 'r+');
      try {
        ftruncateSync(fd, scan.goodEnd);
      } finally {
        closeSync(fd);
      }
    }
    for (const r of scan.damaged) if (!last || r.off < scan.goodEnd) damaged.push([seg, r.off]);
  }
  for (const { seg, region: r, afterSeq, beforeSeq } of found) {
    if (countedAtOpen.has(key(seg, r.off))) {
      log.debug('disk queue: damaged record already counted', { dir: o.dir, segment: seg, offset: r.off });
      continue;
    }
    const loss: QueueLoss = {
      segment: seg,
      offset: r.off,
      bytes: r.end - r.off,
      problem: r.problem,
      ...(r.record ? { seq: r.record.seq, samples: r.record.samples } : {}),
      ...(afterSeq !== undefined ? { afterSeq } : {}),
      ...(beforeSeq !== undefined ? { beforeSeq } : {}),
    };
    log.warn('disk queue: damaged record dropped', { dir: o.dir, ...loss, ...(r.record ? {} : { note: 'header unreadable: seq and samples unknown' }) });
    o.onCorrupt?.(loss);
  }
  if (typeof read === 'string' && segs.length > 0) {
    // At-least-once: without the ack every record on disk is sent again, delivered or not.
    log.warn('disk queue: ack file missing or unreadable; every record on disk is replayed, some may be delivered twice', {
      dir: o.dir,
      ack: read,
      segments: segs.length,
      records: scanned,
    });
  }

  let writeSeg = segs.length ? segs[segs.length - 1] : 1;
  let writeFd = openSync(segPath(writeSeg), 'a');
  let writeSize = fstatSync(writeFd).size;
  if (fsync === 'always' && segs.length === 0) syncDir();
  let dirty = false; // appended since the last fsync
  let rotateNext = false; // an append failed: the next one starts a new segment
  const readFds = new Map<number, number>();
  const readFd = (seg: number): number => {
    let fd = readFds.get(seg);
    if (fd === undefined) {
      fd = openSync(segPath(seg), 'r');
      readFds.set(seg, fd);
    }
    return fd;
  };

  const writeAck = (text: string) => {
    const tmp = `${ackPath}.tmp`;
    try {
      const fd = openSync(tmp, 'w');
      try {
        writeAll(fd, Buffer.from(text));
        if (fsync !== 'never') fdatasyncSync(fd);
      } finally {
        closeSync(fd);
      }
      renameSync(tmp, ackPath);
      if (fsync === 'always') syncDir();
    } catch (e) {
      try {
        unlinkSync(tmp);
      } catch {
        // nothing to clean
      }
      throw e;
    }
  };

  const rotate = () => {
    if (fsync !== 'never' && dirty) fdatasyncSync(writeFd);
    const fd = openSync(segPath(writeSeg + 1), 'a');
    try {
      closeSync(writeFd);
    } catch {
      // the old segment is complete on disk or fsync above has said otherwise
    }
    writeFd = fd;
    writeSeg++;
    writeSize = 0;
    dirty = false;
    rotateNext = false;
    if (fsync === 'always') syncDir();
  };
  let lastAck = '';
  let ackFailing = false;
  // Segments below this one are deleted (the directory is listed only when the head passes it).
  let lowestSeg = Math.min(writeSeg, ...segs.filter((seg) => seg >= ack.seg));
  /** Drops removed entries from the front, writes the ack file, deletes delivered segments; never throws. */
  const persist = () => {
    let k = 0;
    while (k < entries.length && entries[k].removed) k++;
    if (k > 0) entries = entries.slice(k);
    const head = entries[0];
    // All delivered after a failed append (a full disk?): a new segment lets the old one go now.
    if (!head && rotateNext && writeSize > 0) {
      try {
        rotate();
      } catch (e) {
        log.debug('disk queue: cannot start a new segment', { dir: o.dir, error: errText(e) });
      }
    }
    const a = head ? { seg: head.seg, off: head.off } : { seg: writeSeg, off: writeSize };
    const removed = entries.filter((e) => e.removed).map((e): [number, number] => [e.seg, e.off]);
    const stillAhead = damaged.filter(([s, f]) => s > a.seg || (s === a.seg && f >= a.off));
    damaged.splice(0, damaged.length, ...stillAhead);
    const text = JSON.stringify({ ...a, removed, damaged });
    if (text !== lastAck) {
      try {
        writeAck(text);
        lastAck = text;
        if (ackFailing) log.debug('disk queue: ack written again', { dir: o.dir });
        ackFailing = false;
      } catch (e) {
        if (!ackFailing) log.warn('disk queue: ack not written; delivered records may be sent again after a restart', { dir: o.dir, error: errText(e) });
        ackFailing = true;
      }
    }
    // Deleting delivered segments is safe even when the ack is stale (an old ack only replays
    // more), and frees space on a full disk.
    for (const [seg, fd] of readFds) {
      if (seg < a.seg) {
        readFds.delete(seg);
        try {
          closeSync(fd);
        } catch {
          // the segment is delivered: nothing of it is needed any more
        }
      }
    }
    if (a.seg <= lowestSeg) return;
    try {
      for (const f of readdirSync(o.dir)) {
        const m = SEG_RE.exec(f);
        if (m && Number(m[1]) < a.seg) unlinkSync(join(o.dir, f));
      }
      lowestSeg = a.seg;
    } catch (e) {
      log.debug('disk queue: delivered segment not deleted', { dir: o.dir, error: errText(e) });
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
  const append = (rec: Buffer) => {
    try {
      writeAll(writeFd, rec);
      if (fsync === 'always') fdatasyncSync(writeFd);
    } catch (e) {
      // Cut what a failed write left (ENOSPC after a short write); the next append starts a new
      // segment, so that this one can be deleted once delivered.
      rotateNext = true;
      try {
        ftruncateSync(writeFd, writeSize);
      } catch {
        // the bytes left are skipped as damage at the next open
      }
      throw e;
    }
  };

  return {
    push(p) {
      const rec = encodeRecord(p);
      try {
        if (writeSize > 0 && (rotateNext || writeSize + rec.length > segmentBytes)) rotate();
        append(rec);
      } catch (e) {
        throw ioError(o.dir, 'cannot append', e);
      }
      dirty = fsync !== 'always';
      entries.push({ id: nextId++, seg: writeSeg, off: writeSize, size: rec.length, bodyOff: HEADER, seq: p.seq, timestampMs: p.timestampMs, samples: p.samples, inFlight: false, removed: false });
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
      const picked: Entry[] = [];
      let size = 0;
      try {
        // batch: what was appended since the last round reaches the disk before it is sent.
        if (fsync === 'batch' && dirty) {
          fdatasyncSync(writeFd);
          dirty = false;
        }
        for (const e of entries) {
          if (out.length >= maxItems) break;
          if (e.removed || e.inFlight) continue;
          if (out.length > 0 && size + e.size > maxBytes) break;
          const body = Buffer.allocUnsafe(e.size - e.bodyOff);
          const n = readSync(readFd(e.seg), body, 0, body.length, e.off + e.bodyOff);
          if (n !== body.length) throw new Error(`segment ${e.seg} ends inside the record at ${e.off} (read ${n} of ${body.length} bytes)`);
          picked.push(e);
          size += e.size;
          out.push({ id: e.id, payload: payloadOf(e, body) });
        }
      } catch (e) {
        throw ioError(o.dir, 'cannot read', e);
      }
      for (const e of picked) e.inFlight = true;
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
      for (const fd of [writeFd, ...readFds.values()]) {
        try {
          if (fd === writeFd && fsync !== 'never') fdatasyncSync(fd);
          closeSync(fd);
        } catch (e) {
          log.warn('disk queue: close failed', { dir: o.dir, error: errText(e) });
        }
      }
      readFds.clear();
      releaseDirLock(lockPath);
    },
  };
}
