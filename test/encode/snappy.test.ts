import { randomBytes } from 'node:crypto';
import { maxCompressedLength, snappyCompress, snappyUncompress } from '../../src/encode/snappy';

const text = (n: number): Uint8Array => {
  let s = '';
  for (let i = 0; s.length < n; i++) s += `node_cpu_seconds_total{cpu="${i % 16}",mode="idle",nodeName="n1"} ${i * 1.5} 1700000000000\n`;
  return Buffer.from(s.slice(0, n));
};

describe('snappy block format', () => {
  it.each([
    ['empty', new Uint8Array(0)],
    ['one byte', Uint8Array.of(7)],
    ['16 bytes (no copies)', text(16)],
    ['a run of one byte', new Uint8Array(100_000).fill(97)],
    ['repetitive text over several 64 KiB blocks', text(300_000)],
    ['random bytes', new Uint8Array(randomBytes(70_000))],
  ])('round-trips %s', (_name, input) => {
    const c = snappyCompress(input);
    expect(c.length).toBeLessThanOrEqual(maxCompressedLength(input.length));
    expect(Buffer.from(snappyUncompress(c)).equals(Buffer.from(input))).toBe(true);
  });

  it('compresses repetitive metrics text at least 4×', () => {
    const input = text(200_000);
    expect(snappyCompress(input).length * 4).toBeLessThan(input.length);
  });

  it('starts with the uncompressed length as a varint', () => {
    expect([...snappyCompress(new Uint8Array(300)).subarray(0, 2)]).toEqual([0xac, 0x02]);
  });

  it('decodes a hand-made block: literal then a 1-byte-offset copy', () => {
    // "abcd" literal, then copy offset 4 length 4 → "abcdabcd"
    const block = Uint8Array.of(8, 3 << 2, 97, 98, 99, 100, (0 << 5) | (0 << 2) | 1, 4);
    expect(Buffer.from(snappyUncompress(block)).toString()).toBe('abcdabcd');
  });

  it.each([
    ['a truncated literal', Uint8Array.of(5, 4 << 2, 97)],
    ['a copy before any output', Uint8Array.of(4, 1, 1)],
    ['a length shorter than the data', Uint8Array.of(1, 1 << 2, 97, 98)],
    ['an empty buffer', new Uint8Array(0)],
  ])('rejects %s', (_name, input) => {
    expect(() => snappyUncompress(input)).toThrow('snappy: corrupt input');
  });
});
