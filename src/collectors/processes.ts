import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { defer, from } from 'rxjs';
import { RxporterError } from '../errors';
import { gauge, type MetricFamily } from '../model/family';
import { parsePidStat, type PidStat } from '../procfs/pid_stat';
import { readProcText } from '../procfs/read';
import { readUintFile } from '../sysfs/sysAttr';
import { simpleDefinition, type Collector, type CollectorContext } from './types';

/** What the processes collector counts in one pass over /proc. */
export interface ProcessCounts {
  readonly pids: number;
  readonly threads: number;
  readonly states: Map<string, number>;
  readonly threadStates: Map<string, number>;
  readonly maxThreads: number;
  readonly pidMax: number;
}

/** Returns the node_processes_* families. */
export function processesFamilies(c: ProcessCounts): MetricFamily[] {
  const one = (value: number) => [{ labels: {}, value }];
  const out = [
    gauge('node_processes_threads', 'Allocated threads in system', one(c.threads)),
    gauge('node_processes_max_threads', 'Limit of threads in the system', one(c.maxThreads)),
    gauge('node_processes_state', 'Number of processes in each state.', [...c.states].map(([state, value]) => ({ labels: { state }, value }))),
    gauge('node_processes_threads_state', 'Number of threads in each state.', [...c.threadStates].map(([thread_state, value]) => ({ labels: { thread_state }, value }))),
    gauge('node_processes_pids', 'Number of PIDs', one(c.pids)),
    gauge('node_processes_max_processes', 'Number of max PIDs limit', one(c.pidMax)),
  ];
  return out.filter((f) => f.samples.length > 0);
}

/** Returns true for the errors of a process or thread that exited while it was read (ENOENT, ESRCH). */
function vanished(e: unknown): boolean {
  if (!(e instanceof RxporterError)) return false;
  if (e.code === 'RXP_PROC_MISSING') return true;
  return (e.cause as NodeJS.ErrnoException | undefined)?.code === 'ESRCH';
}

/** Returns the numeric entries of a /proc-like directory (pids or tids); undefined when it vanished. */
function listIds(dir: string): string[] | undefined {
  let names: string[];
  try {
    names = readdirSync(dir);
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    if (code === 'ENOENT' || code === 'ENOTDIR' || code === 'ESRCH') return undefined;
    throw new RxporterError('RXP_PROC_READ', `${dir}: ${(e as Error).message}`, false, { cause: e });
  }
  return names.filter((n) => n.length > 0 && n.charCodeAt(0) >= 48 && n.charCodeAt(0) <= 57 && String(Number(n)) === n);
}

/**
 * Returns the process and thread counts of <procfs>, as node_exporter: a process or thread
 * that exits while it is read is skipped (debug line); any other error fails the collector.
 */
export function countProcesses(ctx: CollectorContext): ProcessCounts {
  const pidsList = listIds(ctx.procPath);
  if (!pidsList) throw new RxporterError('RXP_PROC_MISSING', `${ctx.procPath}: unable to list all processes`);
  let pids = 0;
  let threads = 0;
  const states = new Map<string, number>();
  const threadStates = new Map<string, number>();
  const bump = (m: Map<string, number>, k: string) => m.set(k, (m.get(k) ?? 0) + 1);
  for (const pid of pidsList) {
    let stat: PidStat;
    try {
      stat = parsePidStat(readProcText(ctx.procPath, `${pid}/stat`));
    } catch (e) {
      if (!vanished(e)) throw e;
      ctx.log.debug('file not found when retrieving stats for pid', { collector: 'processes', pid });
      continue;
    }
    pids++;
    bump(states, stat.state);
    threads += stat.numThreads;
    const taskDir = join(ctx.procPath, pid, 'task');
    const tids = listIds(taskDir);
    if (!tids) {
      ctx.log.debug('file not found when retrieving tasks for pid', { collector: 'processes', pid });
      continue;
    }
    for (const tid of tids) {
      if (tid === pid) {
        bump(threadStates, stat.state);
        continue;
      }
      try {
        bump(threadStates, parsePidStat(readProcText(taskDir, `${tid}/stat`)).state);
      } catch (e) {
        if (!vanished(e)) throw e;
        ctx.log.debug('file not found when retrieving stats for thread', { collector: 'processes', pid, threadId: tid });
      }
    }
  }
  return {
    pids,
    threads,
    states,
    threadStates,
    maxThreads: readUintFile(ctx.procPath, 'sys/kernel/threads-max'),
    pidMax: readUintFile(ctx.procPath, 'sys/kernel/pid_max'),
  };
}

/** The processes collector: process and thread counts by state from <procfs>/<pid>/stat. */
export const processes: Collector = {
  name: 'processes',
  defaultEnabled: false,
  collect: (ctx) => defer(() => from(processesFamilies(countProcesses(ctx)))),
};

/** The processes collector's registration. */
export const processesDefinition = simpleDefinition(processes);
