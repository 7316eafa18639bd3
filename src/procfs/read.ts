import { closeSync, constants, openSync, readSync } from 'node:fs';
import { join } from 'node:path';
import { defer, Observable, of } from 'rxjs';
import { RxporterError } from '../errors';

const normalRoots = new Map<string, boolean>();

/**
 * Returns `<root>/<rel>` as path.join does, without its normalisation work when there is
 * nothing to normalise (a clean root and a relative path without `.`, `..` or `//` parts),
 * which is every path the collectors build; anything else goes through path.join.
 */
export function joinPath(root: string, rel: string): string {
  let clean = normalRoots.get(root);
  if (clean === undefined) {
    clean = root !== '' && root !== '/' && root !== '.' && join(root) === root && !root.endsWith('/');
    if (normalRoots.size < 64) normalRoots.set(root, clean);
  }
  if (
    clean &&
    rel !== '' &&
    rel.charCodeAt(0) !== 46 && // '.'
    rel.charCodeAt(0) !== 47 && // '/'
    rel.charCodeAt(rel.length - 1) !== 47 &&
    rel.indexOf('/.') < 0 &&
    rel.indexOf('//') < 0
  ) {
    return `${root}/${rel}`;
  }
  return join(root, rel);
}

/**
 * Returns `f()`, with stack traces off while it runs: the errors of an expected failure
 * (a missing file, an attribute a driver does not support) are caught and wrapped, and a
 * captured stack would cost more than the failed system call itself.
 */
export function withoutStacks<T>(f: () => T): T {
  const limit = Error.stackTraceLimit;
  Error.stackTraceLimit = 0;
  try {
    return f();
  } finally {
    Error.stackTraceLimit = limit;
  }
}

const INITIAL = 64 * 1024;
/** One buffer for every read: the reads are synchronous, so they never overlap. */
let shared = Buffer.allocUnsafe(INITIAL);

const wrapOpen = (path: string, e: unknown): RxporterError => {
  const code = (e as NodeJS.ErrnoException).code;
  return withoutStacks(() =>
    code === 'ENOENT' || code === 'ENOTDIR'
      ? new RxporterError('RXP_PROC_MISSING', `${path}: no such file`, false, { cause: e })
      : new RxporterError('RXP_PROC_READ', `${path}: ${(e as Error).message}`, false, { cause: e }),
  );
};

/**
 * Returns the whole text of the file at `path` (read until end of file: /proc files
 * report size 0), through one shared buffer that grows for a large file and is given
 * back after it. With `shortReadIsEnd`, a read that returns less than it asked for ends
 * the file, which saves the last read() call: true for regular files and for /proc files
 * the kernel renders whole at open or first read (seq_file single_open: <pid>/stat,
 * status, io, limits, wchan, cgroup, smaps_rollup; <pid>/cmdline), not for multi-record
 * seq_files such as <pid>/smaps or /proc/mounts, which return a page at a time.
 * Throws RXP_PROC_MISSING when the file does not exist, RXP_PROC_READ otherwise.
 */
export function readFileText(path: string, shortReadIsEnd = false): string {
  const limit = Error.stackTraceLimit;
  Error.stackTraceLimit = 0;
  let fd: number;
  try {
    fd = openSync(path, constants.O_RDONLY);
  } catch (e) {
    throw wrapOpen(path, e);
  } finally {
    Error.stackTraceLimit = limit;
  }
  let n = 0;
  try {
    Error.stackTraceLimit = 0;
    for (;;) {
      if (n === shared.length) {
        const bigger = Buffer.allocUnsafe(shared.length * 2);
        shared.copy(bigger, 0, 0, n);
        shared = bigger;
      }
      const want = shared.length - n;
      const r = readSync(fd, shared, n, want, null);
      if (r === 0) break;
      n += r;
      if (shortReadIsEnd && r < want) break;
    }
  } catch (e) {
    throw withoutStacks(() => new RxporterError('RXP_PROC_READ', `${path}: ${(e as Error).message}`, false, { cause: e }));
  } finally {
    Error.stackTraceLimit = limit;
    closeSync(fd);
  }
  const text = shared.toString('utf8', 0, n);
  if (shared.length > 16 * INITIAL) shared = Buffer.allocUnsafe(INITIAL); // do not keep a huge one
  return text;
}

/**
 * Returns the text of `<root>/<rel>`, read synchronously: /proc and /sys files are small
 * and served by the kernel from memory, so a synchronous read is faster than a promise
 * and never occupies libuv's thread pool (which hung mounts may exhaust).
 * Throws RXP_PROC_MISSING when the file does not exist, RXP_PROC_READ otherwise.
 */
export function readProcText(root: string, rel: string): string {
  return readFileText(joinPath(root, rel));
}

/** Returns a cold observable that reads `<root>/<rel>` on subscribe and emits its text once. */
export const readProc = (root: string, rel: string): Observable<string> =>
  defer(() => of(readProcText(root, rel)));
