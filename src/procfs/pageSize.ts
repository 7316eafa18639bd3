import { readFileSync } from 'node:fs';
import { arch, endianness } from 'node:os';

let cached: number | undefined;

/** AT_PAGESZ, the auxiliary vector entry holding the system page size. */
const AT_PAGESZ = 6;

/**
 * Returns the page size in bytes from an auxiliary vector (/proc/self/auxv): pairs of
 * native words (type, value), 8 bytes each on 64-bit machines. Returns undefined when
 * AT_PAGESZ is not there.
 */
export function pageSizeFromAuxv(buf: Buffer, wordBytes: 4 | 8 = 8, littleEndian = true): number | undefined {
  const word = (off: number): number =>
    wordBytes === 8
      ? Number(littleEndian ? buf.readBigUInt64LE(off) : buf.readBigUInt64BE(off))
      : littleEndian
        ? buf.readUInt32LE(off)
        : buf.readUInt32BE(off);
  for (let off = 0; off + 2 * wordBytes <= buf.length; off += 2 * wordBytes) {
    const type = word(off);
    if (type === 0) break; // AT_NULL ends the vector
    if (type === AT_PAGESZ) return word(off + wordBytes);
  }
  return undefined;
}

/**
 * Returns this process's page size (Go's os.Getpagesize()), read once from the live
 * /proc/self/auxv (it cannot change while the process lives); 4096 when that is unreadable.
 */
export function hostPageSize(): number {
  if (cached !== undefined) return cached;
  let size: number | undefined;
  try {
    const is64 = ['x64', 'arm64', 'ppc64', 's390x', 'riscv64', 'loong64', 'mips64el'].includes(arch());
    size = pageSizeFromAuxv(readFileSync('/proc/self/auxv'), is64 ? 8 : 4, endianness() === 'LE');
  } catch {
    size = undefined;
  }
  cached = size !== undefined && size > 0 ? size : 4096;
  return cached;
}
