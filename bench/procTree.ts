/**
 * Synthetic /proc trees for the process collector: what the tests' fixtures and the
 * 10 000-process benchmark are made of. Files are laid out as the kernel shows them
 * (proc(5)): <root>/stat and <root>/<pid>/{stat,status,cmdline,io,limits,wchan,smaps_rollup,cgroup,fd/,task/}.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

/** One synthetic task (a process, or a thread when under `threads`). */
export interface TaskSpec {
  readonly pid: number;
  readonly comm: string;
  readonly ppid?: number;
  readonly state?: string;
  readonly cmdline?: readonly string[];
  readonly uid?: number;
  /** Clock ticks. */
  readonly utime?: number;
  readonly stime?: number;
  readonly minflt?: number;
  readonly majflt?: number;
  /** Clock ticks after boot. */
  readonly starttime?: number;
  readonly vsize?: number;
  /** Pages. */
  readonly rss?: number;
  readonly numThreads?: number;
  readonly fds?: number;
  readonly fdLimit?: number | 'unlimited';
  readonly readBytes?: number;
  readonly writeBytes?: number;
  readonly voluntary?: number;
  readonly nonvoluntary?: number;
  readonly swapKb?: number;
  readonly pssKb?: number;
  readonly swapPssKb?: number;
  readonly wchan?: string;
  readonly cgroup?: string;
  /** Threads (task/<tid>), the process itself first as the kernel lists it. */
  readonly threads?: readonly TaskSpec[];
}

/** Returns a /proc/<pid>/stat line (52 fields, as Linux 5.x+ prints them). */
export function statLine(t: TaskSpec): string {
  const f = [
    t.state ?? 'S', t.ppid ?? 1, t.pid, t.pid, 0, -1, 4194304, t.minflt ?? 0, 0, t.majflt ?? 0, 0, t.utime ?? 0, t.stime ?? 0, 0, 0, 20, 0,
    t.numThreads ?? t.threads?.length ?? 1, 0, t.starttime ?? 100, t.vsize ?? 0, t.rss ?? 0, '18446744073709551615', 1, 1, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 17, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0,
  ];
  return `${t.pid} (${t.comm}) ${f.join(' ')}\n`;
}

/** Returns a /proc/<pid>/status text with the lines the collector reads and a few it skips. */
export function statusText(t: TaskSpec): string {
  const uid = t.uid ?? 0;
  return [
    `Name:\t${t.comm}`, 'Umask:\t0022', `State:\t${t.state ?? 'S'} (sleeping)`, `Tgid:\t${t.pid}`, `Pid:\t${t.pid}`, `PPid:\t${t.ppid ?? 1}`,
    `Uid:\t${uid}\t${uid}\t${uid}\t${uid}`, `Gid:\t${uid}\t${uid}\t${uid}\t${uid}`, 'FDSize:\t64', `VmSize:\t${Math.floor((t.vsize ?? 0) / 1024)} kB`,
    `VmRSS:\t${(t.rss ?? 0) * 4} kB`, `VmSwap:\t${t.swapKb ?? 0} kB`, `Threads:\t${t.numThreads ?? t.threads?.length ?? 1}`,
    `voluntary_ctxt_switches:\t${t.voluntary ?? 0}`, `nonvoluntary_ctxt_switches:\t${t.nonvoluntary ?? 0}`, '',
  ].join('\n');
}

/** Returns a /proc/<pid>/io text. */
export const ioText = (t: TaskSpec): string =>
  `rchar: 1000\nwchar: 2000\nsyscr: 10\nsyscw: 20\nread_bytes: ${t.readBytes ?? 0}\nwrite_bytes: ${t.writeBytes ?? 0}\ncancelled_write_bytes: 0\n`;

/** Returns a /proc/<pid>/limits text. */
export function limitsText(t: TaskSpec): string {
  const row = (name: string, soft: string, hard: string, unit: string) => `${name.padEnd(26)}${soft.padEnd(21)}${hard.padEnd(21)}${unit.padEnd(10)}`;
  const fd = String(t.fdLimit ?? 1024);
  return `${[
    row('Limit', 'Soft Limit', 'Hard Limit', 'Units'),
    row('Max cpu time', 'unlimited', 'unlimited', 'seconds'),
    row('Max processes', '63619', '63619', 'processes'),
    row('Max open files', fd, fd === 'unlimited' ? fd : '524288', 'files'),
    row('Max locked memory', '8388608', '8388608', 'bytes'),
  ].join('\n')}\n`;
}

/** Returns a /proc/<pid>/smaps_rollup text. */
export const smapsText = (t: TaskSpec): string =>
  `55d4c0a3e000-7ffd3a1f9000 ---p 00000000 00:00 0                          [rollup]\nRss:                 ${(t.rss ?? 0) * 4} kB\nPss:                 ${t.pssKb ?? 0} kB\nSwap:                  0 kB\nSwapPss:               ${t.swapPssKb ?? 0} kB\nLocked:                0 kB\n`;

function writeTask(dir: string, t: TaskSpec, withProcessFiles: boolean): void {
  mkdirSync(dir, { recursive: true });
  writeFileSync(join(dir, 'stat'), statLine(t));
  writeFileSync(join(dir, 'status'), statusText(t));
  writeFileSync(join(dir, 'io'), ioText(t));
  writeFileSync(join(dir, 'wchan'), t.wchan ?? '0');
  writeFileSync(join(dir, 'comm'), `${t.comm}\n`);
  if (!withProcessFiles) return;
  writeFileSync(join(dir, 'cmdline'), (t.cmdline ?? []).map((a) => `${a}\0`).join(''));
  writeFileSync(join(dir, 'limits'), limitsText(t));
  writeFileSync(join(dir, 'smaps_rollup'), smapsText(t));
  writeFileSync(join(dir, 'cgroup'), t.cgroup ?? '0::/system.slice/synthetic.service\n');
  mkdirSync(join(dir, 'fd'), { recursive: true });
  for (let i = 0; i < (t.fds ?? 3); i++) writeFileSync(join(dir, 'fd', String(i)), '');
}

/** Writes `<root>/stat` (btime `bootTime`) and one directory per process of `procs` (with task/ for threads). */
export function writeProcTree(root: string, procs: readonly TaskSpec[], bootTime = 1700000000): void {
  mkdirSync(root, { recursive: true });
  writeFileSync(join(root, 'stat'), `cpu  1 2 3 4 5 6 7 8 0 0\ncpu0 1 2 3 4 5 6 7 8 0 0\nintr 0\nctxt 0\nbtime ${bootTime}\nprocesses 1\nprocs_running 1\nprocs_blocked 0\n`);
  for (const p of procs) {
    const dir = join(root, String(p.pid));
    writeTask(dir, p, true);
    for (const t of p.threads ?? []) writeTask(join(dir, 'task', String(t.pid)), t, false);
  }
}

/**
 * Returns `n` synthetic processes in `groups` comm names ("svc000"…), each with a
 * cmdline, counters, 4 fds; every `threadedEvery`-th one has 3 threads (0: none).
 */
export function syntheticProcesses(n: number, groups = 50, threadedEvery = 10): TaskSpec[] {
  const out: TaskSpec[] = [];
  for (let i = 0; i < n; i++) {
    const pid = 1000 + i;
    const comm = `svc${String(i % groups).padStart(3, '0')}`;
    const base: TaskSpec = {
      pid, comm, ppid: 1, cmdline: [`/usr/bin/${comm}`, '--worker', String(i)], utime: i % 500, stime: i % 300, minflt: 1000 + i, majflt: i % 7,
      starttime: 1000 + i, vsize: 100_000_000 + i * 4096, rss: 2000 + (i % 100), fds: 4, readBytes: i * 512, writeBytes: i * 256,
      voluntary: 50 + i, nonvoluntary: i % 13, pssKb: 3000, wchan: 'do_epoll_wait',
    };
    if (threadedEvery > 0 && i % threadedEvery === 0) {
      const threads = [0, 1, 2].map((k) => ({ ...base, pid: k === 0 ? pid : 100_000 + i * 3 + k, comm: k === 0 ? comm : `${comm}-io`, voluntary: 10 + k, nonvoluntary: k }));
      out.push({ ...base, numThreads: 3, threads });
    } else {
      out.push(base);
    }
  }
  return out;
}
