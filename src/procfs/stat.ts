import { RxporterError } from '../errors';
import { fields, goFloat, goUint, scanLines } from './goStrconv';

/** USER_HZ: /proc/stat counts CPU time in 1/100 s on every Linux architecture. */
export const USER_HZ = 100;

/** One cpu line of /proc/stat, in seconds. */
export interface CpuTimes {
  user: number;
  nice: number;
  system: number;
  idle: number;
  iowait: number;
  irq: number;
  softirq: number;
  steal: number;
  guest: number;
  guestNice: number;
}

/** The ten softirq vectors of the `softirq` line, in kernel order. */
export const SOFTIRQ_VECTORS = ['hi', 'timer', 'net_tx', 'net_rx', 'block', 'block_iopoll', 'tasklet', 'sched', 'hrtimer', 'rcu'] as const;

/** What node_exporter reads from /proc/stat. */
export interface ProcStat {
  /** Summed over all CPUs (the `cpu` line). */
  readonly cpuTotal: CpuTimes;
  /** Per CPU, keyed by its number, in file order. */
  readonly cpus: Map<number, CpuTimes>;
  readonly bootTime: number;
  readonly intrTotal: number;
  readonly contextSwitches: number;
  readonly processesCreated: number;
  readonly procsRunning: number;
  readonly procsBlocked: number;
  readonly softirqTotal: number;
  /** Per vector, in SOFTIRQ_VECTORS order (zeros when the line is absent). */
  readonly softirq: readonly number[];
}

const CPU_KEYS: (keyof CpuTimes)[] = ['user', 'nice', 'system', 'idle', 'iowait', 'irq', 'softirq', 'steal', 'guest', 'guestNice'];

const bad = (what: string, line: string): RxporterError =>
  new RxporterError('RXP_PROC_PARSE', `stat: invalid ${what}: ${JSON.stringify(line.length > 200 ? `${line.slice(0, 200)}…` : line)}`);

const zeroTimes = (): CpuTimes => ({ user: 0, nice: 0, system: 0, idle: 0, iowait: 0, irq: 0, softirq: 0, steal: 0, guest: 0, guestNice: 0 });

/**
 * Returns a cpu line's times in seconds and its CPU number (-1 for the `cpu` total line).
 * Older kernels write fewer columns; the missing ones are 0.
 *   "cpu0 44490 19 21045 1087069 220 1 3410 0 2 1" → [{ user: 444.9, … }, 0]
 */
export function parseCpuLine(f: readonly string[], line: string): [CpuTimes, number] {
  const t = zeroTimes();
  const n = Math.min(f.length - 1, CPU_KEYS.length);
  for (let i = 0; i < n; i++) {
    const v = goFloat(f[i + 1]);
    if (!v.ok) throw bad('cpu line', line);
    t[CPU_KEYS[i]] = v.value / USER_HZ;
  }
  if (f[0] === 'cpu') return [t, -1];
  const id = goUint(f[0].slice(3));
  if (Number.isNaN(id)) throw bad('cpu line', line);
  return [t, id];
}

/** Returns true when `line` from `from` on holds only ASCII digits and single spaces. */
function digitsAndSpaces(line: string, from: number): boolean {
  for (let i = from; i < line.length; i++) {
    const c = line.charCodeAt(i);
    if (c !== 32 && (c < 48 || c > 57)) return false;
  }
  return true;
}

/**
 * Returns the counters of /proc/stat that node_exporter exports.
 *   "ctxt 38014093" → contextSwitches 38014093
 *   "softirq 5057579 250191 1481983 …" → softirqTotal 5057579, softirq [250191, …]
 * Throws RXP_PROC_PARSE quoting the line for a non-number, a short softirq line, or a file
 * without a single cpu line (empty or truncated).
 */
export function parseStat(text: string): ProcStat {
  let cpuTotal = zeroTimes();
  const cpus = new Map<number, CpuTimes>();
  let bootTime = 0;
  let intrTotal = 0;
  let contextSwitches = 0;
  let processesCreated = 0;
  let procsRunning = 0;
  let procsBlocked = 0;
  let softirqTotal = 0;
  let softirq: number[] = SOFTIRQ_VECTORS.map(() => 0);
  let cpuLines = 0;
  const uint = (s: string, what: string, line: string): number => {
    const v = goUint(s);
    if (Number.isNaN(v)) throw bad(what, line);
    return v;
  };
  for (const line of scanLines(text)) {
    if (line.startsWith('intr ')) {
      // Thousands of per-IRQ counts follow the total; only the total is exported.
      const end = line.indexOf(' ', 5);
      intrTotal = uint(line.slice(5, end < 0 ? undefined : end), 'intr', line);
      if (!digitsAndSpaces(line, 5)) throw bad('intr', line);
      continue;
    }
    const f = fields(line);
    if (f.length < 2) continue;
    const key = f[0];
    switch (key) {
      case 'btime':
        bootTime = uint(f[1], 'btime', line);
        break;
      case 'intr':
        intrTotal = uint(f[1], 'intr', line);
        for (let i = 2; i < f.length; i++) uint(f[i], 'intr', line);
        break;
      case 'ctxt':
        contextSwitches = uint(f[1], 'ctxt', line);
        break;
      case 'processes':
        processesCreated = uint(f[1], 'processes', line);
        break;
      case 'procs_running':
        procsRunning = uint(f[1], 'procs_running', line);
        break;
      case 'procs_blocked':
        procsBlocked = uint(f[1], 'procs_blocked', line);
        break;
      case 'softirq':
        if (f.length < 2 + SOFTIRQ_VECTORS.length) throw bad('softirq line', line);
        softirqTotal = uint(f[1], 'softirq', line);
        softirq = SOFTIRQ_VECTORS.map((_, i) => uint(f[i + 2], 'softirq', line));
        break;
      default:
        if (key.startsWith('cpu')) {
          const [t, id] = parseCpuLine(f, line);
          cpuLines++;
          if (id < 0) cpuTotal = t;
          else cpus.set(id, t);
        }
    }
  }
  if (cpuLines === 0) throw new RxporterError('RXP_PROC_PARSE', 'stat: no cpu line (empty or truncated file)');
  return { cpuTotal, cpus, bootTime, intrTotal, contextSwitches, processesCreated, procsRunning, procsBlocked, softirqTotal, softirq };
}
