import { RxporterError } from '../errors';
import { goUint } from './goStrconv';

/** What the process collector reads from /proc/<pid>/status (proc(5)). */
export interface PidStatus {
  /** The four uids of the "Uid:" line: real, effective, saved set, filesystem. */
  readonly uids: readonly number[];
  /** VmSwap in bytes (0 when the line is absent, as for kernel threads). */
  readonly vmSwapBytes: number;
  readonly voluntaryCtxtSwitches: number;
  readonly nonvoluntaryCtxtSwitches: number;
}

/**
 * Returns the uids, swap and context switch counts of a /proc/<pid>/status text; lines it
 * does not use are skipped, absent counters are 0 (as prometheus/procfs's ProcStatus).
 *   "Uid:\t1000\t1000\t1000\t1000\nVmSwap:\t      12 kB\nvoluntary_ctxt_switches:\t7\n…"
 *     → { uids: [1000, 1000, 1000, 1000], vmSwapBytes: 12288, voluntaryCtxtSwitches: 7, … }
 * Throws RXP_PROC_PARSE quoting the line when the Uid line is missing (a truncated file)
 * or a used value is not a number.
 */
export function parsePidStatus(text: string): PidStatus {
  let uids: number[] | undefined;
  let vmSwapBytes = 0;
  let voluntary = 0;
  let nonvoluntary = 0;
  const bad = (line: string) => new RxporterError('RXP_PROC_PARSE', `status: invalid line ${JSON.stringify(line)}`);
  for (const line of text.split('\n')) {
    const colon = line.indexOf(':');
    if (colon < 0) continue;
    const key = line.slice(0, colon);
    if (key !== 'Uid' && key !== 'VmSwap' && key !== 'voluntary_ctxt_switches' && key !== 'nonvoluntary_ctxt_switches') continue;
    const values = line.slice(colon + 1).trim().split(/\s+/);
    if (key === 'Uid') {
      uids = values.map(goUint);
      if (uids.length < 4 || uids.some(Number.isNaN)) throw bad(line);
      continue;
    }
    const v = goUint(values[0]);
    if (Number.isNaN(v)) throw bad(line);
    if (key === 'VmSwap') vmSwapBytes = v * 1024; // always in kB
    else if (key === 'voluntary_ctxt_switches') voluntary = v;
    else nonvoluntary = v;
  }
  if (!uids) throw new RxporterError('RXP_PROC_PARSE', `status: no Uid line ${JSON.stringify(text.slice(0, 200))}`);
  return { uids, vmSwapBytes, voluntaryCtxtSwitches: voluntary, nonvoluntaryCtxtSwitches: nonvoluntary };
}
