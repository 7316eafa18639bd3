import { statSync } from 'node:fs';
import { parsePressure, type PsiStats } from '../procfs/pressure';
import { parseBlkioServiceBytes, parseCgroupValue, parseCpuMax, parseIoStat, parseKeyedValues, parseProcs, type DeviceIo } from './parse';
import { readCgroupFile } from './read';
import { walkRoot, type CgroupLayout } from './tree';

/** USER_HZ: the unit of cpuacct.stat (libcontainer converts with the same constant). */
const USER_HZ = 100;
/** Limits above 2^62 are "unlimited" (the kernel rounds 2^63-1 down to a page): cAdvisor reports 0 for them. */
const UNLIMITED = 2 ** 62;

/** The limits of a cgroup, which change rarely: the collector reads them every few collections. */
export interface ContainerSpec {
  /** cpu.shares (v2: cpu.weight mapped to shares), CFS period and quota in µs (quota 0: none). */
  readonly cpu?: { readonly shares: number; readonly period: number; readonly quota: number };
  /** Memory limits in bytes, 0 for "unlimited". */
  readonly memory?: { readonly limit: number; readonly swapLimit: number; readonly reservation: number };
  /** pids.max, 0 for "max". */
  readonly threadsMax?: number;
  /** Creation time of the cgroup, seconds since the epoch (not before boot). */
  readonly startTime?: number;
}

/** What the container collector reads of one cgroup at each collection, in base units (seconds, bytes). */
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
  readonly io: readonly DeviceIo[];
  /** The member processes (cgroup.procs of the cpu hierarchy). */
  readonly pids: readonly number[];
  /** pids.current. */
  readonly threads?: number;
  readonly pressure: { readonly cpu?: PsiStats; readonly memory?: PsiStats; readonly io?: PsiStats };
}

/** Returns the text of `dir/file`, or undefined when the file (or its cgroup) is not there. */
const readOpt = (dir: string | undefined, file: string): string | undefined => (dir === undefined ? undefined : readCgroupFile(`${dir}/${file}`));

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

type V1 = Extract<CgroupLayout, { version: 1 }>;
const v1Dirs = (layout: V1, path: string) => {
  const at = (dir: string | undefined) => (dir === undefined ? undefined : `${dir}${path}`);
  const c = layout.controllers;
  return { cpu: at(c.cpu), acct: at(c.cpuacct), mem: at(c.memory), pids: at(c.pids), blk: at(c.blkio), unified: at(layout.unified) };
};

function readV1(layout: V1, path: string): ContainerStats | undefined {
  const d = v1Dirs(layout, path);
  const usage = value(d.acct, 'cpuacct.usage');
  const acct = keyed(d.acct, 'cpuacct.stat');
  const cpuStat = keyed(d.cpu, 'cpu.stat');
  const memUsage = value(d.mem, 'memory.usage_in_bytes');
  const memStat = keyed(d.mem, 'memory.stat');
  let io: DeviceIo[] = [];
  for (const f of BLKIO_FILES) {
    const t = readOpt(d.blk, f);
    if (t === undefined) continue;
    io = parseBlkioServiceBytes(f, t);
    if (io.length > 0) break;
  }
  const threads = value(d.pids, 'pids.current');
  const s = (k: string) => memStat?.[`total_${k}`] ?? memStat?.[k] ?? 0;
  const stats = {
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
            failcnt: num(value(d.mem, 'memory.failcnt'), 0),
          },
    io,
    threads: threads === undefined ? undefined : num(threads, 0),
    pressure: { cpu: pressureOf(d.unified, 'cpu.pressure'), memory: pressureOf(d.unified, 'memory.pressure'), io: pressureOf(d.unified, 'io.pressure') },
  };
  // read last: every cgroup has it, so its absence means the cgroup was removed during the reads
  const procs = readOpt(d.cpu ?? d.acct ?? d.mem ?? d.pids ?? d.blk, 'cgroup.procs');
  return procs === undefined ? undefined : { ...stats, pids: parseProcs(procs) };
}

function readV2(root: string, path: string, swapOn: boolean): ContainerStats | undefined {
  const dir = `${root}${path}`;
  const cpuStat = keyed(dir, 'cpu.stat');
  const memCurrent = value(dir, 'memory.current');
  const memStat = keyed(dir, 'memory.stat');
  const events = memCurrent === undefined ? undefined : keyed(dir, 'memory.events');
  const ioText = readOpt(dir, 'io.stat');
  const threads = value(dir, 'pids.current');
  const usage = num(memCurrent, 0);
  const stats = {
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
            swap: swapOn ? num(value(dir, 'memory.swap.current'), 0) : 0,
            // v2 has no failcnt; memory.events "max" counts the same event (usage about to pass memory.max)
            failcnt: events?.max ?? 0,
          },
    io: ioText === undefined ? [] : parseIoStat(ioText),
    threads: threads === undefined ? undefined : num(threads, 0),
    pressure: { cpu: pressureOf(dir, 'cpu.pressure'), memory: pressureOf(dir, 'memory.pressure'), io: pressureOf(dir, 'io.pressure') },
  };
  const procs = readOpt(dir, 'cgroup.procs'); // read last, see readV1
  return procs === undefined ? undefined : { ...stats, pids: parseProcs(procs) };
}

/**
 * Returns whether any swap device is active: <procfs>/swaps has a line besides its header
 * ("Filename Type Size Used Priority"); true when the file cannot be read.
 */
export function swapActive(procPath: string): boolean {
  const t = readCgroupFile(`${procPath}/swaps`);
  if (t === undefined) return true;
  const nl = t.indexOf('\n');
  return nl >= 0 && t.slice(nl + 1).trim() !== '';
}

const gone = (layout: CgroupLayout, path: string): boolean => !statSync(`${walkRoot(layout)}${path}`, { throwIfNoEntry: false });

/**
 * Returns the usage of the cgroup at `path` (e.g. "/docker/<id>"), or undefined when it
 * vanished while being read. Files a controller does not provide leave their part undefined.
 * `swapOn` false (no swap device active: nothing can be swapped out) skips v2's memory.swap.current.
 * Throws RXP_PROC_PARSE quoting a garbled file (a truncated one included) and RXP_PROC_READ
 * for other read failures of a cgroup that is still there.
 */
export function readContainerStats(layout: CgroupLayout, path: string, swapOn = true): ContainerStats | undefined {
  try {
    return layout.version === 2 ? readV2(layout.root, path, swapOn) : readV1(layout, path);
  } catch (e) {
    if (gone(layout, path)) return undefined;
    throw e;
  }
}

/**
 * Returns the limits and start time of the cgroup at `path`, as cAdvisor's GetSpec reads
 * them (lib/container/common/helpers.go), or undefined when it is gone; `bootTime` (seconds
 * since the epoch) floors the start time. Throws as readContainerStats.
 */
export function readContainerSpec(layout: CgroupLayout, path: string, bootTime: number): ContainerSpec | undefined {
  try {
    return layout.version === 2 ? specV2(`${layout.root}${path}`, bootTime) : specV1(layout, path, bootTime);
  } catch (e) {
    if (gone(layout, path)) return undefined;
    throw e;
  }
}

function specV1(layout: V1, path: string, bootTime: number): ContainerSpec | undefined {
  const d = v1Dirs(layout, path);
  const shares = value(d.cpu, 'cpu.shares');
  const quota = value(d.cpu, 'cpu.cfs_quota_us');
  const limit = value(d.mem, 'memory.limit_in_bytes');
  const pidsMax = value(d.pids, 'pids.max');
  const startTime = startTimeOf(`${walkRoot(layout)}${path}`, 'cgroup.clone_children', bootTime);
  if (startTime === undefined) return undefined;
  return {
    cpu: shares === undefined ? undefined : { shares: num(shares, 0), period: num(value(d.cpu, 'cpu.cfs_period_us'), 0), quota: quota === -1 || quota === 'max' ? 0 : num(quota, 0) },
    memory:
      limit === undefined
        ? undefined
        : { limit: limitBytes(limit), swapLimit: limitBytes(value(d.mem, 'memory.memsw.limit_in_bytes')), reservation: limitBytes(value(d.mem, 'memory.soft_limit_in_bytes')) },
    threadsMax: pidsMax === undefined ? undefined : num(pidsMax, 0),
    startTime,
  };
}

function specV2(dir: string, bootTime: number): ContainerSpec | undefined {
  const cpuMaxText = readOpt(dir, 'cpu.max');
  const cpuMax = cpuMaxText === undefined ? undefined : parseCpuMax(cpuMaxText);
  const weight = cpuMax === undefined ? undefined : value(dir, 'cpu.weight');
  const memMax = value(dir, 'memory.max');
  const pidsMax = value(dir, 'pids.max');
  const startTime = startTimeOf(dir, 'cgroup.events', bootTime);
  if (startTime === undefined) return undefined;
  return {
    cpu: cpuMax === undefined ? undefined : { shares: weight === undefined || weight === 'max' ? 0 : weightToShares(weight), period: cpuMax.period, quota: cpuMax.quota === 'max' ? 0 : cpuMax.quota },
    memory: memMax === undefined ? undefined : { limit: limitBytes(memMax), swapLimit: limitBytes(value(dir, 'memory.swap.max')), reservation: limitBytes(value(dir, 'memory.min')) },
    threadsMax: pidsMax === undefined ? undefined : num(pidsMax, 0),
    startTime,
  };
}
