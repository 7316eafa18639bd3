import { RxporterError } from '../errors';
import type { ProcessStat } from '../procfs/pid_stat';
import { USER_HZ, vanished, type Counts, type ProcMetrics, type ProcReader, type States, type ThreadSample } from '../procfs/process';
import { matchAndName, type ProcessNamesConfig } from './config';

/**
 * process-exporter's Tracker and Grouper (proc/tracker.go, proc/grouper.go) over a
 * ProcReader: which processes belong to which group, and the group totals whose counters
 * never go backwards. One Tracker lives as long as its collector.
 */

/** The Tracker's switches: process-exporter's flags, plus the cardinality cap. */
export interface TrackerOptions {
  /** -children: a process that matches no rule joins the group of its nearest tracked ancestor. */
  readonly children: boolean;
  /** -recheck: processes that matched no rule are matched again at every collection. */
  readonly recheck: boolean;
  /** Most groups (live or remembered) and most thread names over all groups. */
  readonly maxGroups: number;
}

/** One thread name of a group: how many threads have it and their counters. */
export interface ThreadGroup {
  readonly name: string;
  readonly numThreads: number;
  readonly counts: Counts;
}

/** A group's totals in one collection (process-exporter's Group). */
export interface Group {
  readonly name: string;
  readonly procs: number;
  readonly counts: Counts;
  readonly states: States;
  readonly wchans: ReadonlyMap<string, number>;
  readonly residentBytes: number;
  readonly virtualBytes: number;
  readonly swapBytes: number;
  readonly pssBytes: number;
  readonly swapPssBytes: number;
  /** Start of the oldest member in whole seconds since the epoch; Go's zero time (-62135596800) for a group without members. */
  readonly oldestStartSeconds: number;
  readonly openFds: number;
  readonly worstFdRatio: number;
  readonly numThreads: number;
  /** Per thread name; empty unless a member has 2 threads or more. */
  readonly threads: readonly ThreadGroup[];
}

/** Error counters since the tracker started (process-exporter's namedprocess_scrape_*). */
export interface TrackerErrors {
  /** Collections where /proc could not be listed. */
  scrape: number;
  /** Processes that could not be read at all (and did not just exit). */
  procRead: number;
  /** Tracked processes some of whose files could not be read (io, fd, wchan, smaps, threads). */
  partial: number;
  /** Processes left untracked because their group would pass maxGroups. */
  droppedGroups: number;
  /** Thread names left out of a collection because they would pass maxGroups. */
  droppedThreadNames: number;
}

/** Go's time.Time{}.Unix(): what process-exporter reports as the start of a group without members. */
export const GO_ZERO_TIME_UNIX = -62135596800;

const zeroCounts = (): Counts => ({ cpuUser: 0, cpuSystem: 0, readBytes: 0, writeBytes: 0, majorPageFaults: 0, minorPageFaults: 0, ctxVoluntary: 0, ctxNonvoluntary: 0 });
const zeroStates = (): States => ({ running: 0, sleeping: 0, waiting: 0, zombie: 0, other: 0 });
const COUNT_KEYS = Object.keys(zeroCounts()) as (keyof Counts)[];
const STATE_KEYS = Object.keys(zeroStates()) as (keyof States)[];

/** Returns now - before per counter, 0 where a counter went down (process-exporter's uint64 subtraction would wrap). */
function delta(now: Counts, before: Counts): Counts {
  const d = zeroCounts();
  for (const k of COUNT_KEYS) d[k] = Math.max(0, now[k] - before[k]);
  return d;
}

function addCounts(into: Counts, c: Counts): void {
  for (const k of COUNT_KEYS) into[k] += c[k];
}

function addStates(into: States, s: States): void {
  for (const k of STATE_KEYS) into[k] += s[k];
}

interface TrackedThread {
  readonly starttime: number;
  readonly name: string;
  readonly accum: Counts;
  readonly latest: Counts;
  readonly wchan: string;
}

/** A process the tracker knows: tracked in a group, or ignored (group undefined). */
interface TrackedProc {
  readonly starttime: number;
  readonly group: string | undefined;
  cycle: number;
  startSeconds: number;
  metrics?: ProcMetrics;
  /** Counter increase seen in the last collection. */
  lastAccum: Counts;
  threads?: Map<string, TrackedThread>;
}

/** A group's memory across collections: counter totals, per thread name, live members. */
interface GroupHistory {
  accum: Counts;
  threads: Map<string, Counts>;
  members: number;
  lastCycle: number;
}

/** A new process this collection that matched no rule (kept for the -children pass). */
interface Unmatched {
  readonly pid: string;
  readonly stat: ProcessStat;
}

/** Tracks processes across collections and sums them by group. */
export class Tracker {
  private readonly procs = new Map<string, TrackedProc>();
  private readonly history = new Map<string, GroupHistory>();
  private firstUpdateAt: number | undefined;
  private cycle = 0;
  private bootTime: number | undefined;
  /** Counters since the tracker started. */
  readonly errors: TrackerErrors = { scrape: 0, procRead: 0, partial: 0, droppedGroups: 0, droppedThreadNames: 0 };

  /**
   * @param config the process_names rules
   * @param opts process-exporter's switches and the cap
   * @param username returns the user name of a uid (the uid as text when unknown)
   */
  constructor(
    private readonly config: ProcessNamesConfig,
    private readonly opts: TrackerOptions,
    private readonly username: (uid: number) => string,
  ) {}

  /**
   * Returns the groups after one pass over `reader`'s /proc at `nowSeconds` (epoch): every
   * group with a tracked member, and every group seen before (counters only). A process
   * that exits while it is read is skipped; one that cannot be read is counted in
   * `errors.procRead`. Throws RXP_PROC_* (after counting `errors.scrape`) when /proc cannot
   * be listed or /proc/stat has no boot time.
   */
  update(reader: ProcReader, nowSeconds: number): Group[] {
    let pids: string[];
    try {
      this.bootTime ??= reader.bootTime();
      pids = reader.list();
    } catch (e) {
      this.errors.scrape++;
      throw e instanceof RxporterError ? e : new RxporterError('RXP_PROC_READ', String(e));
    }
    this.firstUpdateAt ??= nowSeconds;
    const cycle = ++this.cycle;
    const unmatched = new Map<string, Unmatched>();
    // Forget the processes that exited first, so that their groups can make room for new ones.
    const listed = new Set(pids);
    for (const [pid, p] of this.procs) {
      if (!listed.has(pid)) this.forget(pid, p);
    }
    for (const pid of pids) this.visit(reader, pid, cycle, unmatched);
    for (const [pid, p] of this.procs) {
      if (p.cycle !== cycle) this.forget(pid, p);
    }
    if (this.opts.children) {
      for (const u of unmatched.values()) {
        if (!this.procs.has(u.pid)) this.checkAncestry(reader, u, unmatched, cycle);
      }
    }
    return this.groups(cycle);
  }

  /** Reads one pid and updates its entry. */
  private visit(reader: ProcReader, pid: string, cycle: number, unmatched: Map<string, Unmatched>): void {
    let stat: ProcessStat;
    try {
      stat = reader.stat(pid);
    } catch (e) {
      if (!vanished(e)) this.errors.procRead++;
      return;
    }
    let known = this.procs.get(pid);
    if (known && known.starttime !== stat.starttime) {
      this.forget(pid, known); // the pid was reused by a new process
      known = undefined;
    }
    if (known) {
      if (known.group === undefined) {
        known.cycle = cycle;
        return;
      }
      const read = this.readMetrics(reader, pid, stat);
      if (read === 'gone') return; // forgotten at the end of the pass
      if (read === 'failed') {
        // Still there but unreadable this time: keep it (its last gauges, no counter increase)
        // rather than forget it and count its whole counters again when it is found anew.
        known.cycle = cycle;
        known.lastAccum = zeroCounts();
        return;
      }
      this.refresh(known, read.metrics, read.threads, cycle);
      return;
    }
    let name: string | undefined;
    try {
      const cmdline = reader.cmdline(pid);
      const status = reader.status(pid);
      const start = this.startOf(stat.starttime);
      name = matchAndName(this.config, {
        name: stat.comm,
        cmdline,
        pid: Number(pid),
        startTime: start,
        username: () => this.username(status.uids[1]),
        cgroups: () => reader.cgroups(pid),
      });
    } catch (e) {
      if (!vanished(e)) this.errors.procRead++;
      return;
    }
    if (name === undefined) {
      if (this.opts.children) unmatched.set(pid, { pid, stat });
      return; // without -children, matched again next time (process-exporter never ignores it then)
    }
    this.track(reader, pid, stat, name, cycle);
  }

  /** Returns the start of a process whose stat starttime is `ticks`: seconds and nanoseconds since the epoch. */
  private startOf(ticks: number): { seconds: number; nanos: number } {
    return { seconds: (this.bootTime ?? 0) + Math.floor(ticks / USER_HZ), nanos: (ticks % USER_HZ) * (1e9 / USER_HZ) };
  }

  /**
   * Returns a process's metrics with its threads folded in (process-exporter's handleProc),
   * 'gone' when it exited while read, 'failed' (counted) when it could not be read.
   */
  private readMetrics(reader: ProcReader, pid: string, stat: ProcessStat): { metrics: ProcMetrics; threads?: ThreadSample[] } | 'gone' | 'failed' {
    let metrics: ProcMetrics;
    let partial: boolean;
    try {
      ({ metrics, partial } = reader.metrics(pid, stat));
    } catch (e) {
      if (vanished(e)) return 'gone';
      this.errors.procRead++;
      return 'failed';
    }
    let threads: ThreadSample[] | undefined;
    if (stat.numThreads > 1) {
      try {
        threads = reader.threads(pid);
      } catch (e) {
        if (vanished(e)) return 'gone';
        partial = true;
      }
    }
    if (partial) this.errors.partial++;
    if (threads) {
      // As process-exporter: context switches are the threads' sum, and the threads'
      // states are added to the process's own (so the main thread counts twice).
      metrics.counts.ctxVoluntary = 0;
      metrics.counts.ctxNonvoluntary = 0;
      for (const t of threads) {
        metrics.counts.ctxVoluntary += t.counts.ctxVoluntary;
        metrics.counts.ctxNonvoluntary += t.counts.ctxNonvoluntary;
        addStates(metrics.states, t.states);
      }
    }
    return { metrics, threads };
  }

  /** Starts tracking a new process in group `name`, unless the cap refuses a new group. */
  private track(reader: ProcReader, pid: string, stat: ProcessStat, name: string, cycle: number): boolean {
    let h = this.history.get(name);
    const created = !h;
    if (!h) {
      if (this.history.size >= this.opts.maxGroups && !this.evictDeadGroup()) {
        this.errors.droppedGroups++;
        this.procs.set(pid, { starttime: stat.starttime, group: undefined, cycle, startSeconds: 0, lastAccum: zeroCounts() });
        return false;
      }
      h = { accum: zeroCounts(), threads: new Map(), members: 0, lastCycle: cycle };
      this.history.set(name, h);
    }
    const read = this.readMetrics(reader, pid, stat);
    if (typeof read === 'string') {
      if (created) this.history.delete(name);
      return false;
    }
    const start = this.startOf(stat.starttime);
    const startSeconds = start.seconds + start.nanos / 1e9;
    const p: TrackedProc = {
      starttime: stat.starttime,
      group: name,
      cycle,
      startSeconds,
      metrics: read.metrics,
      // A process that started after the first collection has done all its work since: count it.
      lastAccum: startSeconds > (this.firstUpdateAt ?? 0) ? { ...read.metrics.counts } : zeroCounts(),
    };
    if (read.threads) {
      p.threads = new Map();
      for (const t of read.threads) p.threads.set(t.tid, { starttime: t.starttime, name: t.name, accum: t.counts, latest: zeroCounts(), wchan: t.wchan });
    }
    this.procs.set(pid, p);
    h.members++;
    return true;
  }

  /** Removes the group without live members seen longest ago; false when every group has members. */
  private evictDeadGroup(): boolean {
    let victim: string | undefined;
    let oldest = Infinity;
    for (const [name, h] of this.history) {
      if (h.members === 0 && h.lastCycle < oldest) {
        oldest = h.lastCycle;
        victim = name;
      }
    }
    if (victim === undefined) return false;
    this.history.delete(victim);
    return true;
  }

  /** Updates a tracked process with this collection's metrics (process-exporter's trackedProc.update). */
  private refresh(p: TrackedProc, metrics: ProcMetrics, threads: ThreadSample[] | undefined, cycle: number): void {
    p.lastAccum = delta(metrics.counts, p.metrics!.counts);
    p.metrics = metrics;
    p.cycle = cycle;
    if (!threads) {
      p.threads = undefined;
      return;
    }
    const old = p.threads;
    const next = new Map<string, TrackedThread>();
    for (const t of threads) {
      const before = old?.get(t.tid);
      const latest = before && before.starttime === t.starttime ? delta(t.counts, before.accum) : zeroCounts();
      next.set(t.tid, { starttime: t.starttime, name: t.name, accum: t.counts, latest, wchan: t.wchan });
    }
    p.threads = next;
  }

  /** Drops a process that exited (its group keeps its counter totals). */
  private forget(pid: string, p: TrackedProc): void {
    this.procs.delete(pid);
    if (p.group === undefined) return;
    const h = this.history.get(p.group);
    if (h) h.members--;
  }

  /** Marks a process as ignored, unless -recheck asks to match it again next time. */
  private ignore(u: Unmatched, cycle: number): void {
    if (!this.opts.recheck) this.procs.set(u.pid, { starttime: u.stat.starttime, group: undefined, cycle, startSeconds: 0, lastAccum: zeroCounts() });
  }

  /**
   * Returns the group of the nearest tracked ancestor of `u`, tracking `u` (and its new
   * unmatched ancestors) in it; ignores them when the chain reaches a process that is
   * ignored, unknown or gone (process-exporter's checkAncestry).
   */
  private checkAncestry(reader: ProcReader, u: Unmatched, unmatched: Map<string, Unmatched>, cycle: number): string | undefined {
    const ppid = String(u.stat.ppid);
    const parent = this.procs.get(ppid);
    if (parent) {
      if (parent.group !== undefined && this.track(reader, u.pid, u.stat, parent.group, cycle)) return parent.group;
      if (parent.group === undefined) this.ignore(u, cycle);
      return undefined;
    }
    const newParent = unmatched.get(ppid);
    if (newParent && newParent.pid !== u.pid) {
      const name = this.procs.has(newParent.pid) ? undefined : this.checkAncestry(reader, newParent, unmatched, cycle);
      if (name !== undefined && this.track(reader, u.pid, u.stat, name, cycle)) return name;
    }
    this.ignore(u, cycle);
    return undefined;
  }

  /** Sums the tracked processes by group and adds each group's history (process-exporter's Grouper.groups). */
  private groups(cycle: number): Group[] {
    interface Acc {
      procs: number;
      counts: Counts;
      states: States;
      wchans: Map<string, number>;
      residentBytes: number;
      virtualBytes: number;
      swapBytes: number;
      pssBytes: number;
      swapPssBytes: number;
      oldestStart: number;
      openFds: number;
      worstFdRatio: number;
      numThreads: number;
      threads: { name: string; latest: Counts }[];
    }
    const live = new Map<string, Acc>();
    for (const p of this.procs.values()) {
      if (p.group === undefined || p.cycle !== cycle || !p.metrics) continue;
      let g = live.get(p.group);
      if (!g) {
        g = {
          procs: 0, counts: zeroCounts(), states: zeroStates(), wchans: new Map(), residentBytes: 0, virtualBytes: 0, swapBytes: 0,
          pssBytes: 0, swapPssBytes: 0, oldestStart: Infinity, openFds: 0, worstFdRatio: 0, numThreads: 0, threads: [],
        };
        live.set(p.group, g);
      }
      const m = p.metrics;
      g.procs++;
      g.residentBytes += m.residentBytes;
      g.virtualBytes += m.virtualBytes;
      g.swapBytes += m.swapBytes;
      g.pssBytes += m.pssBytes;
      g.swapPssBytes += m.swapPssBytes;
      if (m.openFds !== -1) g.openFds += m.openFds;
      const ratio = m.openFds / m.fdLimit;
      if (g.worstFdRatio < ratio) g.worstFdRatio = ratio;
      g.numThreads += m.numThreads;
      addCounts(g.counts, p.lastAccum);
      addStates(g.states, m.states);
      if (p.startSeconds < g.oldestStart) g.oldestStart = p.startSeconds;
      if (m.wchan !== '') g.wchans.set(m.wchan, (g.wchans.get(m.wchan) ?? 0) + 1);
      if (p.threads && p.threads.size > 1) {
        for (const t of p.threads.values()) {
          g.threads.push({ name: t.name, latest: t.latest });
          if (t.wchan !== '') g.wchans.set(t.wchan, (g.wchans.get(t.wchan) ?? 0) + 1);
        }
      }
    }
    let threadBudget = this.opts.maxGroups;
    const out: Group[] = [];
    for (const name of [...this.history.keys()].sort()) {
      const h = this.history.get(name)!;
      const g = live.get(name);
      if (!g) {
        h.threads.clear();
        out.push({
          name, procs: 0, counts: { ...h.accum }, states: zeroStates(), wchans: new Map(), residentBytes: 0, virtualBytes: 0, swapBytes: 0,
          pssBytes: 0, swapPssBytes: 0, oldestStartSeconds: GO_ZERO_TIME_UNIX, openFds: 0, worstFdRatio: 0, numThreads: 0, threads: [],
        });
        continue;
      }
      h.lastCycle = cycle;
      addCounts(g.counts, h.accum);
      h.accum = { ...g.counts };
      const threads = this.threadGroups(h, g.threads, threadBudget);
      threadBudget -= threads.length;
      out.push({
        name, procs: g.procs, counts: g.counts, states: g.states, wchans: g.wchans, residentBytes: g.residentBytes, virtualBytes: g.virtualBytes,
        swapBytes: g.swapBytes, pssBytes: g.pssBytes, swapPssBytes: g.swapPssBytes, oldestStartSeconds: Math.floor(g.oldestStart), openFds: g.openFds,
        worstFdRatio: g.worstFdRatio, numThreads: g.numThreads, threads,
      });
    }
    return out;
  }

  /**
   * Returns a group's threads by name with their totals, at most `budget` names (names the
   * group had before first): process-exporter's Grouper.threads. Names no thread has now
   * are forgotten, as there.
   */
  private threadGroups(h: GroupHistory, updates: readonly { name: string; latest: Counts }[], budget: number): ThreadGroup[] {
    if (updates.length === 0) {
      h.threads.clear();
      return [];
    }
    const byName = new Map<string, { numThreads: number; counts: Counts }>();
    for (const u of updates) {
      let t = byName.get(u.name);
      if (!t) {
        t = { numThreads: 0, counts: zeroCounts() };
        byName.set(u.name, t);
      }
      t.numThreads++;
      addCounts(t.counts, u.latest);
    }
    const names = [...byName.keys()].sort((a, b) => Number(h.threads.has(b)) - Number(h.threads.has(a)) || (a < b ? -1 : a > b ? 1 : 0));
    const out: ThreadGroup[] = [];
    const next = new Map<string, Counts>();
    for (const name of names) {
      if (out.length >= Math.max(0, budget)) {
        this.errors.droppedThreadNames++;
        continue;
      }
      const t = byName.get(name)!;
      const old = h.threads.get(name);
      if (old) addCounts(t.counts, old);
      next.set(name, { ...t.counts });
      out.push({ name, numThreads: t.numThreads, counts: t.counts });
    }
    h.threads = next;
    return out;
  }
}
