import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { RxporterError } from '../errors';

const byteOrder = (a: string, b: string): number => (a < b ? -1 : a > b ? 1 : 0);

/**
 * Returns the entry names of `<root>/<rel>` sorted bytewise (as Go's filepath.Glob and
 * os.ReadDir list them), or [] when the directory does not exist (a glob matches nothing
 * then). Throws RXP_PROC_READ on any other failure.
 */
export function listDir(root: string, rel: string): string[] {
  const path = join(root, rel);
  try {
    return readdirSync(path).sort(byteOrder);
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    if (code === 'ENOENT' || code === 'ENOTDIR') return [];
    throw new RxporterError('RXP_PROC_READ', `${path}: ${(e as Error).message}`, false, { cause: e });
  }
}

/** Returns true when `e` says a file or directory is not there (it vanished or never was). */
export const isMissing = (e: unknown): boolean => e instanceof RxporterError && e.code === 'RXP_PROC_MISSING';
