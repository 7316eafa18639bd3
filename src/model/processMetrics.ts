import { readdirSync, readFileSync } from 'node:fs';
import { counter, gauge, type MetricFamily } from './family';

const CLK_TCK = 100; // USER_HZ on Linux
const PAGE_SIZE = 4096;

/** Returns the fields of /proc/self/stat after the command name, or undefined off Linux. */
function selfStat(): string[] | undefined {
  try {
    const s = readFileSync('/proc/self/stat', 'utf8');
    return s.slice(s.lastIndexOf(')') + 2).split(' ');
  } catch {
    return undefined;
  }
}

let bootTime: number | undefined;
const readBootTime = (): number => {
  if (bootTime === undefined) {
    const m = /^btime (\d+)$/m.exec(readFileSync('/proc/stat', 'utf8'));
    bootTime = m ? Number(m[1]) : 0;
  }
  return bootTime;
};

const maxFds = (): number => {
  const m = /^Max open files\s+(\S+)/m.exec(readFileSync('/proc/self/limits', 'utf8'));
  return !m || m[1] === 'unlimited' ? Infinity : Number(m[1]);
};

/**
 * Returns client_golang's process_* families for this process (the real /proc, never
 * --path.procfs): what "exporter memory/CPU" panels built for node_exporter read.
 */
export function processFamilies(): MetricFamily[] {
  const f = selfStat();
  if (!f) return [];
  // fields after ")": state=0 … utime=11 stime=12 … starttime=19 vsize=20 rss=21
  const one = (v: number) => [{ labels: {}, value: v }];
  let openFds = NaN;
  try {
    openFds = readdirSync('/proc/self/fd').length;
  } catch {
    // unreadable: leave NaN
  }
  return [
    counter('process_cpu_seconds_total', 'Total user and system CPU time spent in seconds.', one((Number(f[11]) + Number(f[12])) / CLK_TCK)),
    gauge('process_max_fds', 'Maximum number of open file descriptors.', one(maxFds())),
    gauge('process_open_fds', 'Number of open file descriptors.', one(openFds)),
    gauge('process_resident_memory_bytes', 'Resident memory size in bytes.', one(Number(f[21]) * PAGE_SIZE)),
    gauge('process_start_time_seconds', 'Start time of the process since unix epoch in seconds.', one(readBootTime() + Number(f[19]) / CLK_TCK)),
    gauge('process_virtual_memory_bytes', 'Virtual memory size in bytes.', one(Number(f[20]))),
  ];
}
