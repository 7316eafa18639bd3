import { closeSync, existsSync, openSync, readdirSync, readSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { RxporterError } from '../errors';
import { joinPath, readProcText, withoutStacks } from '../procfs/read';
import { byteOrder, goUint, trimSpace } from '../procfs/goStrconv';
import { parseValueOrNone } from './parse';

const wrap = (path: string, e: unknown): RxporterError => {
  const code = (e as NodeJS.ErrnoException).code;
  return withoutStacks(() =>
    code === 'ENOENT' || code === 'ENOTDIR'
      ? new RxporterError('RXP_PROC_MISSING', `${path}: no such file`, false, { cause: e })
      : new RxporterError('RXP_PROC_READ', `${path}: ${(e as Error).message}`, false, { cause: e }),
  );
};

const attrBuffer = Buffer.alloc(128);

/**
 * Returns the trimmed text of the sysfs attribute `<root>/<rel>` as procfs' SysReadFile
 * reads it: one read of at most 128 bytes (a broken driver answering EAGAIN fails at once
 * instead of being polled). Throws RXP_PROC_MISSING when absent, RXP_PROC_READ otherwise.
 */
export function readSysAttr(root: string, rel: string): string {
  const path = joinPath(root, rel);
  let fd: number;
  try {
    fd = withoutStacks(() => openSync(path, 'r'));
  } catch (e) {
    throw wrap(path, e);
  }
  try {
    const n = withoutStacks(() => readSync(fd, attrBuffer, 0, attrBuffer.length, null));
    return trimSpace(attrBuffer.toString('utf8', 0, n));
  } catch (e) {
    throw wrap(path, e);
  } finally {
    closeSync(fd);
  }
}

/**
 * Returns the unsigned integer in `<root>/<rel>` (whole file, trimmed), as node_exporter's
 * readUintFromFile. Throws RXP_PROC_MISSING when absent, RXP_PROC_PARSE quoting a non-number.
 */
export function readUintFile(root: string, rel: string): number {
  const text = trimSpace(readProcText(root, rel));
  const v = goUint(text);
  if (Number.isNaN(v)) throw new RxporterError('RXP_PROC_PARSE', `${join(root, rel)}: not an unsigned integer: ${JSON.stringify(text)}`);
  return v;
}

/**
 * Returns readUintFile's value, or undefined when the file does not exist or holds the
 * kernel's "no value" marker (`<unknown>`, `N/A…`, empty: procfs/noValue.ts), so that one
 * value is left out instead of failing the collector. Optional sysfs files are often
 * absent; a stat is several times cheaper than a failed open, whose error object Node
 * builds with a stack trace. Throws RXP_PROC_PARSE quoting any other non-number.
 */
export function readUintIfExists(root: string, rel: string): number | undefined {
  if (!existsSync(joinPath(root, rel))) return undefined;
  let text: string;
  try {
    text = trimSpace(readProcText(root, rel));
  } catch (e) {
    if (isMissingError(e)) return undefined; // vanished between the stat and the read
    throw e;
  }
  return parseValueOrNone(text, goUint, `${join(root, rel)}: not an unsigned integer`);
}

/** Returns true when `e` is RXP_PROC_MISSING (a file or directory that is not there). */
export const isMissingError = (e: unknown): boolean => e instanceof RxporterError && e.code === 'RXP_PROC_MISSING';

/**
 * Returns the names in `<root>/<rel>` that start with `prefix` followed by a digit (the glob
 * `<prefix>[0-9]*`), sorted bytewise as filepath.Glob returns them. A missing directory
 * gives [] (Glob does not fail on it); another read error throws RXP_PROC_READ.
 */
export function globNumbered(root: string, rel: string, prefix: string): string[] {
  const path = joinPath(root, rel);
  let names: string[];
  try {
    names = withoutStacks(() => readdirSync(path));
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    if (code === 'ENOENT' || code === 'ENOTDIR') return [];
    throw wrap(path, e);
  }
  const out: string[] = [];
  for (const n of names) {
    if (!n.startsWith(prefix)) continue;
    const c = n.charCodeAt(prefix.length);
    if (c >= 48 && c <= 57) out.push(n);
  }
  return out.sort(byteOrder);
}

/** Returns the names in `<root>/<rel>` sorted bytewise (the glob `*`); [] when it is missing. */
export function globAll(root: string, rel: string): string[] {
  const path = joinPath(root, rel);
  try {
    return withoutStacks(() => readdirSync(path)).sort(byteOrder); // Go's * matches dot files too
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    if (code === 'ENOENT' || code === 'ENOTDIR') return [];
    throw wrap(path, e);
  }
}

/** Returns true when `<root>/<rel>` exists (following symlinks). */
export function pathExists(root: string, rel: string): boolean {
  try {
    return statSync(joinPath(root, rel), { throwIfNoEntry: false }) !== undefined;
  } catch {
    return false;
  }
}
