import { statSync } from 'node:fs';
import { RxporterError } from '../errors';
import { parsePressure, type PsiStats } from '../procfs/pressure';
import { readFileText } from '../procfs/read';
import { parseBlkioServiceBytes, parseCgroupValue, parseCpuMax, parseIoStat, parseKeyedValues, parseProcs, type DeviceIo } from './parse';
import { walkRoot, type CgroupLayout } from './tree';

/** USER_HZ: the unit of cpuacct.stat (libcontainer converts with the same constant). */
const USER_HZ = 100;
/** Limits above 2^62 are "unlimited" (the kernel rounds 2^63-1 down to a page): cAdvisor reports 0 for them. */
const UNLIMITED = 2 ** 62;

/** What the container collector reads of one cgroup, in base units (seconds, bytes). */
export interface ContainerStats {
  readonly cpu?: { readonly usage: number; readonly user: number; readonly system: number };
  readonly cfs?: { readonly periods: number; readonly throttledPeriods: number; readonly throttledSeconds: number };
  readonly memory?: {
    readonly usage: number;
    readonly workingSet: number;
    readonly rss: number;
    readonly cache: number;
    readonly swap: number;
    readonly failcnt: number;
  };
  /** cpu.shares (v2: cpu.weight mapped to shares), CFS period and quota in µs (quota 0: none). */
  readonly cpuSpec?: { readonly shares: number; readonly period: number; readonly quota: number };
  /** Memory limits in bytes, 0 for "unlimited". */
  readonly memorySpec?: { readonly limit: number; readonly swapLimit: number; readonly reservation: number };
  readonly io: readonly DeviceIo[];
  /** The member processes (cgroup.procs of the cpu hierarchy). */
  readonly pids: readonly number[];
  readonly threads?: { readonly current: number; readonly max: number };
  readonly pressure: { readonly cpu?: PsiStats; readonly memory?: PsiStats; readonly io?: PsiStats };
  /** Creation time of the cgroup, seconds since the epoch (not before boot). */
  readonly startTime?: number;
}

const isMissing = (e: unknown): boolean => e instanceof RxporterError && e.code === 'RXP_PROC_MISSING';

/** Returns the text of `dir/file`, or undefined when the file (or its cgroup) is not there. */
function readOpt(dir: string | undefined, file: string): string | undefined {
  if (dir === undefined) return undefined;
  try {
    return readFileText(`${dir}/${file}`);
  } catch (e) {
    if (isMissing(e)) return undefined;
    throw e;
  }
}

const value = (dir: string | undefined, file: string): number | 'max' | undefined => {
  const t = readOpt(dir, file);
  return t === undefined ? undefined : parseCgroupValue(file, t);
};
const num = (v: number | 'max' | undefined, max: number): number => (v === undefined ? 0 : v === 'max' ? max : v);
/** cAdvisor's specMemoryValue: anything above 2^62 (and "max") is 0. */
const limitBytes = (v: number | 'max' | undefined): number => (v === undefined || v === 'max' || v > UNLIMITED ? 0 : v);
const keyed = (dir: string | undefined, file: string): Record<string, number> | undefined => {
  const t = readOpt(dir, file);
  return t === undefined ? undefined : parseKeyedValues(file, t);
};
const pressureOf = (dir: string | undefined, file: string): PsiStats | undefined => {
  const t = readOpt(dir, file);
  return t === undefined ? undefined : parsePressure(t);
};

/** cgroup v2's cpu.weight [1, 10000] to v1 shares [2, 262144], as cAdvisor's convertCPUWeightToCPULimit. */
export const weightToShares = (w: number): number => (w >= 1 && w <= 10000 ? 2 + Math.floor(((w - 1) * 262142) / 9999) : 0);

/** Returns memory usage minus inactive file pages (not below 0): cAdvisor's working set. */
export const workingSet = (usage: number, inactiveFile: number | undefined): number =>
  inactiveFile === undefined ? usage : Math.max(0, usage - inactiveFile);

/**
 * The creation time of a cgroup as cAdvisor's getSpecInternal estimates it: the earliest
 * mtime of its directory and of cgroup.clone_children (v1) or cgroup.events (v2), not before
 * `bootTime`; whole seconds. Undefined when the directory is gone.
 */
function startTimeOf(dir: string, marker: string, bootTime: number): number | undefined {
  const d = statSync(dir, { throwIfNoEntry: false });
  if (!d) return undefined;
  const f = statSync(`${dir}/${marker}`, { throwIfNoEntry: false });
  const t = Math.min(d.mtimeMs, f?.mtimeMs ?? Infinity) / 1000;
  return Math.floor(Math.max(t, bootTime));
}

/** The first v1 blkio file with data, in libcontainer's order (BFQ, CFQ, then throttling). */
const BLKIO_FILES = [
  'blkio.bfq.io_service_bytes_recursive',
  'blkio.io_service_bytes_recursive',
  'blkio.throttle.io_service_bytes_recursive',
  'blkio.throttle.io_service_bytes',
];

function readV1(layout: Extract<CgroupLayout, { version: 1 }>, path: string, bootTime: number): ContainerStats {
  const c = layout.controllers;
  const at = (dir: string | undefined) => (dir === undefined ? undefined : `${dir}${path}`);
  const [cpuDir, acctDir, memDir, pidsDir, blkDir] = [at(c.cpu), at(c.cpuacct), at(c.memory), at(c.pids), at(c.blkio)];
  const usage = value(acctDir, 'cpuacct.usage');
  const acct = keyed(acctDir, 'cpuacct.stat');
  const cpuStat = keyed(cpuDir, 'cpu.stat');
  const shares = value(cpuDir, 'cpu.shares');
  const period = value(cpuDir, 'cpu.cfs_period_us');
  const quota = value(cpuDir, 'cpu.cfs_quota_us');
  const memUsage = value(memDir, 'memory.usage_in_bytes');
  const memStat = keyed(memDir, 'memory.stat');
  let io: DeviceIo[] = [];
  for (const f of BLKIO_FILES) {
    const t = readOpt(blkDir, f);
    if (t === undefined) continue;
    io = parseBlkioServiceBytes(f, t);
    if (io.length > 0) break;
  }
  const threads = value(pidsDir, 'pids.current');
  const procs = readOpt(cpuDir ?? acctDir ?? memDir, 'cgroup.procs');
  const unified = layout.unified === undefined ? undefined : `${layout.unified}${path}`;
  const s = (k: string) => memStat?.[`total_${k}`] ?? memStat?.[k] ?? 0;
  const primary = at(walkRoot(layout))!;
  return {
    cpu: usage === undefined ? undefined : { usage: num(usage, 0) / 1e9, user: (acct?.user ?? 0) / USER_HZ, system: (acct?.system ?? 0) / USER_HZ },
    cfs: cpuStat && { periods: cpuStat.nr_periods ?? 0, throttledPeriods: cpuStat.nr_throttled ?? 0, throttledSeconds: (cpuStat.throttled_time ?? 0) / 1e9 },
    memory:
      memUsage === undefined
        ? undefined
        : {
            usage: num(memUsage, 0),
            workingSet: workingSet(num(memUsage, 0), memStat?.total_inactive_file ?? memStat?.inactive_file),
            rss: s('rss'),
            cache: s('cache'),
            swap: s('swap'),
            failcnt: num(value(memDir, 'memory.failcnt'), 0),
          },
    cpuSpec: cpuDir === undefined || shares === undefined ? undefined : { shares: num(shares, 0), period: num(period, 0), quota: quota === -1 || quota === 'max' ? 0 : num(quota, 0) },
    memorySpec:
      memUsage === undefined
        ? undefined
        : {
            limit: limitBytes(value(memDir, 'memory.limit_in_bytes')),
            swapLimit: limitBytes(value(memDir, 'memory.memsw.limit_in_bytes')),
            reservation: limitBytes(value(memDir, 'memory.soft_limit_in_bytes')),
          },
    io,
    pids: procs === undefined ? [] : parseProcs(procs),
    threads: threads === undefined ? undefined : { current: num(threads, 0), max: num(value(pidsDir, 'pids.max'), 0) },
    pressure: { cpu: pressureOf(unified, 'cpu.pressure'), memory: pressureOf(unified, 'memory.pressure'), io: pressureOf(unified, 'io.pressure') },
    startTime: startTimeOf(primary, 'cgroup.clone_children', bootTime),
  };
}

function readV2(root: string, path: string, bootTime: number): ContainerStats {
  const dir = `${root}${path}`;
  const cpuStat = keyed(dir, 'cpu.stat');
  const cpuMaxText = readOpt(dir, 'cpu.max');
  const cpuMax = cpuMaxText === undefined ? undefined : parseCpuMax(cpuMaxText);
  const weight = value(dir, 'cpu.weight');
  const memCurrent = value(dir, 'memory.current');
  const memStat = keyed(dir, 'memory.stat');
  const memMax = value(dir, 'memory.max');
  const events = keyed(dir, 'memory.events');
  const ioText = readOpt(dir, 'io.stat');
  const threads = value(dir, 'pids.current');
  const procs = readOpt(dir, 'cgroup.procs');
  const usage = num(memCurrent, 0);
  return {
    cpu: cpuStat && { usage: (cpuStat.usage_usec ?? 0) / 1e6, user: (cpuStat.user_usec ?? 0) / 1e6, system: (cpuStat.system_usec ?? 0) / 1e6 },
    // nr_periods is there only when the cpu controller is enabled for the cgroup
    cfs: cpuStat?.nr_periods === undefined ? undefined : { periods: cpuStat.nr_periods, throttledPeriods: cpuStat.nr_throttled ?? 0, throttledSeconds: (cpuStat.throttled_usec ?? 0) / 1e6 },
    memory:
      memCurrent === undefined
        ? undefined
        : {
            usage,
            workingSet: workingSet(usage, memStat?.inactive_file),
            rss: memStat?.anon ?? 0,
            cache: memStat?.file ?? 0,
            swap: num(value(dir, 'memory.swap.current'), 0),
            // v2 has no failcnt; memory.events "max" counts the same event (usage about to pass memory.max)
            failcnt: events?.max ?? 0,
          },
    cpuSpec: cpuMax === undefined ? undefined : { shares: weight === undefined || weight === 'max' ? 0 : weightToShares(weight), period: cpuMax.period, quota: cpuMax.quota === 'max' ? 0 : cpuMax.quota },
    memorySpec:
      memMax === undefined ? undefined : { limit: limitBytes(memMax), swapLimit: limitBytes(value(dir, 'memory.swap.max')), reservation: limitBytes(value(dir, 'memory.min')) },
    io: ioText === undefined ? [] : parseIoStat(ioText),
    pids: procs === undefined ? [] : parseProcs(procs),
    threads: threads === undefined ? undefined : { current: num(threads, 0), max: num(value(dir, 'pids.max'), 0) },
    pressure: { cpu: pressureOf(dir, 'cpu.pressure'), memory: pressureOf(dir, 'memory.pressure'), io: pressureOf(dir, 'io.pressure') },
    startTime: startTimeOf(dir, 'cgroup.events', bootTime),
  };
}

/**
 * Returns the stats of the cgroup at `path` (e.g. "/docker/<id>"), or undefined when it
 * vanished while being read (its directory in the walked hierarchy is gone). Files a
 * controller does not provide leave their part undefined; `bootTime` (seconds since the
 * epoch) floors the start time. Throws RXP_PROC_PARSE quoting a garbled file (a truncated
 * one included) and RXP_PROC_READ for other read failures of a cgroup that is still there.
 */
export function readContainerStats(layout: CgroupLayout, path: string, bootTime: number): ContainerStats | undefined {
  let stats: ContainerStats;
  try {
    stats = layout.version === 2 ? readV2(layout.root, path, bootTime) : readV1(layout, path, bootTime);
  } catch (e) {
    if (!statSync(`${walkRoot(layout)}${path}`, { throwIfNoEntry: false })) return undefined;
    throw e;
  }
  // a cgroup removed mid-read leaves files missing rather than failing; its start time, read last, tells
  return stats.startTime === undefined ? undefined : stats;
}
