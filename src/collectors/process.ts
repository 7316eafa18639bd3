import { join } from 'node:path';
import { defer, from } from 'rxjs';
import { RxporterError } from '../errors';
import { counter, gauge, type MetricFamily, type Sample } from '../model/family';
import { parsePasswd } from '../os/passwd';
import { hostPageSize } from '../procfs/pageSize';
import { ProcReader } from '../procfs/process';
import { readFileText } from '../procfs/read';
import { readProcessNamesConfig, type ProcessNamesConfig } from '../process/config';
import { Tracker, type Group, type TrackerErrors } from '../process/tracker';
import type { Collector, CollectorDefinition } from './types';

/** The process collector's settings: process-exporter's flags, and the cap on groups. */
export interface ProcessCollectorOptions {
  readonly config: ProcessNamesConfig;
  /** -children (default true). */
  readonly children: boolean;
  /** -threads (default true): the per-thread-name families. */
  readonly threads: boolean;
  /** -gather-smaps (default true): proportionalResident and proportionalSwapped. */
  readonly gatherSmaps: boolean;
  /** -recheck (default false). */
  readonly recheck: boolean;
  /** Most groups and most thread names (default 1000). */
  readonly maxGroups: number;
  /** Page size in bytes (tests); the host's by default. */
  readonly pageSize?: number;
}


/**
 * Returns process-exporter's families for `groups` (collector/process_collector.go, 0.7.10):
 * namedprocess_namegroup_* per group (thread families when `threads`, proportional memory
 * when `smaps`) and the namedprocess_scrape_* counters, plus the two counters of what
 * the group cap dropped. Families without samples are left out.
 */
export function processFamilies(groups: readonly Group[], errors: TrackerErrors, o: { threads: boolean; smaps: boolean }): MetricFamily[] {
  const per = (f: (g: Group) => number): Sample[] => groups.map((g) => ({ labels: { groupname: g.name }, value: f(g) }));
  const each = <T>(f: (g: Group) => Iterable<T>, s: (g: Group, t: T) => Sample[]): Sample[] => groups.flatMap((g) => [...f(g)].flatMap((t) => s(g, t)));
  const memtypes: [string, (g: Group) => number][] = [
    ['resident', (g) => g.residentBytes],
    ['virtual', (g) => g.virtualBytes],
    ['swapped', (g) => g.swapBytes],
  ];
  if (o.smaps) memtypes.push(['proportionalResident', (g) => g.pssBytes], ['proportionalSwapped', (g) => g.swapPssBytes]);
  const states: [string, (g: Group) => number][] = [
    ['Running', (g) => g.states.running],
    ['Sleeping', (g) => g.states.sleeping],
    ['Waiting', (g) => g.states.waiting],
    ['Zombie', (g) => g.states.zombie],
    ['Other', (g) => g.states.other],
  ];
  const labelled = (label: string, pairs: [string, (g: Group) => number][]): Sample[] =>
    groups.flatMap((g) => pairs.map(([v, f]) => ({ labels: { groupname: g.name, [label]: v }, value: f(g) })));
  const one = (value: number): Sample[] => [{ labels: {}, value }];
  const out: MetricFamily[] = [
    gauge('namedprocess_namegroup_num_procs', 'number of processes in this group', per((g) => g.procs)),
    counter('namedprocess_namegroup_cpu_seconds_total', 'Cpu user usage in seconds', labelled('mode', [['user', (g) => g.counts.cpuUser], ['system', (g) => g.counts.cpuSystem]])),
    counter('namedprocess_namegroup_read_bytes_total', 'number of bytes read by this group', per((g) => g.counts.readBytes)),
    counter('namedprocess_namegroup_write_bytes_total', 'number of bytes written by this group', per((g) => g.counts.writeBytes)),
    counter('namedprocess_namegroup_major_page_faults_total', 'Major page faults', per((g) => g.counts.majorPageFaults)),
    counter('namedprocess_namegroup_minor_page_faults_total', 'Minor page faults', per((g) => g.counts.minorPageFaults)),
    counter('namedprocess_namegroup_context_switches_total', 'Context switches', labelled('ctxswitchtype', [['voluntary', (g) => g.counts.ctxVoluntary], ['nonvoluntary', (g) => g.counts.ctxNonvoluntary]])),
    gauge('namedprocess_namegroup_memory_bytes', 'number of bytes of memory in use', labelled('memtype', memtypes)),
    gauge('namedprocess_namegroup_open_filedesc', 'number of open file descriptors for this group', per((g) => g.openFds)),
    gauge('namedprocess_namegroup_worst_fd_ratio', 'the worst (closest to 1) ratio between open fds and max fds among all procs in this group', per((g) => g.worstFdRatio)),
    gauge('namedprocess_namegroup_oldest_start_time_seconds', 'start time in seconds since 1970/01/01 of oldest process in group', per((g) => g.oldestStartSeconds)),
    gauge('namedprocess_namegroup_num_threads', 'Number of threads', per((g) => g.numThreads)),
    gauge('namedprocess_namegroup_states', 'Number of processes in states Running, Sleeping, Waiting, Zombie, or Other', labelled('state', states)),
    gauge('namedprocess_namegroup_threads_wchan', 'Number of threads in this group waiting on each wchan', each((g) => g.wchans, (g, [wchan, n]) => [{ labels: { groupname: g.name, wchan }, value: n }])),
    counter('namedprocess_scrape_errors', 'general scrape errors: no proc metrics collected during a cycle', one(errors.scrape)),
    counter('namedprocess_scrape_procread_errors', "incremented each time a proc's metrics collection fails", one(errors.procRead)),
    counter('namedprocess_scrape_partial_errors', "incremented each time a tracked proc's metrics collection fails partially, e.g. unreadable I/O stats", one(errors.partial)),
    counter('namedprocess_scrape_dropped_groups', 'incremented for each process left untracked because its group would pass --collector.process.max-groups', one(errors.droppedGroups)),
    counter('namedprocess_scrape_dropped_threadnames', 'incremented for each thread name left out of a collection because it would pass --collector.process.max-groups', one(errors.droppedThreadNames)),
  ];
  if (o.threads) {
    const t = (name: string, help: string, type: 'gauge' | 'counter', s: (g: Group, th: Group['threads'][number]) => Sample[]) =>
      (type === 'gauge' ? gauge : counter)(name, help, each((g) => g.threads, s));
    const l = (g: Group, th: Group['threads'][number], extra: Record<string, string> = {}) => ({ groupname: g.name, threadname: th.name, ...extra });
    out.push(
      t('namedprocess_namegroup_thread_count', 'Number of threads in this group with same threadname', 'gauge', (g, th) => [{ labels: l(g, th), value: th.numThreads }]),
      t('namedprocess_namegroup_thread_cpu_seconds_total', 'Cpu user/system usage in seconds', 'counter', (g, th) => [
        { labels: l(g, th, { mode: 'user' }), value: th.counts.cpuUser },
        { labels: l(g, th, { mode: 'system' }), value: th.counts.cpuSystem },
      ]),
      t('namedprocess_namegroup_thread_io_bytes_total', 'number of bytes read/written by these threads', 'counter', (g, th) => [
        { labels: l(g, th, { iomode: 'read' }), value: th.counts.readBytes },
        { labels: l(g, th, { iomode: 'write' }), value: th.counts.writeBytes },
      ]),
      t('namedprocess_namegroup_thread_major_page_faults_total', 'Major page faults for these threads', 'counter', (g, th) => [{ labels: l(g, th), value: th.counts.majorPageFaults }]),
      t('namedprocess_namegroup_thread_minor_page_faults_total', 'Minor page faults for these threads', 'counter', (g, th) => [{ labels: l(g, th), value: th.counts.minorPageFaults }]),
      t('namedprocess_namegroup_thread_context_switches_total', 'Context switches for these threads', 'counter', (g, th) => [
        { labels: l(g, th, { ctxswitchtype: 'voluntary' }), value: th.counts.ctxVoluntary },
        { labels: l(g, th, { ctxswitchtype: 'nonvoluntary' }), value: th.counts.ctxNonvoluntary },
      ]),
    );
  }
  return out.filter((f) => f.samples.length > 0);
}

/**
 * Returns a uid → user name lookup over `<rootPath>/etc/passwd`, read once on first use
 * (process-exporter caches each uid for its lifetime too); the uid as text when unknown.
 */
function usernames(rootPath: () => string): (uid: number) => string {
  let users: Map<number, string> | undefined;
  return (uid) => {
    if (!users) {
      try {
        users = parsePasswd(readFileText(join(rootPath(), 'etc/passwd')));
      } catch {
        users = new Map();
      }
    }
    return users.get(uid) ?? String(uid);
  };
}

/**
 * Returns the process collector: process-exporter's namedprocess_* families for the groups
 * of `o.config`, from /proc/<pid>/{stat,status,cmdline,io,fd,limits,wchan,smaps_rollup,task}.
 * It keeps state across collections (which process is in which group, counter totals), so
 * one instance serves one agent. A process that exits while read is skipped silently; one
 * that cannot be read is counted in namedprocess_scrape_procread_errors, never logged.
 */
export function createProcessCollector(o: ProcessCollectorOptions): Collector {
  let root = '/';
  const tracker = new Tracker(o.config, { children: o.children, recheck: o.recheck, maxGroups: o.maxGroups }, usernames(() => root));
  return {
    name: 'process',
    defaultEnabled: false,
    collect: (ctx) =>
      defer(() => {
        root = ctx.rootPath;
        const reader = new ProcReader(ctx.procPath, o.gatherSmaps, o.pageSize ?? hostPageSize());
        const groups = tracker.update(reader, ctx.scheduler.now() / 1000);
        return from(processFamilies(groups, tracker.errors, { threads: o.threads, smaps: o.gatherSmaps }));
      }),
  };
}

/** The process collector's registration: process-exporter's flags under --collector.process.*. */
export const processDefinition: CollectorDefinition = {
  name: 'process',
  defaultEnabled: false,
  options: {
    config: { doc: "process-exporter's YAML config file (process_names rules); required when the collector is enabled.", format: String, default: '', arg: 'collector.process.config' },
    children: { doc: "If a proc is tracked, track with it any children that aren't part of their own group.", format: 'bool', default: true, arg: 'collector.process.children' },
    threads: { doc: 'Report on per-threadname metrics as well.', format: 'bool', default: true, arg: 'collector.process.threads' },
    gatherSmaps: { doc: 'Gather metrics from smaps_rollup, which contains proportional resident memory size.', format: 'bool', default: true, arg: 'collector.process.gather-smaps' },
    recheck: { doc: 'Recheck process names on each scrape.', format: 'bool', default: false, arg: 'collector.process.recheck' },
    maxGroups: { doc: 'Most groups, and most thread names over all groups; what passes it is dropped and counted.', format: 'count', default: 1000, arg: 'collector.process.max-groups', range: [1, 1_000_000] },
  },
  create: (o) => {
    const path = String(o.config ?? '');
    if (path === '') throw new RxporterError('RXP_CONFIG', 'collector.process.config: required when the process collector is enabled (a process-exporter config file)');
    return createProcessCollector({
      config: readProcessNamesConfig(path),
      children: o.children !== false,
      threads: o.threads !== false,
      gatherSmaps: o.gatherSmaps !== false,
      recheck: o.recheck === true,
      maxGroups: Number(o.maxGroups ?? 1000),
    });
  },
};
