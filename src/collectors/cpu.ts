import { defer, from, type Observable } from 'rxjs';
import { RxporterError } from '../errors';
import { counter, gauge, type MetricFamily, type Sample } from '../model/family';
import { parseCpuinfoX86, type CpuInfo } from '../procfs/cpuinfo';
import { readProcText } from '../procfs/read';
import { parseStat, type CpuTimes } from '../procfs/stat';
import { readCpuOnline, readIsolatedCpus, readThermalThrottles, type ThermalThrottles } from '../sysfs/cpu';
import type { Log } from '../log/types';
import type { Collector, CollectorContext, CollectorDefinition } from './types';

/** Options of the cpu collector (node_exporter's `--collector.cpu.*` flags). */
export interface CpuOptions {
  /** Export node_cpu_guest_seconds_total (`--collector.cpu.guest`, default true). */
  readonly guest: boolean;
  /** Export node_cpu_info (`--collector.cpu.info`); implied by either include filter. */
  readonly info: boolean;
  /** Regexp of cpuinfo flags exported as node_cpu_flag_info ('' exports none). */
  readonly flagsInclude: string;
  /** Regexp of cpuinfo bugs exported as node_cpu_bug_info ('' exports none). */
  readonly bugsInclude: string;
  /** Whether the cpufreq collector runs: node_cpu_frequency_hertz comes from cpuinfo then. */
  readonly cpufreqEnabled: boolean;
}

/** Help of node_cpu_seconds_total (node_exporter's nodeCPUSecondsDesc). */
export const CPU_SECONDS_HELP = 'Seconds the CPUs spent in each mode.';

/** Idle may go back this many seconds before the CPU's counters are reset (a hotplug). */
const JUMP_BACK_SECONDS = 3.0;

const MODES: [keyof CpuTimes, string][] = [
  ['user', 'user'],
  ['nice', 'nice'],
  ['system', 'system'],
  ['idle', 'idle'],
  ['iowait', 'iowait'],
  ['irq', 'irq'],
  ['softirq', 'softirq'],
  ['steal', 'steal'],
];

/** Returns node_cpu_seconds_total and, with `guest`, node_cpu_guest_seconds_total. */
export function cpuTimesFamilies(stats: ReadonlyMap<number, CpuTimes>, guest: boolean): MetricFamily[] {
  const secs: Sample[] = [];
  const guests: Sample[] = [];
  for (const [id, t] of stats) {
    const cpu = String(id);
    for (const [k, mode] of MODES) secs.push({ labels: { cpu, mode }, value: t[k] });
    if (guest) {
      guests.push({ labels: { cpu, mode: 'user' }, value: t.guest });
      guests.push({ labels: { cpu, mode: 'nice' }, value: t.guestNice });
    }
  }
  const out = [counter('node_cpu_seconds_total', CPU_SECONDS_HELP, secs)];
  if (guest) out.push(counter('node_cpu_guest_seconds_total', 'Seconds the CPUs spent in guests (VMs) for each mode.', guests));
  return out;
}

/** Returns node_cpu_info, node_cpu_frequency_hertz (with cpufreq) and the flag/bug info families. */
export function cpuInfoFamilies(
  info: readonly CpuInfo[],
  o: { cpufreqEnabled: boolean; flags?: RegExp; bugs?: RegExp },
): MetricFamily[] {
  const out: MetricFamily[] = [
    gauge(
      'node_cpu_info',
      'CPU information from /proc/cpuinfo.',
      info.map((c) => ({
        labels: {
          package: c.physicalId,
          core: c.coreId,
          cpu: String(c.processor),
          vendor: c.vendorId,
          family: c.cpuFamily,
          model: c.model,
          model_name: c.modelName,
          microcode: c.microcode,
          stepping: c.stepping,
          cachesize: c.cacheSize,
        },
        value: 1,
      })),
    ),
  ];
  if (o.cpufreqEnabled) {
    out.push(
      gauge(
        'node_cpu_frequency_hertz',
        'CPU frequency in hertz from /proc/cpuinfo.',
        info.map((c) => ({ labels: { package: c.physicalId, core: c.coreId, cpu: String(c.processor) }, value: c.cpuMHz * 1e6 })),
      ),
    );
  }
  if (info.length > 0) {
    const first = info[0];
    const pick = (list: readonly string[], re: RegExp | undefined, label: string): Sample[] =>
      re ? list.filter((v) => re.test(v)).map((v) => ({ labels: { [label]: v }, value: 1 })) : [];
    const flags = pick(first.flags, o.flags, 'flag');
    const bugs = pick(first.bugs, o.bugs, 'bug');
    if (flags.length > 0) out.push(gauge('node_cpu_flag_info', 'The `flags` field of CPU information from /proc/cpuinfo taken from the first core.', flags));
    if (bugs.length > 0) out.push(gauge('node_cpu_bug_info', 'The `bugs` field of CPU information from /proc/cpuinfo taken from the first core.', bugs));
  }
  return out.filter((f) => f.samples.length > 0);
}

/** Returns node_cpu_isolated for the isolated CPUs. */
export const cpuIsolatedFamilies = (cpus: readonly number[]): MetricFamily[] =>
  cpus.length === 0
    ? []
    : [
        gauge(
          'node_cpu_isolated',
          'Whether each core is isolated, information from /sys/devices/system/cpu/isolated.',
          cpus.map((c) => ({ labels: { cpu: String(c) }, value: 1 })),
        ),
      ];

/** Returns node_cpu_package_throttles_total and node_cpu_core_throttles_total. */
export function cpuThrottleFamilies(t: ThermalThrottles): MetricFamily[] {
  const pkgs: Sample[] = [];
  for (const [pkg, v] of t.packages) pkgs.push({ labels: { package: String(pkg) }, value: v });
  const cores: Sample[] = [];
  for (const [pkg, m] of t.cores) for (const [core, v] of m) cores.push({ labels: { package: String(pkg), core: String(core) }, value: v });
  return [
    counter('node_cpu_package_throttles_total', 'Number of times this CPU package has been throttled.', pkgs),
    counter('node_cpu_core_throttles_total', 'Number of times this CPU core has been throttled.', cores),
  ].filter((f) => f.samples.length > 0);
}

/** Returns node_cpu_online. */
export const cpuOnlineFamilies = (cpus: readonly { cpu: string; online: boolean }[]): MetricFamily[] =>
  cpus.length === 0
    ? []
    : [gauge('node_cpu_online', 'CPUs that are online and being scheduled.', cpus.map((c) => ({ labels: { cpu: c.cpu }, value: c.online ? 1 : 0 })))];

/**
 * Returns the counters to export after merging a new /proc/stat reading into `cache`, as
 * node_exporter does: a counter that goes backwards keeps its old value, idle going back
 * by 3 s or more resets that CPU (a hotplug), CPUs gone from /proc/stat are dropped.
 */
export function mergeCpuTimes(cache: Map<number, CpuTimes>, fresh: ReadonlyMap<number, CpuTimes>, log: Log): Map<number, CpuTimes> {
  for (const [id, n] of fresh) {
    let c = cache.get(id);
    if (c && c.idle - n.idle >= JUMP_BACK_SECONDS) {
      log.debug('CPU Idle counter jumped backwards more than 3 seconds, possible hotplug event, resetting CPU stats', {
        collector: 'cpu',
        cpu: id,
        old_value: c.idle,
        new_value: n.idle,
      });
      c = undefined;
    }
    if (!c) {
      cache.set(id, { ...n });
      continue;
    }
    for (const k of Object.keys(n) as (keyof CpuTimes)[]) {
      if (n[k] >= c[k]) c[k] = n[k];
      else log.debug('CPU counter jumped backwards', { collector: 'cpu', cpu: id, counter: k, old_value: c[k], new_value: n[k] });
    }
  }
  if (cache.size !== fresh.size) for (const id of [...cache.keys()]) if (!fresh.has(id)) cache.delete(id);
  return cache;
}

/** Returns the cpuinfo parser for this machine's architecture, or undefined where rxporter has none. */
function cpuinfoParser(): ((text: string) => CpuInfo[]) | undefined {
  return process.arch === 'x64' || process.arch === 'ia32' ? parseCpuinfoX86 : undefined;
}

/**
 * Returns the cpu collector: CPU times from /proc/stat (with node_exporter's protection
 * against counters going backwards), cpuinfo with --collector.cpu.info, isolated CPUs,
 * thermal throttles and online state from sysfs.
 */
export function createCpuCollector(o: CpuOptions): Collector {
  const info = o.info || o.flagsInclude !== '' || o.bugsInclude !== '';
  const flags = o.flagsInclude !== '' ? new RegExp(o.flagsInclude) : undefined;
  const bugs = o.bugsInclude !== '' ? new RegExp(o.bugsInclude) : undefined;
  const cache = new Map<number, CpuTimes>();
  // The isolated set is fixed at boot (isolcpus=): read once, as node_exporter does.
  let isolated: { cpus: number[] | undefined } | undefined;
  return {
    name: 'cpu',
    defaultEnabled: true,
    collect: (ctx: CollectorContext): Observable<MetricFamily> =>
      defer(() => {
        const out: MetricFamily[] = [];
        if (info) {
          const parse = cpuinfoParser();
          if (!parse) throw new RxporterError('RXP_PROC_PARSE', `cpuinfo: no parser for architecture ${process.arch} (use --no-collector.cpu.info)`);
          out.push(...cpuInfoFamilies(parse(readProcText(ctx.procPath, 'cpuinfo')), { cpufreqEnabled: o.cpufreqEnabled, flags, bugs }));
        }
        const stat = parseStat(readProcText(ctx.procPath, 'stat'));
        out.push(...cpuTimesFamilies(mergeCpuTimes(cache, stat.cpus, ctx.log), o.guest));
        isolated ??= { cpus: readIsolatedCpus(ctx.sysPath) };
        if (isolated.cpus) out.push(...cpuIsolatedFamilies(isolated.cpus));
        out.push(...cpuThrottleFamilies(readThermalThrottles(ctx.sysPath, (reason, cpu) => ctx.log.debug(reason, { collector: 'cpu', cpu }))));
        const online = readCpuOnline(ctx.sysPath);
        if (online) out.push(...cpuOnlineFamilies(online));
        return from(out);
      }),
  };
}

/** The cpu collector's registration, with node_exporter's flags. */
export const cpuDefinition: CollectorDefinition = {
  name: 'cpu',
  defaultEnabled: true,
  options: {
    guest: { doc: 'Enables metric node_cpu_guest_seconds_total.', format: 'bool', default: true, arg: 'collector.cpu.guest' },
    info: { doc: 'Enables metric cpu_info.', format: 'bool', default: false, arg: 'collector.cpu.info' },
    infoFlagsInclude: {
      doc: 'Filter the `flags` field in cpuInfo with a value that must be a regular expression.',
      format: 'regexp-source',
      default: '',
      arg: 'collector.cpu.info.flags-include',
    },
    infoBugsInclude: {
      doc: 'Filter the `bugs` field in cpuInfo with a value that must be a regular expression.',
      format: 'regexp-source',
      default: '',
      arg: 'collector.cpu.info.bugs-include',
    },
  },
  create: (o, env) =>
    createCpuCollector({
      guest: o.guest !== false,
      info: o.info === true,
      flagsInclude: String(o.infoFlagsInclude ?? ''),
      bugsInclude: String(o.infoBugsInclude ?? ''),
      cpufreqEnabled: env?.isEnabled('cpufreq') ?? false,
    }),
};
