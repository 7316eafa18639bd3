import { join } from 'node:path';
import { RxporterError } from '../errors';
import { goUint, trimSpace } from '../procfs/goStrconv';
import { readProcText } from '../procfs/read';
import { globNumbered, isMissingError, pathExists, readSysAttr, readUintIfExists } from './sysAttr';

/** Where the CPU devices live under sysfs. */
export const CPU_DIR = 'devices/system/cpu';

/**
 * Returns the CPU numbers of a kernel CPU list such as /sys/devices/system/cpu/isolated.
 *   "1,3-5,9\n" → [1, 3, 4, 5, 9], "" → []
 * Throws RXP_PROC_PARSE quoting the bad item.
 */
export function parseCpuList(text: string): number[] {
  const out: number[] = [];
  const body = text.endsWith('\n') ? text.slice(0, -1) : text;
  for (const item of body.split(',')) {
    if (item === '') continue;
    const dash = item.indexOf('-');
    if (dash < 0) {
      const v = goUint(item);
      if (Number.isNaN(v)) throw new RxporterError('RXP_PROC_PARSE', `cpu list: invalid cpu ${JSON.stringify(item)}`);
      out.push(v);
      continue;
    }
    const lo = goUint(item.slice(0, dash));
    const hi = goUint(item.slice(dash + 1));
    if (Number.isNaN(lo) || Number.isNaN(hi)) throw new RxporterError('RXP_PROC_PARSE', `cpu list: invalid cpu range ${JSON.stringify(item)}`);
    for (let c = lo; c <= hi; c++) out.push(c);
  }
  return out;
}

/** The cpu[0-9]* directories under <sysfs>/devices/system/cpu, in Glob (bytewise) order. */
export const listCpuDirs = (sysPath: string): string[] => globNumbered(sysPath, CPU_DIR, 'cpu');

/** Returns the isolated CPUs, or undefined when the kernel has no `isolated` file. */
export function readIsolatedCpus(sysPath: string): number[] | undefined {
  try {
    return parseCpuList(readProcText(sysPath, join(CPU_DIR, 'isolated')));
  } catch (e) {
    if (isMissingError(e)) return undefined;
    throw e;
  }
}

/** One CPU's cpufreq attributes (kHz values; undefined where the file is absent or unreadable). */
export interface Cpufreq {
  /** The CPU number as written in its directory name ("0" for cpu0). */
  readonly name: string;
  readonly cpuinfoCurFreq?: number;
  readonly cpuinfoAvgFreq?: number;
  readonly cpuinfoMaxFreq?: number;
  readonly cpuinfoMinFreq?: number;
  readonly scalingCurFreq?: number;
  readonly scalingMaxFreq?: number;
  readonly scalingMinFreq?: number;
  readonly availableGovernors: string;
  readonly governor: string;
}

const isDenied = (e: unknown): boolean => {
  const cause = e instanceof RxporterError ? (e.cause as NodeJS.ErrnoException | undefined) : undefined;
  return cause?.code === 'EACCES' || cause?.code === 'EPERM';
};

/** Returns a cpufreq number, undefined when the file is absent or not readable (as procfs). */
function optionalUint(dir: string, file: string): number | undefined {
  try {
    return readUintIfExists(dir, file);
  } catch (e) {
    if (isDenied(e)) return undefined;
    throw e;
  }
}

/**
 * Returns the cpufreq attributes of every online CPU that has a cpufreq directory, in Glob
 * order, as procfs' SystemCpufreq: CPUs listed in `offline` are skipped; a missing
 * `offline` file, a missing governor/driver file or a non-number fails the whole read.
 * Throws RXP_PROC_MISSING when there is no CPU directory at all.
 */
export function readCpufreq(sysPath: string): Cpufreq[] {
  let cpus = listCpuDirs(sysPath);
  const offlineText = readProcText(sysPath, join(CPU_DIR, 'offline'));
  if (trimSpace(offlineText) !== '') {
    const offline = new Set(parseCpuList(offlineText));
    if (offline.size > 0) cpus = cpus.filter((c) => !offline.has(Number(c.slice(3))));
  }
  if (cpus.length === 0) throw new RxporterError('RXP_PROC_MISSING', `${join(sysPath, CPU_DIR)}: could not find any cpufreq files`);
  const out: Cpufreq[] = [];
  for (const cpu of cpus) {
    const dir = join(sysPath, CPU_DIR, cpu, 'cpufreq');
    if (!pathExists(dir, '.')) continue;
    const u = (f: string) => optionalUint(dir, f);
    const s = (f: string) => readSysAttr(dir, f);
    const cpufreq: Cpufreq = {
      name: cpu.slice(3),
      cpuinfoCurFreq: u('cpuinfo_cur_freq'),
      cpuinfoAvgFreq: u('cpuinfo_avg_freq'),
      cpuinfoMaxFreq: u('cpuinfo_max_freq'),
      cpuinfoMinFreq: u('cpuinfo_min_freq'),
      scalingCurFreq: u('scaling_cur_freq'),
      scalingMaxFreq: u('scaling_max_freq'),
      scalingMinFreq: u('scaling_min_freq'),
      availableGovernors: s('scaling_available_governors'),
      governor: s('scaling_governor'),
    };
    // procfs requires these too, although node_exporter exports neither.
    s('scaling_driver');
    s('related_cpus');
    s('scaling_setspeed');
    out.push(cpufreq);
  }
  return out;
}

/** Thermal throttle counts per package and per package/core. */
export interface ThermalThrottles {
  /** package id → package_throttle_count */
  readonly packages: Map<number, number>;
  /** package id → core id → core_throttle_count */
  readonly cores: Map<number, Map<number, number>>;
}

/**
 * Returns the thermal throttle counts of every CPU directory, read once per package and
 * per package/core, as node_exporter's cpu collector. A CPU without topology ids, or a
 * package/core without counts, is skipped with `skip(reason, cpu)`.
 */
export function readThermalThrottles(sysPath: string, skip: (reason: string, cpu: string) => void): ThermalThrottles {
  const packages = new Map<number, number>();
  const cores = new Map<number, Map<number, number>>();
  const base = join(sysPath, CPU_DIR);
  // Any failure (absent, unreadable, not a number) skips, as node_exporter's readUintFromFile checks do.
  const uint = (rel: string): number | undefined => {
    try {
      return readUintIfExists(base, rel);
    } catch {
      return undefined;
    }
  };
  for (const cpu of listCpuDirs(sysPath)) {
    const pkg = uint(`${cpu}/topology/physical_package_id`);
    if (pkg === undefined) {
      skip('CPU is missing physical_package_id', cpu);
      continue;
    }
    const core = uint(`${cpu}/topology/core_id`);
    if (core === undefined) {
      skip('CPU is missing core_id', cpu);
      continue;
    }
    let coreMap = cores.get(pkg);
    if (!coreMap) cores.set(pkg, (coreMap = new Map()));
    if (!coreMap.has(core)) {
      const v = uint(`${cpu}/thermal_throttle/core_throttle_count`);
      if (v === undefined) skip('CPU is missing core_throttle_count', cpu);
      else coreMap.set(core, v);
    }
    if (!packages.has(pkg)) {
      const v = uint(`${cpu}/thermal_throttle/package_throttle_count`);
      if (v === undefined) skip('CPU is missing package_throttle_count', cpu);
      else packages.set(pkg, v);
    }
  }
  return { packages, cores };
}

/**
 * Returns each CPU's online state ("1" in its `online` file), or undefined when the first
 * CPU in Glob order has no `online` file (kernels without CPU hotplug), as node_exporter.
 */
export function readCpuOnline(sysPath: string): { cpu: string; online: boolean }[] | undefined {
  const cpus = listCpuDirs(sysPath);
  if (cpus.length === 0) return undefined;
  const base = join(sysPath, CPU_DIR);
  try {
    readSysAttr(base, `${cpus[0]}/online`);
  } catch (e) {
    if (isMissingError(e)) return undefined;
  }
  return cpus.map((cpu) => {
    let online = false;
    try {
      online = readSysAttr(base, `${cpu}/online`) === '1';
    } catch {
      // unreadable: offline, as node_exporter reports it
    }
    return { cpu: cpu.slice(3), online };
  });
}
