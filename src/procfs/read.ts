import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { defer, Observable, of } from 'rxjs';
import { RxporterError } from '../errors';

/**
 * Returns the text of `<root>/<rel>`, read synchronously: /proc and /sys files are small
 * and served by the kernel from memory, so a synchronous read is faster than a promise
 * and never occupies libuv's thread pool (which hung mounts may exhaust).
 * Throws RXP_PROC_MISSING when the file does not exist, RXP_PROC_READ otherwise.
 */
export function readProcText(root: string, rel: string): string {
  const path = join(root, rel);
  try {
    return readFileSync(path, 'utf8');
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    if (code === 'ENOENT' || code === 'ENOTDIR') {
      throw new RxporterError('RXP_PROC_MISSING', `${path}: no such file`, false, { cause: e });
    }
    throw new RxporterError('RXP_PROC_READ', `${path}: ${(e as Error).message}`, false, { cause: e });
  }
}

/** Returns a cold observable that reads `<root>/<rel>` on subscribe and emits its text once. */
export const readProc = (root: string, rel: string): Observable<string> =>
  defer(() => of(readProcText(root, rel)));
