import { readlinkSync } from 'node:fs';
import { defer, from } from 'rxjs';
import type { CgroupEntry } from '../cgroup/classify';
import { readContainerMetadata, type ContainerMetadata } from '../cgroup/metadata';
import { readContainerSpec, readContainerStats, swapActive, type ContainerSpec, type ContainerStats } from '../cgroup/stats';
import { detectLayout, findContainers, walkRoot } from '../cgroup/tree';
import type { Labels, MetricFamily } from '../model/family';
import type { PsiStats } from '../procfs/pressure';
import { parseNetDev, type NetDevLine } from '../procfs/netDev';
import { readFileText, withoutStacks } from '../procfs/read';
import { readCgroupFile } from '../cgroup/read';
import { startPodInfoSource, type PodInfoSource } from '../kube/podInfoSource';
import { FamilyBuilder } from './familyBuilder';
import type { Collector, CollectorContext, CollectorDefinition } from './types';

/** Pod information of a container: the `pod`, `namespace` and `container` labels. */
export interface PodInfo {
  readonly pod: string;
  readonly namespace: string;
  readonly container: string;
}

/**
 * Extension point for Kubernetes: returns the pod information of a container from its pod's
 * uid (the kubepods cgroup name) and its container id ('' for the pod cgroup itself), e.g.
 * from the API server's pods on this node. Consulted when the runtime's files did not say;
 * undefined leaves the labels empty.
 */
export type PodInfoLookup = (podUid: string, containerId: string) => PodInfo | undefined;

/** Options of the container collector. */
export interface ContainerCollectorOptions {
  /** At most this many containers and pods per collection (the rest are counted, not exported). */
  readonly maxContainers: number;
  readonly podInfo?: PodInfoLookup;
  /**
   * The KSM service's pod-info endpoint (`--collector.container.pod-info-url`), fetched for this
   * node in the background from the first collection on (src/kube/podInfoSource.ts); used when
   * `podInfo` is not given.
   */
  readonly podInfoEndpoint?: { readonly url: string; readonly nodeName: string; readonly refreshMs: number };
}

/** cAdvisor's networkStatsFromProc leaves these out: loopback and the host ends of container links. */
const IGNORED_INTERFACES = ['lo', 'veth', 'docker', 'nerdctl'];
/** Failed metadata reads are retried after this many collections (a runtime writes its files around the cgroup's creation). */
const METADATA_RETRY = 10;
/**
 * Limits (container_spec_*) are read again after this many collections: they change rarely
 * (cAdvisor too reads a container's spec once and refreshes it only now and then), and their
 * six files would otherwise be a third of the reads of every collection.
 */
export const SPEC_REFRESH = 5;
/** Bound of one pod-info fetch (and at most the refresh period). */
const POD_INFO_TIMEOUT_MS = 10_000;

const NET: readonly [string, string, string][] = [
  ['receive_bytes', 'container_network_receive_bytes_total', 'Cumulative count of bytes received'],
  ['receive_packets', 'container_network_receive_packets_total', 'Cumulative count of packets received'],
  ['receive_dropped', 'container_network_receive_packets_dropped_total', 'Cumulative count of packets dropped while receiving'],
  ['receive_errors', 'container_network_receive_errors_total', 'Cumulative count of errors encountered while receiving'],
  ['transmit_bytes', 'container_network_transmit_bytes_total', 'Cumulative count of bytes transmitted'],
  ['transmit_packets', 'container_network_transmit_packets_total', 'Cumulative count of packets transmitted'],
  ['transmit_dropped', 'container_network_transmit_packets_dropped_total', 'Cumulative count of packets dropped while transmitting'],
  ['transmit_errors', 'container_network_transmit_errors_total', 'Cumulative count of errors encountered while transmitting'],
];

const PSI: readonly ['cpu' | 'memory' | 'io', string][] = [
  ['cpu', 'CPU'],
  ['memory', 'memory'],
  ['io', 'IO'],
];

/** One container (or pod) of a collection: its cgroup, what was read and what the runtime said. */
export interface ContainerSample {
  readonly entry: CgroupEntry;
  readonly stats: ContainerStats;
  readonly spec: ContainerSpec;
  readonly meta?: ContainerMetadata;
  readonly pod?: PodInfo;
  /** Interfaces of the container's network namespace, when it has its own. */
  readonly network?: readonly NetDevLine[];
  /** Block device names by "major:minor". */
  readonly devices: ReadonlyMap<string, string>;
}

/**
 * Returns cAdvisor's container_* families for `containers`, with its names, help and units
 * (google/cadvisor lib/metrics/prometheus.go): labels id (the cgroup path), name, image and,
 * when any container has pod information, pod, namespace and container ('' where unknown,
 * as cAdvisor gives every series the union of label names). `nowSeconds` is container_last_seen.
 */
export function containerFamilies(containers: readonly ContainerSample[], nowSeconds: number, dropped: number): MetricFamily[] {
  const b = new FamilyBuilder();
  const withPod = containers.some((c) => c.pod !== undefined);
  for (const c of containers) {
    const { stats: s, spec, meta } = c;
    const base: Record<string, string> = { id: c.entry.path, name: meta?.name ?? (c.entry.runtime === 'containerd' ? c.entry.id : ''), image: meta?.image ?? '' };
    if (withPod) Object.assign(base, { pod: c.pod?.pod ?? '', namespace: c.pod?.namespace ?? '', container: c.pod?.container ?? '' });
    const l: Labels = base;
    const g = (name: string, help: string, v: number, extra?: Labels) => b.gauge(name, help, extra ? { ...l, ...extra } : l, v);
    const k = (name: string, help: string, v: number, extra?: Labels) => b.counter(name, help, extra ? { ...l, ...extra } : l, v);
    g('container_last_seen', 'Last time a container was seen by the exporter', nowSeconds);
    const start = meta?.startTime ?? spec.startTime;
    if (start !== undefined) g('container_start_time_seconds', 'Start time of the container since unix epoch in seconds.', start);
    if (s.cpu) {
      k('container_cpu_usage_seconds_total', 'Cumulative cpu time consumed in seconds.', s.cpu.usage, { cpu: 'total' });
      k('container_cpu_user_seconds_total', 'Cumulative user cpu time consumed in seconds.', s.cpu.user);
      k('container_cpu_system_seconds_total', 'Cumulative system cpu time consumed in seconds.', s.cpu.system);
    }
    const quota = spec.cpu?.quota ?? 0;
    if (s.cfs && quota !== 0) {
      k('container_cpu_cfs_periods_total', 'Number of elapsed enforcement period intervals.', s.cfs.periods);
      k('container_cpu_cfs_throttled_periods_total', 'Number of throttled period intervals.', s.cfs.throttledPeriods);
      k('container_cpu_cfs_throttled_seconds_total', 'Total time duration the container has been throttled.', s.cfs.throttledSeconds);
    }
    if (spec.cpu) {
      g('container_spec_cpu_period', 'CPU period of the container.', spec.cpu.period);
      if (quota !== 0) g('container_spec_cpu_quota', 'CPU quota of the container.', quota);
      g('container_spec_cpu_shares', 'CPU share of the container.', spec.cpu.shares);
    }
    if (s.memory) {
      g('container_memory_usage_bytes', 'Current memory usage in bytes, including all memory regardless of when it was accessed', s.memory.usage);
      g('container_memory_working_set_bytes', 'Current working set in bytes.', s.memory.workingSet);
      g('container_memory_rss', 'Size of RSS in bytes.', s.memory.rss);
      g('container_memory_cache', 'Number of bytes of page cache memory.', s.memory.cache);
      g('container_memory_swap', 'Container swap usage in bytes.', s.memory.swap);
      k('container_memory_failcnt', 'Number of memory usage hits limits', s.memory.failcnt);
    }
    if (spec.memory) {
      g('container_spec_memory_limit_bytes', 'Memory limit for the container.', spec.memory.limit);
      g('container_spec_memory_swap_limit_bytes', 'Memory swap limit for the container.', spec.memory.swapLimit);
      g('container_spec_memory_reservation_limit_bytes', 'Memory reservation limit for the container.', spec.memory.reservation);
    }
    for (const d of s.io) {
      const device = { device: c.devices.get(d.device) ?? d.device };
      k('container_fs_reads_bytes_total', 'Cumulative count of bytes read', d.readBytes, device);
      k('container_fs_writes_bytes_total', 'Cumulative count of bytes written', d.writeBytes, device);
    }
    for (const n of c.network ?? []) {
      for (const [field, name, help] of NET) k(name, help, n.stats[field], { interface: n.name });
    }
    if (c.entry.kind === 'container') g('container_processes', 'Number of processes running inside the container.', s.pids.length);
    if (s.threads !== undefined) g('container_threads', 'Number of threads running inside the container', s.threads);
    if (spec.threadsMax !== undefined) g('container_threads_max', 'Maximum number of threads allowed inside the container, infinity if value is zero', spec.threadsMax);
    for (const [res, word] of PSI) {
      const p: PsiStats | undefined = s.pressure[res];
      if (p?.full) k(`container_pressure_${res}_stalled_seconds_total`, `Total time duration no tasks in the container could make progress due to ${word} congestion.`, p.full.total / 1e6);
      if (p?.some) k(`container_pressure_${res}_waiting_seconds_total`, `Total time duration tasks in the container have waited due to ${word} congestion.`, p.some.total / 1e6);
    }
  }
  b.gauge('rxporter_container_dropped', 'Containers and pods found beyond --collector.container.max-containers in this collection, not exported.', {}, dropped);
  return b.families();
}

/** Returns the interfaces of the network namespace of the first member of `pids` whose net/dev is readable, cAdvisor's ignored ones left out. */
function readNetwork(procPath: string, pids: readonly number[]): NetDevLine[] | undefined {
  for (const pid of pids.slice(0, 3)) {
    const text = readCgroupFile(`${procPath}/${pid}/net/dev`);
    if (text === undefined) continue; // exited since cgroup.procs was read
    return parseNetDev(text).filter((n) => !IGNORED_INTERFACES.some((p) => n.name.toLowerCase().startsWith(p)));
  }
  return undefined;
}

/** Returns the comm of `pid`, '' when it exited. */
function comm(procPath: string, pid: number | undefined): string {
  return pid === undefined ? '' : (readCgroupFile(`${procPath}/${pid}/comm`) ?? '').trim();
}

/**
 * Returns whether a container has its own network namespace, which cAdvisor reports (it
 * leaves out containers that share another's, as a pod's containers share the sandbox's):
 * the runtime's files say so when readable; otherwise a container outside a pod does, and
 * inside a pod only the sandbox, whose process is the kubelet's `pause`.
 */
const ownsNetwork = (procPath: string, c: CgroupEntry, s: ContainerStats, meta: ContainerMetadata | undefined): boolean =>
  c.kind === 'container' && (meta?.ownNetwork ?? (c.podUid === undefined || comm(procPath, s.pids[0]) === 'pause'));

/** Returns "/dev/<name>" of block device "major:minor" from <sysfs>/dev/block, or the number when unknown. */
function deviceName(sysPath: string, dev: string): string {
  try {
    const target = withoutStacks(() => readlinkSync(`${sysPath}/dev/block/${dev}`));
    return `/dev/${target.slice(target.lastIndexOf('/') + 1)}`;
  } catch {
    return dev;
  }
}

/** Returns boot time in seconds since the epoch from <procfs>/uptime, truncated to the minute as cAdvisor's; 0 when unreadable. */
function bootTime(procPath: string, nowMs: number): number {
  let up: number;
  try {
    up = Number.parseFloat(readFileText(`${procPath}/uptime`));
  } catch {
    return 0;
  }
  if (!Number.isFinite(up)) return 0;
  const t = nowMs / 1000 - up;
  return t - (t % 60);
}

/**
 * Returns the container collector: cAdvisor-compatible container_* families for every
 * docker, containerd, CRI-O and podman container and Kubernetes pod cgroup found under
 * <sysfs>/fs/cgroup (v1, hybrid or v2). Containers that vanish during the collection are
 * skipped; a host without cgroups is "no data". The runtime's files are read once per
 * container and kept while it lives.
 */
export function createContainerCollector(o: ContainerCollectorOptions): Collector & { stop(): void } {
  const metaCache = new Map<string, { meta?: ContainerMetadata; retryAt: number }>();
  const specCache = new Map<string, { spec: ContainerSpec; refreshAt: number }>();
  let round = 0;
  const metadata = (ctx: CollectorContext, c: CgroupEntry): ContainerMetadata | undefined => {
    const hit = metaCache.get(c.id);
    if (hit && (hit.meta !== undefined || round < hit.retryAt)) return hit.meta;
    const meta = readContainerMetadata(ctx.rootPath, c.runtime, c.id);
    metaCache.set(c.id, { meta, retryAt: round + METADATA_RETRY });
    return meta;
  };
  let podInfo = o.podInfo;
  let source: PodInfoSource | undefined;
  const ep = o.podInfoEndpoint;
  const collect = (ctx: CollectorContext): MetricFamily[] => {
    // The endpoint's cache starts with the first collection, on the thread that collects (a worker), never per scrape.
    if (podInfo === undefined && ep !== undefined) {
      source = startPodInfoSource({ ...ep, timeoutMs: Math.min(ep.refreshMs, POD_INFO_TIMEOUT_MS), log: ctx.log, scheduler: ctx.scheduler });
      podInfo = source.lookup;
    }
    round++;
    const nowMs = ctx.scheduler.now();
    const layout = detectLayout(ctx.sysPath);
    const { entries, dropped } = findContainers(walkRoot(layout), o.maxContainers);
    const boot = bootTime(ctx.procPath, nowMs);
    const swapOn = swapActive(ctx.procPath);
    const devices = new Map<string, string>();
    const seen = new Set<string>();
    const seenPaths = new Set<string>();
    const out: ContainerSample[] = [];
    for (const entry of entries) {
      let spec = specCache.get(entry.path);
      if (!spec || round >= spec.refreshAt) {
        const fresh = readContainerSpec(layout, entry.path, boot);
        spec = fresh && { spec: fresh, refreshAt: round + SPEC_REFRESH };
      }
      const stats = spec && readContainerStats(layout, entry.path, swapOn);
      if (!spec || !stats) continue; // vanished
      specCache.set(entry.path, spec);
      seenPaths.add(entry.path);
      const meta = entry.kind === 'container' ? metadata(ctx, entry) : undefined;
      if (entry.kind === 'container') seen.add(entry.id);
      for (const d of stats.io) if (!devices.has(d.device)) devices.set(d.device, deviceName(ctx.sysPath, d.device));
      const pod =
        meta?.pod !== undefined
          ? { pod: meta.pod, namespace: meta.namespace ?? '', container: meta.container ?? '' }
          : entry.podUid !== undefined
            ? podInfo?.(entry.podUid, entry.id)
            : undefined;
      const network = ownsNetwork(ctx.procPath, entry, stats, meta) ? readNetwork(ctx.procPath, stats.pids) : undefined;
      out.push({ entry, stats, spec: spec.spec, meta, pod, network, devices });
    }
    for (const id of metaCache.keys()) if (!seen.has(id)) metaCache.delete(id);
    for (const path of specCache.keys()) if (!seenPaths.has(path)) specCache.delete(path);
    return containerFamilies(out, Math.floor(nowMs / 1000), dropped);
  };
  return { name: 'container', defaultEnabled: false, collect: (ctx) => defer(() => from(collect(ctx))), stop: () => source?.stop() };
}

/** The container collector's registration: `--collector.container`, off by default. */
export const containerDefinition: CollectorDefinition = {
  name: 'container',
  defaultEnabled: false,
  options: {
    maxContainers: {
      doc: 'Most containers and pods the container collector exports per collection; the rest are counted in rxporter_container_dropped.',
      format: 'count',
      range: [1, 1_000_000],
      default: 1000,
      arg: 'collector.container.max-containers',
    },
    podInfoUrl: {
      doc: 'The pod-info endpoint of the KSM service (GET <url>?nodeName=<global.node-name>), e.g. http://rxporter-ksm.monitoring.svc:9100/v1/ksm/getPodInfoByNodeName: fills pod, namespace and container of containers the runtime files do not name; empty: off.',
      format: String,
      default: '',
      arg: 'collector.container.pod-info-url',
    },
    podInfoRefresh: {
      doc: 'Time between two fetches of the pod-info endpoint (in the background; a scrape uses the last answer).',
      format: 'duration',
      range: ['1s', '1h'],
      default: '30s',
      arg: 'collector.container.pod-info-refresh',
    },
  },
  create: (options, env) =>
    createContainerCollector({
      maxContainers: Number(options.maxContainers ?? 1000),
      podInfoEndpoint: options.podInfoUrl
        ? { url: String(options.podInfoUrl), nodeName: env?.config?.global.nodeName ?? '', refreshMs: Number(options.podInfoRefresh ?? 30_000) }
        : undefined,
    }),
};
