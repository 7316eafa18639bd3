import { closeSync, constants, openSync, readSync } from 'node:fs';
import { RxporterError } from '../errors';
import { readFileText, withoutStacks } from '../procfs/read';

const buffer = Buffer.allocUnsafe(16 * 1024);

const readError = (path: string, e: unknown): RxporterError =>
  withoutStacks(() => new RxporterError('RXP_PROC_READ', `${path}: ${(e as Error).message}`, false, { cause: e }));

/**
 * Returns the text of the cgroup (or /proc) file at `path`, or undefined when it does not
 * exist (a controller not enabled for the cgroup, or the cgroup removed). One read(2) into a
 * 16 KiB buffer: cgroup and /proc files are seq_files, whose read fills the caller's buffer
 * up to its end or to the end of the file (fs/seq_file.c, seq_read_iter), so a read that
 * returns less than the buffer has everything; a full buffer falls back to reading to end of
 * file. Saves the final empty read of readFileText, a quarter of the system calls: the
 * container collector reads a dozen files per container.
 * Throws RXP_PROC_READ for a failure other than a missing file.
 */
export function readCgroupFile(path: string): string | undefined {
  let fd: number;
  try {
    fd = withoutStacks(() => openSync(path, constants.O_RDONLY));
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    if (code === 'ENOENT' || code === 'ENOTDIR') return undefined;
    throw readError(path, e);
  }
  let n: number;
  try {
    n = withoutStacks(() => readSync(fd, buffer, 0, buffer.length, null));
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    if (code === 'ENODEV') return undefined; // the cgroup was removed while the file was open
    throw readError(path, e);
  } finally {
    closeSync(fd);
  }
  if (n < buffer.length) return buffer.toString('utf8', 0, n);
  try {
    return readFileText(path);
  } catch (e) {
    if (e instanceof RxporterError && e.code === 'RXP_PROC_MISSING') return undefined;
    throw e;
  }
}
