import { readdirSync, readlinkSync, statSync, type Dirent } from 'node:fs';
import { RxporterError } from '../errors';
import { joinPath, readProcText, withoutStacks } from '../procfs/read';

/** Returns true for an RXP_PROC_MISSING error (a file or directory that is not there). */
export const isMissing = (e: unknown): boolean => e instanceof RxporterError && e.code === 'RXP_PROC_MISSING';

const wrap = (path: string, e: unknown): RxporterError => {
  const code = (e as NodeJS.ErrnoException).code;
  return withoutStacks(() =>
    code === 'ENOENT' || code === 'ENOTDIR'
      ? new RxporterError('RXP_PROC_MISSING', `${path}: no such file or directory`, false, { cause: e })
      : new RxporterError('RXP_PROC_READ', `${path}: ${(e as Error).message}`, false, { cause: e }),
  );
};

/**
 * Returns the entry names of `<root>/<rel>` sorted bytewise (as Go's os.ReadDir).
 * Throws RXP_PROC_MISSING when the directory does not exist, RXP_PROC_READ otherwise.
 */
export function listDir(root: string, rel: string): string[] {
  const path = joinPath(root, rel);
  try {
    return withoutStacks(() => readdirSync(path)).sort(byteOrder);
  } catch (e) {
    throw wrap(path, e);
  }
}

/** Returns the entries of `<root>/<rel>` with their types, sorted bytewise by name. */
export function listDirents(root: string, rel: string): Dirent[] {
  const path = joinPath(root, rel);
  try {
    return withoutStacks(() => readdirSync(path, { withFileTypes: true })).sort((a, b) => byteOrder(a.name, b.name));
  } catch (e) {
    throw wrap(path, e);
  }
}

/** Returns the names under `<root>/<rel>`, or [] when that directory does not exist. */
export function listDirOrEmpty(root: string, rel: string): string[] {
  try {
    return listDir(root, rel);
  } catch (e) {
    if (isMissing(e)) return [];
    throw e;
  }
}

/** Compares two strings by UTF-16 code units, which orders ASCII names as Go's byte order does. */
export const byteOrder = (a: string, b: string): number => (a < b ? -1 : a > b ? 1 : 0);

/** Returns the text of `<root>/<rel>` without surrounding whitespace (as Go's strings.TrimSpace). */
export const readTrimmed = (root: string, rel: string): string => readProcText(root, rel).trim();

/** Returns the trimmed text of `<root>/<rel>`, or undefined when the file is missing. */
export function readOptional(root: string, rel: string): string | undefined {
  try {
    return readProcText(root, rel).trim();
  } catch (e) {
    if (isMissing(e)) return undefined;
    throw e;
  }
}

/** Returns the target of the symlink `<root>/<rel>`; throws RXP_PROC_MISSING when it is absent. */
export function readLink(root: string, rel: string): string {
  const path = joinPath(root, rel);
  try {
    return withoutStacks(() => readlinkSync(path));
  } catch (e) {
    throw wrap(path, e);
  }
}

/** Returns true when `<root>/<rel>` exists (following symlinks) and is a directory. */
export function isDir(root: string, rel: string): boolean {
  try {
    return statSync(joinPath(root, rel), { throwIfNoEntry: false })?.isDirectory() ?? false;
  } catch {
    return false;
  }
}

/** Returns true when `<root>/<rel>` exists (following symlinks). */
export function exists(root: string, rel: string): boolean {
  try {
    return statSync(joinPath(root, rel), { throwIfNoEntry: false }) !== undefined;
  } catch {
    return false;
  }
}
