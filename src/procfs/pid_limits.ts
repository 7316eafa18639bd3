import { RxporterError } from '../errors';
import { goUint } from './goStrconv';

/** "unlimited" as prometheus/procfs reads it (-1) seen through Go's uint64: 2^64 - 1. */
export const UNLIMITED = 18446744073709551615;

/**
 * Returns the soft limit on open files of a /proc/<pid>/limits text (the "Max open files"
 * row), UNLIMITED for "unlimited".
 *   "Limit   Soft Limit   Hard Limit   Units\n…\nMax open files   1024   524288   files\n" → 1024
 * Throws RXP_PROC_PARSE quoting the text when the row is missing or its value is not a number.
 */
export function parsePidLimitsOpenFiles(text: string): number {
  const at = text.indexOf('\nMax open files');
  if (at >= 0) {
    const end = text.indexOf('\n', at + 1);
    // Columns are aligned with spaces; the name has spaces too, so cut it off first.
    const soft = text.slice(at + '\nMax open files'.length, end < 0 ? text.length : end).trim().split(/\s+/)[0];
    const v = soft === 'unlimited' ? UNLIMITED : goUint(soft);
    if (!Number.isNaN(v)) return v;
  }
  throw new RxporterError('RXP_PROC_PARSE', `limits: no "Max open files" value ${JSON.stringify(text.slice(0, 400))}`);
}
