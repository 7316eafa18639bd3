import { closeSync, openSync, readSync } from 'node:fs';

const buf = Buffer.alloc(128);

/**
 * Returns the bytes of a sysfs attribute read with one 128-byte read, as procfs's
 * SysReadFile does (sysfs attributes may be longer on disk in fixtures, never in sysfs).
 * Throws the Node error (with its code) when it cannot be opened or read.
 */
export function readAttrBytes(path: string): Buffer {
  const fd = openSync(path, 'r');
  try {
    const n = readSync(fd, buf, 0, 128, null);
    return Buffer.from(buf.subarray(0, n));
  } finally {
    closeSync(fd);
  }
}

const isAsciiSpace = (c: number): boolean => c === 32 || (c >= 9 && c <= 13);

/** Returns the bytes without leading and trailing ASCII whitespace (Go's bytes.TrimSpace on ASCII). */
export function trimSpaceBytes(b: Buffer): Buffer {
  let s = 0;
  let e = b.length;
  while (s < e && isAsciiSpace(b[s])) s++;
  while (e > s && isAsciiSpace(b[e - 1])) e--;
  return b.subarray(s, e);
}
