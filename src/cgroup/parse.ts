import { RxporterError } from '../errors';
import { splitFields, splitLines, trimSpace, uintOrNaN } from '../procfs/fields';

const parseError = (file: string, what: string, text: string): RxporterError =>
  new RxporterError('RXP_PROC_PARSE', `${file}: ${what}: ${JSON.stringify(text.length > 200 ? `${text.slice(0, 200)}…` : text)}`);

/**
 * Returns the value of a one-number cgroup file, or `'max'` for cgroup v2's "no limit"
 * (Documentation/admin-guide/cgroup-v2.rst, "Format"); a v1 `-1` (cpu.cfs_quota_us) is -1.
 *   "536870912\n" → 536870912, "max\n" → 'max', "-1\n" → -1
 * Throws RXP_PROC_PARSE quoting anything else (an empty or truncated file included).
 */
export function parseCgroupValue(file: string, text: string): number | 'max' {
  const t = trimSpace(text);
  if (t === 'max') return 'max';
  if (t === '-1') return -1;
  const v = uintOrNaN(t);
  if (Number.isNaN(v)) throw parseError(file, 'not a number or "max"', text);
  return v;
}

/**
 * Returns the `key value` pairs of a flat keyed cgroup file (memory.stat, cpu.stat,
 * cpuacct.stat, pids.events, memory.events).
 *   "total_inactive_file 8192\nnr_periods 3\n" → { total_inactive_file: 8192, nr_periods: 3 }
 * Throws RXP_PROC_PARSE quoting a line that is not a name and an unsigned integer.
 */
export function parseKeyedValues(file: string, text: string): Record<string, number> {
  const out: Record<string, number> = {};
  for (const line of splitLines(text)) {
    const f = splitFields(line);
    if (f.length === 0) continue;
    const v = f.length === 2 ? uintOrNaN(f[1]) : NaN;
    if (Number.isNaN(v)) throw parseError(file, 'invalid line', line);
    out[f[0]] = v;
  }
  return out;
}

/** A CFS bandwidth limit: quota per period, in microseconds; quota 'max' is no limit. */
export interface CpuMax {
  readonly quota: number | 'max';
  readonly period: number;
}

/**
 * Returns cgroup v2's cpu.max: "$MAX $PERIOD" (cgroup-v2.rst, "CPU Interface Files").
 *   "max 100000" → { quota: 'max', period: 100000 }, "50000 100000" → { quota: 50000, period: 100000 }
 * Throws RXP_PROC_PARSE quoting anything else.
 */
export function parseCpuMax(text: string): CpuMax {
  const f = splitFields(trimSpace(text));
  const quota = f[0] === 'max' ? 'max' : uintOrNaN(f[0] ?? '');
  const period = uintOrNaN(f[1] ?? '');
  if (f.length !== 2 || Number.isNaN(quota) || Number.isNaN(period)) throw parseError('cpu.max', 'not "$MAX $PERIOD"', text);
  return { quota, period };
}

/** Bytes read and written on one block device, by its "major:minor" number. */
export interface DeviceIo {
  readonly device: string;
  readBytes: number;
  writeBytes: number;
}

/**
 * Returns the per-device Read and Write bytes of a cgroup v1 blkio.*io_service_bytes*
 * file (Documentation/admin-guide/cgroup-v1/blkio-controller.rst); the "Total" line,
 * other operations (Sync, Async, Discard) and devices without Read/Write are left out.
 *   "8:0 Read 4096\n8:0 Write 8192\n8:0 Total 12288\nTotal 12288\n" → [{ device: '8:0', readBytes: 4096, writeBytes: 8192 }]
 * Throws RXP_PROC_PARSE quoting a device line that is not "MAJ:MIN OP N".
 */
export function parseBlkioServiceBytes(file: string, text: string): DeviceIo[] {
  const byDev = new Map<string, DeviceIo>();
  for (const line of splitLines(text)) {
    const f = splitFields(line);
    if (f.length === 0 || (f.length === 2 && f[0] === 'Total')) continue;
    const v = f.length === 3 ? uintOrNaN(f[2]) : NaN;
    if (Number.isNaN(v) || !isDeviceNumber(f[0])) throw parseError(file, 'invalid line', line);
    if (f[1] !== 'Read' && f[1] !== 'Write') continue;
    let d = byDev.get(f[0]);
    if (!d) byDev.set(f[0], (d = { device: f[0], readBytes: 0, writeBytes: 0 }));
    if (f[1] === 'Read') d.readBytes = v;
    else d.writeBytes = v;
  }
  return [...byDev.values()];
}

/**
 * Returns rbytes and wbytes per device of cgroup v2's io.stat (cgroup-v2.rst, "IO Interface
 * Files"); other keys (rios, wios, dbytes, dios, cost.*) are ignored.
 *   "8:16 rbytes=1459200 wbytes=314773504 rios=192 wios=353 dbytes=0 dios=0" → [{ device: '8:16', readBytes: 1459200, writeBytes: 314773504 }]
 * Throws RXP_PROC_PARSE quoting a line whose device is not MAJ:MIN or whose rbytes/wbytes is not a number.
 */
export function parseIoStat(text: string): DeviceIo[] {
  const out: DeviceIo[] = [];
  for (const line of splitLines(text)) {
    const f = splitFields(line);
    if (f.length === 0) continue;
    if (!isDeviceNumber(f[0])) throw parseError('io.stat', 'invalid line', line);
    const d: DeviceIo = { device: f[0], readBytes: 0, writeBytes: 0 };
    for (let i = 1; i < f.length; i++) {
      const eq = f[i].indexOf('=');
      const key = f[i].slice(0, eq);
      if (key !== 'rbytes' && key !== 'wbytes') continue;
      const v = uintOrNaN(f[i].slice(eq + 1));
      if (Number.isNaN(v)) throw parseError('io.stat', 'invalid value', line);
      if (key === 'rbytes') d.readBytes = v;
      else d.writeBytes = v;
    }
    out.push(d);
  }
  return out;
}

const isDeviceNumber = (s: string): boolean => {
  const c = s.indexOf(':');
  return c > 0 && !Number.isNaN(uintOrNaN(s.slice(0, c))) && !Number.isNaN(uintOrNaN(s.slice(c + 1)));
};

/**
 * Returns the process ids of a cgroup.procs file, one per line, in the file's order.
 *   "1234\n5678\n" → [1234, 5678]
 * Throws RXP_PROC_PARSE quoting a line that is not a process id.
 */
export function parseProcs(text: string): number[] {
  const out: number[] = [];
  for (const line of splitLines(text)) {
    const t = trimSpace(line);
    if (t === '') continue;
    const v = uintOrNaN(t);
    if (Number.isNaN(v)) throw parseError('cgroup.procs', 'not a process id', line);
    out.push(v);
  }
  return out;
}
