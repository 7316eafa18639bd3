import { RxporterError } from '../errors';
import { goUint } from './goStrconv';

/** Proportional memory of a process from /proc/<pid>/smaps_rollup (or smaps), in bytes. */
export interface PidSmaps {
  /** Proportional set size: each resident page divided by the number of processes mapping it. */
  readonly pssBytes: number;
  /** The same for swapped-out pages. */
  readonly swapPssBytes: number;
}

/**
 * Returns the Pss and SwapPss of a /proc/<pid>/smaps_rollup text, summed over every line
 * (so /proc/<pid>/smaps, one block per mapping, gives the same totals, as
 * prometheus/procfs does on kernels before 4.14). An empty text (a kernel thread) is zero.
 *   "…\nPss:                 668 kB\n…\nSwapPss:               0 kB\n" → { pssBytes: 684032, swapPssBytes: 0 }
 * Throws RXP_PROC_PARSE quoting the line when a value is not a number.
 */
export function parsePidSmaps(text: string): PidSmaps {
  let pss = 0;
  let swapPss = 0;
  for (const key of ['\nPss:', '\nSwapPss:']) {
    let at = text.indexOf(key);
    while (at >= 0) {
      const end = text.indexOf('\n', at + 1);
      const line = text.slice(at + 1, end < 0 ? text.length : end);
      const v = goUint(line.slice(key.length - 1).trim().split(/\s+/)[0]);
      if (Number.isNaN(v)) throw new RxporterError('RXP_PROC_PARSE', `smaps: invalid line ${JSON.stringify(line)}`);
      if (key === '\nPss:') pss += v * 1024;
      else swapPss += v * 1024;
      at = end < 0 ? -1 : text.indexOf(key, end);
    }
  }
  return { pssBytes: pss, swapPssBytes: swapPss };
}
