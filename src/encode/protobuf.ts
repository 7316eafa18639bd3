/**
 * A minimal protobuf writer: varints, doubles, length-delimited bytes into one growing buffer.
 * Enough for remote write's WriteRequest; nested messages are written after their sizes are known.
 */
export class ProtoWriter {
  buf: Uint8Array;
  pos = 0;
  private view: DataView;

  constructor(initial = 64 * 1024) {
    this.buf = new Uint8Array(initial);
    this.view = new DataView(this.buf.buffer);
  }

  /** Makes room for `n` more bytes. */
  ensure(n: number): void {
    if (this.pos + n <= this.buf.length) return;
    let size = this.buf.length * 2;
    while (size < this.pos + n) size *= 2;
    const next = new Uint8Array(size);
    next.set(this.buf.subarray(0, this.pos));
    this.buf = next;
    this.view = new DataView(next.buffer);
  }

  /** Writes an unsigned varint (up to 2⁵³). */
  varint(v: number): void {
    this.ensure(10);
    const b = this.buf;
    let p = this.pos;
    while (v > 0x7fffffff) {
      b[p++] = (v % 128) | 0x80;
      v = Math.floor(v / 128);
    }
    while (v > 0x7f) {
      b[p++] = (v & 0x7f) | 0x80;
      v >>>= 7;
    }
    b[p++] = v;
    this.pos = p;
  }

  /** Writes an int64 varint; negative values take ten bytes as protobuf requires. */
  int64(v: number): void {
    if (v >= 0) return this.varint(v);
    const big = BigInt.asUintN(64, BigInt(Math.trunc(v)));
    this.ensure(10);
    let x = big;
    while (x > 0x7fn) {
      this.buf[this.pos++] = Number(x & 0x7fn) | 0x80;
      x >>= 7n;
    }
    this.buf[this.pos++] = Number(x);
  }

  /** Writes a little-endian double; every NaN as the canonical quiet NaN 0x7ff8000000000000. */
  double(v: number): void {
    this.ensure(8);
    if (v !== v) {
      // Never Prometheus' stale marker 0x7ff0000000000002: a NaN sample is an ordinary NaN.
      this.view.setUint32(this.pos, 0, true);
      this.view.setUint32(this.pos + 4, 0x7ff80000, true);
    } else this.view.setFloat64(this.pos, v, true);
    this.pos += 8;
  }

  /** Writes raw bytes. */
  bytes(b: Uint8Array): void {
    this.ensure(b.length);
    this.buf.set(b, this.pos);
    this.pos += b.length;
  }

  /** Returns a copy of what was written. */
  finish(): Uint8Array {
    return this.buf.slice(0, this.pos);
  }
}

/** Returns the encoded size of an unsigned varint. */
export const varintSize = (v: number): number => {
  let n = 1;
  while (v >= 128) {
    v = Math.floor(v / 128);
    n++;
  }
  return n;
};

/** Returns the size of an int64 varint (ten bytes when negative). */
export const int64Size = (v: number): number => (v < 0 ? 10 : varintSize(v));

const utf8 = new TextEncoder();

/**
 * Returns `s` as UTF-8 bytes, cached: label names and values repeat in every snapshot,
 * so after the first one encoding a string is a copy. The cache is cleared when it grows past `max`.
 */
export class StringBytesCache {
  private map = new Map<string, Uint8Array>();
  constructor(private readonly max = 200_000) {}
  get(s: string): Uint8Array {
    let b = this.map.get(s);
    if (b === undefined) {
      if (this.map.size >= this.max) this.map = new Map();
      b = utf8.encode(s);
      this.map.set(s, b);
    }
    return b;
  }
}

/** A field tag byte: (field << 3) | wire type. */
export const tag = (field: number, wireType: 0 | 1 | 2 | 5): number => (field << 3) | wireType;

/** A minimal protobuf reader, for tests and for inspecting payloads. */
export class ProtoReader {
  pos = 0;
  private readonly view: DataView;
  constructor(readonly buf: Uint8Array, readonly end = buf.length) {
    this.view = new DataView(buf.buffer, buf.byteOffset, buf.byteLength);
  }
  done(): boolean {
    return this.pos >= this.end;
  }
  varint(): number {
    let v = 0;
    let mul = 1;
    for (;;) {
      if (this.pos >= this.end) throw new Error('protobuf: truncated varint');
      const b = this.buf[this.pos++];
      v += (b & 0x7f) * mul;
      if (b < 0x80) return v;
      mul *= 128;
    }
  }
  /** Reads an int64 varint, negative values included. */
  int64(): number {
    let v = 0n;
    let shift = 0n;
    for (;;) {
      if (this.pos >= this.end) throw new Error('protobuf: truncated varint');
      const b = this.buf[this.pos++];
      v |= BigInt(b & 0x7f) << shift;
      if (b < 0x80) return Number(BigInt.asIntN(64, v));
      shift += 7n;
    }
  }
  double(): number {
    const v = this.view.getFloat64(this.pos, true);
    this.pos += 8;
    return v;
  }
  /** Returns the raw 8 bytes of a double as a bigint (to tell NaN payloads apart). */
  doubleBits(): bigint {
    const v = this.view.getBigUint64(this.pos, true);
    this.pos += 8;
    return v;
  }
  bytes(): Uint8Array {
    const n = this.varint();
    const b = this.buf.subarray(this.pos, this.pos + n);
    this.pos += n;
    return b;
  }
  skip(wireType: number): void {
    if (wireType === 0) this.varint();
    else if (wireType === 1) this.pos += 8;
    else if (wireType === 2) this.pos += this.varint();
    else if (wireType === 5) this.pos += 4;
    else throw new Error(`protobuf: wire type ${wireType}`);
  }
}
