import { RxporterError } from '../errors';
import { goFloat, trimSpace } from './goStrconv';

/**
 * Returns the allocated and maximum file handles of /proc/sys/fs/file-nr (three
 * tab-separated numbers: allocated, unused, maximum).
 *   "1024\t0\t1631329\n" → { allocated: 1024, maximum: 1631329 }
 * Throws RXP_PROC_PARSE quoting the text for fewer than three fields or a non-number.
 */
export function parseFileNr(text: string): { allocated: number; maximum: number } {
  const parts = trimSpace(text).split('\t');
  if (parts.length < 3) throw new RxporterError('RXP_PROC_PARSE', `file-nr: unexpected number of file stats in ${JSON.stringify(text)}`);
  const a = goFloat(parts[0]);
  const m = goFloat(parts[2]);
  if (!a.ok || !m.ok) throw new RxporterError('RXP_PROC_PARSE', `file-nr: invalid value in ${JSON.stringify(text)}`);
  return { allocated: a.value, maximum: m.value };
}
