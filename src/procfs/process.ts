import { readdirSync } from 'node:fs';
import { RxporterError } from '../errors';
import { parsePidCgroup } from './pid_cgroup';
import { parsePidCmdline, parsePidWchan } from './pid_cmdline';
import { parsePidIO } from './pid_io';
import { parsePidLimitsOpenFiles } from './pid_limits';
import { parsePidSmaps } from './pid_smaps';
import { parseProcessStat, type ProcessStat } from './pid_stat';
import { parsePidStatus, type PidStatus } from './pid_status';
import { joinPath, readFileText, withoutStacks } from './read';

/**
 * Thin reads of /proc/<pid>/* for the process collector: each method reads and parses the
 * files of one process or its threads, in the order that lets a process that exits midway
 * be told from one that cannot be read (see `metrics`).
 */

/** A task's counters as process-exporter's Counts: cpu in seconds, the rest in bytes or events. */
export interface Counts {
  cpuUser: number;
  cpuSystem: number;
  readBytes: number;
  writeBytes: number;
  majorPageFaults: number;
  minorPageFaults: number;
  ctxVoluntary: number;
  ctxNonvoluntary: number;
}

/** How many tasks are in each of process-exporter's states. */
export interface States {
  running: number;
  sleeping: number;
  waiting: number;
  zombie: number;
  other: number;
}

/** What one process reports in one collection (process-exporter's Metrics). */
export interface ProcMetrics {
  counts: Counts;
  residentBytes: number;
  virtualBytes: number;
  swapBytes: number;
  pssBytes: number;
  swapPssBytes: number;
  /** Open file descriptors, -1 when /proc/<pid>/fd cannot be listed. */
  openFds: number;
  fdLimit: number;
  numThreads: number;
  states: States;
  wchan: string;
}

/** One thread of a multi-threaded process. */
export interface ThreadSample {
  readonly tid: string;
  readonly starttime: number;
  readonly name: string;
  readonly counts: Counts;
  readonly wchan: string;
  readonly states: States;
}

/** Clock ticks per second of /proc/<pid>/stat times (USER_HZ; process-exporter's userHZ). */
export const USER_HZ = 100;

/** Returns the States of one task in one-letter `state` (R running, S sleeping, D waiting, Z zombie, anything else other). */
export function statesOf(state: string): States {
  const s = { running: 0, sleeping: 0, waiting: 0, zombie: 0, other: 0 };
  if (state === 'R') s.running = 1;
  else if (state === 'S') s.sleeping = 1;
  else if (state === 'D') s.waiting = 1;
  else if (state === 'Z') s.zombie = 1;
  else s.other = 1;
  return s;
}

/** Returns true for the error of a file or process that is gone (ENOENT, ENOTDIR, ESRCH): the process exited. */
export function vanished(e: unknown): boolean {
  if (!(e instanceof RxporterError)) return false;
  if (e.code === 'RXP_PROC_MISSING') return true;
  const code = (e.cause as NodeJS.ErrnoException | undefined)?.code;
  return code === 'ESRCH' || code === 'ENOENT' || code === 'ENOTDIR';
}

/** Returns the numeric entry names of a directory (pids, tids); throws RXP_PROC_MISSING / RXP_PROC_READ. */
export function listTaskIds(dir: string): string[] {
  let names: string[];
  try {
    names = withoutStacks(() => readdirSync(dir));
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    throw withoutStacks(
      () => new RxporterError(code === 'ENOENT' || code === 'ENOTDIR' ? 'RXP_PROC_MISSING' : 'RXP_PROC_READ', `${dir}: ${(e as Error).message}`, false, { cause: e }),
    );
  }
  return names.filter((n) => {
    const c = n.charCodeAt(0);
    return c >= 49 && c <= 57 && /^\d+$/.test(n); // no leading zero: pids are printed plainly
  });
}

/** Returns the Counts of a task's stat, status and io (io may be missing: zeros). */
function countsOf(stat: ProcessStat, status: PidStatus, io: { readBytes: number; writeBytes: number } | undefined): Counts {
  return {
    cpuUser: stat.utime / USER_HZ,
    cpuSystem: stat.stime / USER_HZ,
    readBytes: io?.readBytes ?? 0,
    writeBytes: io?.writeBytes ?? 0,
    majorPageFaults: stat.majflt,
    minorPageFaults: stat.minflt,
    ctxVoluntary: status.voluntaryCtxtSwitches,
    ctxNonvoluntary: status.nonvoluntaryCtxtSwitches,
  };
}

/** Reads the files of the processes under one /proc. */
export class ProcReader {
  /**
   * @param procPath the /proc mount (`--path.procfs`)
   * @param smaps whether to read smaps_rollup (process-exporter's -gather-smaps)
   * @param pageSize bytes per page, to turn stat's rss into bytes
   */
  constructor(
    readonly procPath: string,
    private readonly smaps: boolean,
    private readonly pageSize: number,
  ) {}

  /** Returns a file the kernel renders whole (every one read here but smaps), with one read() call. */
  private text(rel: string): string {
    return readFileText(joinPath(this.procPath, rel), true);
  }

  /** Returns the pids under /proc. Throws RXP_PROC_MISSING / RXP_PROC_READ when it cannot be listed. */
  list(): string[] {
    return listTaskIds(this.procPath);
  }

  /** Returns the boot time in seconds since the epoch (/proc/stat btime). Throws RXP_PROC_* when missing. */
  bootTime(): number {
    const text = this.text('stat');
    const at = `\n${text}`.indexOf('\nbtime ');
    const v = at < 0 ? NaN : Number(text.slice(at + 6, text.indexOf('\n', at)).trim());
    if (!Number.isFinite(v)) throw new RxporterError('RXP_PROC_PARSE', `${this.procPath}/stat: no btime line`);
    return v;
  }

  /** Returns /proc/<pid>/stat. Throws RXP_PROC_MISSING when the process is gone, RXP_PROC_PARSE when garbled. */
  stat(pid: string): ProcessStat {
    return parseProcessStat(this.text(`${pid}/stat`));
  }

  /** Returns /proc/<pid>/cmdline's arguments. */
  cmdline(pid: string): string[] {
    return parsePidCmdline(this.text(`${pid}/cmdline`));
  }

  /** Returns /proc/<pid>/status. */
  status(pid: string): PidStatus {
    return parsePidStatus(this.text(`${pid}/status`));
  }

  /** Returns the cgroup paths of /proc/<pid>/cgroup, [] when it cannot be read (as process-exporter). */
  cgroups(pid: string): string[] {
    try {
      return parsePidCgroup(this.text(`${pid}/cgroup`));
    } catch {
      return [];
    }
  }

  /**
   * Returns the metrics of process `pid` whose stat is `stat`, and whether some were missing
   * (io, fd, wchan or smaps unreadable: process-exporter's partial error). The optional
   * files are read first and status and limits last, so a process that exits midway
   * throws RXP_PROC_MISSING from those instead of counting as partial.
   * Throws RXP_PROC_* when status or limits cannot be read or parsed.
   */
  metrics(pid: string, stat: ProcessStat): { metrics: ProcMetrics; partial: boolean } {
    let partial = false;
    let io: { readBytes: number; writeBytes: number } | undefined;
    try {
      io = parsePidIO(this.text(`${pid}/io`));
    } catch {
      partial = true;
    }
    let openFds = -1;
    try {
      openFds = withoutStacks(() => readdirSync(joinPath(this.procPath, `${pid}/fd`))).length;
    } catch {
      partial = true;
    }
    let wchan = '';
    try {
      wchan = parsePidWchan(this.text(`${pid}/wchan`));
    } catch {
      partial = true;
    }
    let pssBytes = 0;
    let swapPssBytes = 0;
    if (this.smaps) {
      try {
        const s = parsePidSmaps(this.smapsText(pid));
        pssBytes = s.pssBytes;
        swapPssBytes = s.swapPssBytes;
      } catch {
        partial = true;
      }
    }
    const status = this.status(pid);
    const fdLimit = parsePidLimitsOpenFiles(this.text(`${pid}/limits`));
    return {
      metrics: {
        counts: countsOf(stat, status, io),
        residentBytes: stat.rss * this.pageSize,
        virtualBytes: stat.vsize,
        swapBytes: status.vmSwapBytes,
        pssBytes,
        swapPssBytes,
        openFds,
        fdLimit,
        numThreads: stat.numThreads,
        states: statesOf(stat.state),
        wchan,
      },
      partial,
    };
  }

  /** Returns smaps_rollup, or smaps on kernels before 4.14 that lack it. */
  private smapsText(pid: string): string {
    try {
      return this.text(`${pid}/smaps_rollup`);
    } catch (e) {
      if (!(e instanceof RxporterError) || e.code !== 'RXP_PROC_MISSING') throw e;
      return readFileText(joinPath(this.procPath, `${pid}/smaps`)); // one page per read(): read to the end
    }
  }

  /**
   * Returns the threads of process `pid` from /proc/<pid>/task/<tid>/{stat,status,io,wchan},
   * skipping those that exit while read (and, as process-exporter, any whose stat or status
   * cannot be read; io and wchan may be missing). Returns undefined for fewer than 2 threads.
   * Throws RXP_PROC_* when task/ cannot be listed.
   */
  threads(pid: string): ThreadSample[] | undefined {
    const base = `${pid}/task`;
    const out: ThreadSample[] = [];
    for (const tid of listTaskIds(joinPath(this.procPath, base))) {
      let stat: ProcessStat;
      let status: PidStatus;
      try {
        stat = this.stat(`${base}/${tid}`);
        status = this.status(`${base}/${tid}`);
      } catch {
        continue;
      }
      let io: { readBytes: number; writeBytes: number } | undefined;
      try {
        io = parsePidIO(this.text(`${base}/${tid}/io`));
      } catch {
        io = undefined;
      }
      let wchan = '';
      try {
        wchan = parsePidWchan(this.text(`${base}/${tid}/wchan`));
      } catch {
        wchan = '';
      }
      out.push({ tid, starttime: stat.starttime, name: stat.comm, counts: countsOf(stat, status, io), wchan, states: statesOf(stat.state) });
    }
    return out.length < 2 ? undefined : out;
  }
}
