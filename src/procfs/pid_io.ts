import { RxporterError } from '../errors';
import { goUint } from './goStrconv';

/** The storage I/O of a process from /proc/<pid>/io (proc(5)), in bytes. */
export interface PidIO {
  readonly readBytes: number;
  readonly writeBytes: number;
}

/**
 * Returns read_bytes and write_bytes of a /proc/<pid>/io text (bytes fetched from and sent
 * to the storage layer).
 *   "rchar: 323934931\n…\nread_bytes: 16384\nwrite_bytes: 4096\ncancelled_write_bytes: 0\n"
 *     → { readBytes: 16384, writeBytes: 4096 }
 * Throws RXP_PROC_PARSE quoting the text when either line is missing or not a number.
 */
export function parsePidIO(text: string): PidIO {
  const value = (key: string): number => {
    const at = `\n${text}`.indexOf(`\n${key}`); // the position in text of the line
    if (at < 0) return NaN;
    const end = text.indexOf('\n', at);
    return goUint(text.slice(at + key.length, end < 0 ? text.length : end).trim());
  };
  const readBytes = value('read_bytes:');
  const writeBytes = value('write_bytes:');
  if (Number.isNaN(readBytes) || Number.isNaN(writeBytes)) throw new RxporterError('RXP_PROC_PARSE', `io: unexpected format ${JSON.stringify(text)}`);
  return { readBytes, writeBytes };
}
