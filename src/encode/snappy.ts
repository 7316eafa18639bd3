/**
 * Snappy block format (not the framed format), as remote write 1.0 requires: a varint of
 * the uncompressed length, then literal and copy elements. The compressor works on 64 KiB
 * blocks with a 4-byte hash table, like the reference implementation's fast path.
 */

const MAX_BLOCK = 65536;
const INPUT_MARGIN = 15; // bytes left at a block's end so that 8-byte loads stay in bounds
const MIN_BLOCK_FOR_COPIES = 1 + 1 + INPUT_MARGIN;
const TABLE_BITS = 14;

/** Returns the largest compressed size for `n` input bytes. */
export const maxCompressedLength = (n: number): number => 32 + n + Math.floor(n / 6);

const load32 = (b: Uint8Array, i: number): number => b[i] | (b[i + 1] << 8) | (b[i + 2] << 16) | (b[i + 3] << 24);
const hash = (x: number): number => Math.imul(x, 0x1e35a7bd) >>> (32 - TABLE_BITS);

function emitLiteral(dst: Uint8Array, d: number, src: Uint8Array, from: number, to: number): number {
  const n = to - from - 1;
  if (n < 60) dst[d++] = n << 2;
  else if (n < 1 << 8) {
    dst[d++] = 60 << 2;
    dst[d++] = n;
  } else if (n < 1 << 16) {
    dst[d++] = 61 << 2;
    dst[d++] = n & 0xff;
    dst[d++] = n >>> 8;
  } else if (n < 1 << 24) {
    dst[d++] = 62 << 2;
    dst[d++] = n & 0xff;
    dst[d++] = (n >>> 8) & 0xff;
    dst[d++] = n >>> 16;
  } else {
    dst[d++] = 63 << 2;
    dst[d++] = n & 0xff;
    dst[d++] = (n >>> 8) & 0xff;
    dst[d++] = (n >>> 16) & 0xff;
    dst[d++] = n >>> 24;
  }
  if (to - from < 16) for (let i = from; i < to; i++) dst[d++] = src[i];
  else {
    dst.set(src.subarray(from, to), d);
    d += to - from;
  }
  return d;
}

function emitCopy(dst: Uint8Array, d: number, offset: number, length: number): number {
  // Copies of 2-byte offset carry at most 64 bytes; keep the last piece at 4 or more.
  while (length >= 68) {
    dst[d++] = (63 << 2) | 2;
    dst[d++] = offset & 0xff;
    dst[d++] = offset >>> 8;
    length -= 64;
  }
  if (length > 64) {
    dst[d++] = (59 << 2) | 2;
    dst[d++] = offset & 0xff;
    dst[d++] = offset >>> 8;
    length -= 60;
  }
  if (length >= 12 || offset >= 2048) {
    dst[d++] = ((length - 1) << 2) | 2;
    dst[d++] = offset & 0xff;
    dst[d++] = offset >>> 8;
  } else {
    dst[d++] = ((offset >>> 8) << 5) | ((length - 4) << 2) | 1;
    dst[d++] = offset & 0xff;
  }
  return d;
}

/** Compresses one block (≤ 64 KiB) of src[start, end) into dst at d; returns the new d. */
function compressBlock(src: Uint8Array, start: number, end: number, dst: Uint8Array, d: number, table: Int32Array): number {
  const len = end - start;
  if (len < MIN_BLOCK_FOR_COPIES) return emitLiteral(dst, d, src, start, end);
  table.fill(0);
  const sLimit = end - INPUT_MARGIN;
  let nextEmit = start;
  let s = start + 1;
  let nextHash = hash(load32(src, s));
  for (;;) {
    let skip = 32;
    let nextS = s;
    let candidate = 0;
    // Look for a 4-byte match, stepping faster through incompressible data.
    for (;;) {
      s = nextS;
      const step = skip >>> 5;
      nextS = s + step;
      skip += step;
      if (nextS > sLimit) return nextEmit < end ? emitLiteral(dst, d, src, nextEmit, end) : d;
      candidate = start + table[nextHash];
      table[nextHash] = s - start;
      nextHash = hash(load32(src, nextS));
      if (load32(src, s) === load32(src, candidate)) break;
    }
    d = emitLiteral(dst, d, src, nextEmit, s);
    // Emit copies while the bytes right after a copy match again.
    for (;;) {
      const base = s;
      s += 4;
      let i = candidate + 4;
      while (s < end && src[i] === src[s]) {
        i++;
        s++;
      }
      d = emitCopy(dst, d, base - candidate, s - base);
      nextEmit = s;
      if (s >= sLimit) return nextEmit < end ? emitLiteral(dst, d, src, nextEmit, end) : d;
      table[hash(load32(src, s - 1))] = s - 1 - start;
      const h = hash(load32(src, s));
      candidate = start + table[h];
      table[h] = s - start;
      if (load32(src, s) !== load32(src, candidate)) {
        nextHash = hash(load32(src, s + 1));
        s++;
        break;
      }
    }
  }
}

/** Returns `src` compressed in the snappy block format. */
export function snappyCompress(src: Uint8Array): Uint8Array {
  const dst = new Uint8Array(maxCompressedLength(src.length));
  let d = 0;
  let n = src.length;
  while (n >= 0x80) {
    dst[d++] = (n & 0x7f) | 0x80;
    n = Math.floor(n / 128);
  }
  dst[d++] = n;
  const table = new Int32Array(1 << TABLE_BITS);
  for (let p = 0; p < src.length; p += MAX_BLOCK) d = compressBlock(src, p, Math.min(src.length, p + MAX_BLOCK), dst, d, table);
  return dst.slice(0, d);
}

/** Returns the decompressed bytes of a snappy block; throws on corrupt input. */
export function snappyUncompress(src: Uint8Array): Uint8Array {
  let p = 0;
  let n = 0;
  let mul = 1;
  for (;;) {
    if (p >= src.length) throw new Error('snappy: corrupt input');
    const b = src[p++];
    n += (b & 0x7f) * mul;
    if (b < 0x80) break;
    mul *= 128;
  }
  const dst = new Uint8Array(n);
  let d = 0;
  while (p < src.length) {
    const t = src[p++];
    const kind = t & 3;
    if (kind === 0) {
      let len = t >>> 2;
      if (len >= 60) {
        const extra = len - 59;
        len = 0;
        for (let i = 0; i < extra; i++) len |= src[p++] << (8 * i);
        len >>>= 0;
      }
      len += 1;
      if (p + len > src.length || d + len > n) throw new Error('snappy: corrupt input');
      dst.set(src.subarray(p, p + len), d);
      p += len;
      d += len;
      continue;
    }
    let len: number;
    let off: number;
    if (kind === 1) {
      len = ((t >>> 2) & 7) + 4;
      off = ((t >>> 5) << 8) | src[p++];
    } else if (kind === 2) {
      len = (t >>> 2) + 1;
      off = src[p] | (src[p + 1] << 8);
      p += 2;
    } else {
      len = (t >>> 2) + 1;
      off = (src[p] | (src[p + 1] << 8) | (src[p + 2] << 16) | (src[p + 3] << 24)) >>> 0;
      p += 4;
    }
    if (off === 0 || off > d || d + len > n || p > src.length) throw new Error('snappy: corrupt input');
    for (let i = 0; i < len; i++, d++) dst[d] = dst[d - off];
  }
  if (d !== n) throw new Error('snappy: corrupt input');
  return dst;
}
