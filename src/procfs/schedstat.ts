import { fields, goUint, scanLines } from './goStrconv';

/** One CPU line of /proc/schedstat. */
export interface SchedstatCpu {
  readonly cpu: string;
  readonly runningNanoseconds: number;
  readonly waitingNanoseconds: number;
  readonly timeslices: number;
}

/**
 * Returns the CPU lines of /proc/schedstat: "cpuN" and nine counters, of which the last
 * three are running time, waiting time (ns) and timeslices; other lines are ignored.
 *   "cpu0 498494191 0 3533438552 2553969831 3853684107 2465731542 2045936778163039 343796328169361 4767485306"
 *     → { cpu: "0", runningNanoseconds: 2045936778163039, waitingNanoseconds: 343796328169361, timeslices: 4767485306 }
 */
export function parseSchedstat(text: string): SchedstatCpu[] {
  const out: SchedstatCpu[] = [];
  for (const line of scanLines(text)) {
    if (!line.startsWith('cpu')) continue;
    const f = fields(line);
    if (f.length < 10 || Number.isNaN(goUint(f[0].slice(3)))) continue;
    const v = f.slice(1, 10).map(goUint);
    if (v.some(Number.isNaN)) continue; // procfs matches the line with a regexp, so a bad one is not a CPU line
    out.push({ cpu: f[0].slice(3), runningNanoseconds: v[6], waitingNanoseconds: v[7], timeslices: v[8] });
  }
  return out;
}
