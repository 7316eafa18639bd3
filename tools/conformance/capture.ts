import { closeSync, lstatSync, mkdirSync, openSync, readdirSync, readlinkSync, readSync, symlinkSync, writeFileSync } from 'node:fs';
import { dirname, isAbsolute, join, relative, resolve, sep } from 'node:path';

/** One file or directory to capture, relative to its base (/proc or /sys). */
export interface CaptureRoot {
  readonly path: string;
  /** Directory levels to descend (0: the entry only; default 0). */
  readonly depth?: number;
  /** Follow the symlinks directly inside this directory (class dirs: /sys/class/net/eth0 → devices/…). */
  readonly follow?: boolean;
  /** Levels to descend into a followed symlink's target (default 1: its files). */
  readonly targetDepth?: number;
  /** Also follow symlinks of these names inside followed targets, one level (hwmon's `device`). */
  readonly followNames?: readonly string[];
  /** Names (any level) not to capture. */
  readonly exclude?: RegExp;
}

/**
 * The /proc files node collectors read: fixed files (no per-process directories but
 * pid 1's and self's mounts and mountinfo), the network tables, pressure, and the module stats.
 */
export const PROC_ROOTS: readonly CaptureRoot[] = [
  ...[
    'meminfo', 'loadavg', 'stat', 'vmstat', 'cpuinfo', 'diskstats', 'mdstat', 'interrupts', 'softirqs', 'schedstat',
    'zoneinfo', 'buddyinfo', 'slabinfo', 'swaps', 'cgroups', 'drbd', 'mounts', '1/mounts', 'self/mounts', '1/mountinfo', 'self/mountinfo', 'self/mountstats',
    'sys/fs/file-nr', 'sys/kernel/random/entropy_avail', 'sys/kernel/random/poolsize', 'sys/kernel/threads-max',
    'sys/kernel/pid_max', 'sys/kernel/seccomp/actions_avail', 'sys/kernel/hung_task_detect_count',
    'sys/net/netfilter/nf_conntrack_count', 'sys/net/netfilter/nf_conntrack_max', 'fs/xfs/stat',
    'net/dev', 'net/netstat', 'net/snmp', 'net/snmp6', 'net/sockstat', 'net/sockstat6', 'net/softnet_stat', 'net/arp',
    'net/udp', 'net/udp6', 'net/tcp', 'net/tcp6', 'net/ip_vs', 'net/ip_vs_stats', 'net/xfrm_stat', 'net/rpc/nfs', 'net/rpc/nfsd',
  ].map((path) => ({ path })),
  { path: 'net/stat', depth: 1 },
  { path: 'pressure', depth: 1 },
  { path: 'spl/kstat/zfs', depth: 2 },
];

const PCI_SKIP = /^(resource\d*(_wc)?|config|rom|remove|rescan|reset(_method)?|vpd|driver_override|msi_bus|power|subsystem|driver|firmware_node|iommu|iommu_group)$/;
const DEVICE_SKIP = /^(power|subsystem|uevent|trace|mq|integrity|bdi|queues|holders_dir)$/;

/** The /sys trees node collectors read, bounded in depth; class links are followed to their devices. */
export const SYS_ROOTS: readonly CaptureRoot[] = [
  { path: 'devices/system/cpu', depth: 3, exclude: /^(power|cpuidle|hotplug|subsystem|driver|firmware_node|uevent|microcode|cache|crash_notes(_size)?|modalias)$/ },
  { path: 'devices/system/node', depth: 2, exclude: /^(hugepages|memory\d+|power|subsystem|uevent|compact|access\d+|memory_side_cache|x86)$/ },
  { path: 'devices/system/clocksource', depth: 2, exclude: /^(power|subsystem|uevent|unbind_clocksource)$/ },
  { path: 'devices/system/edac', depth: 4, exclude: /^(power|subsystem|uevent)$/ },
  { path: 'devices/virtual/dmi/id', depth: 1, exclude: /^(power|subsystem|uevent|modalias)$/ },
  { path: 'class/net', depth: 1, follow: true, targetDepth: 2, exclude: DEVICE_SKIP },
  { path: 'class/hwmon', depth: 1, follow: true, targetDepth: 1, followNames: ['device'], exclude: DEVICE_SKIP },
  { path: 'class/thermal', depth: 1, follow: true, targetDepth: 1, exclude: DEVICE_SKIP },
  { path: 'class/power_supply', depth: 1, follow: true, targetDepth: 1, exclude: DEVICE_SKIP },
  { path: 'class/infiniband', depth: 1, follow: true, targetDepth: 3, exclude: DEVICE_SKIP },
  { path: 'class/fc_host', depth: 1, follow: true, targetDepth: 2, exclude: DEVICE_SKIP },
  { path: 'class/nvme', depth: 1, follow: true, targetDepth: 1, exclude: DEVICE_SKIP },
  { path: 'class/nvme-subsystem', depth: 1, follow: true, targetDepth: 2, exclude: DEVICE_SKIP },
  { path: 'class/scsi_tape', depth: 1, follow: true, targetDepth: 2, exclude: DEVICE_SKIP },
  { path: 'class/watchdog', depth: 1, follow: true, targetDepth: 1, exclude: DEVICE_SKIP },
  { path: 'class/powercap', depth: 1, follow: true, targetDepth: 1, exclude: DEVICE_SKIP },
  { path: 'block', depth: 1, follow: true, targetDepth: 2, exclude: DEVICE_SKIP },
  { path: 'bus/pci/devices', depth: 1, follow: true, targetDepth: 1, exclude: PCI_SKIP },
  { path: 'fs/bcache', depth: 3 },
  { path: 'fs/bcachefs', depth: 4 },
  { path: 'fs/btrfs', depth: 4 },
  { path: 'fs/xfs', depth: 3 },
  { path: 'fs/selinux', depth: 0 },
  { path: 'kernel/mm/ksm', depth: 1 },
];

/** Where to read, where to write, and the bounds. */
export interface CaptureOptions {
  readonly dest: string;
  readonly procPath?: string;
  readonly sysPath?: string;
  readonly procRoots?: readonly CaptureRoot[];
  readonly sysRoots?: readonly CaptureRoot[];
  /** Files larger than this are skipped (default 1 MiB). */
  readonly maxFileBytes?: number;
  /** Once this many bytes are written, further files are skipped (default 5 MiB). */
  readonly maxTotalBytes?: number;
}

/** What a capture wrote and skipped. */
export interface CaptureReport {
  files: number;
  bytes: number;
  symlinks: number;
  dirs: number;
  /** Roots that do not exist on this host. */
  absent: string[];
  tooBig: string[];
  unreadable: string[];
  /** Files skipped once the total bound was reached. */
  overBudget: string[];
  /** Symlinks whose absolute target lies outside the captured base (not kept). */
  outside: string[];
}

/** Returns the first `max + 1` bytes of a file at most (proc and sys files report no true size). */
function readCapped(path: string, max: number): Buffer {
  const fd = openSync(path, 'r');
  try {
    const chunks: Buffer[] = [];
    let total = 0;
    for (;;) {
      const buf = Buffer.allocUnsafe(65536);
      const n = readSync(fd, buf, 0, buf.length, null);
      if (n === 0) break;
      chunks.push(buf.subarray(0, n));
      total += n;
      if (total > max) break;
    }
    return Buffer.concat(chunks, total);
  } finally {
    closeSync(fd);
  }
}

const within = (base: string, p: string): boolean => p === base || p.startsWith(base.endsWith(sep) ? base : base + sep);

/**
 * Returns what was captured of the host's /proc and /sys into `<dest>/proc` and
 * `<dest>/sys`: the listed files and bounded directory trees, symlinks kept as
 * relative links, files over 1 MiB and unreadable ones skipped.
 */
export function captureHost(o: CaptureOptions): CaptureReport {
  const report: CaptureReport = { files: 0, bytes: 0, symlinks: 0, dirs: 0, absent: [], tooBig: [], unreadable: [], overBudget: [], outside: [] };
  const maxFile = o.maxFileBytes ?? 1024 * 1024;
  const maxTotal = o.maxTotalBytes ?? 5 * 1024 * 1024;

  const captureBase = (base: string, outName: string, roots: readonly CaptureRoot[]) => {
    const baseReal = resolve(base);
    const out = join(o.dest, outName);
    const done = new Set<string>();
    // How a symlink is treated: followed as a class entry, followed by name (hwmon's device), or kept only.
    type Follow = 'class' | 'names' | 'none';
    const visit = (rel: string, depth: number, root: CaptureRoot, self: Follow, children: Follow): void => {
      if (done.has(rel)) return;
      done.add(rel);
      const real = join(baseReal, rel);
      const target = join(out, rel);
      let st;
      try {
        st = lstatSync(real);
      } catch {
        if (rel === root.path) report.absent.push(`${outName}/${rel}`);
        else report.unreadable.push(`${outName}/${rel}`);
        return;
      }
      if (st.isSymbolicLink()) {
        let link = readlinkSync(real);
        const resolved = resolve(dirname(real), link);
        const outsideBase = isAbsolute(link) && !within(baseReal, link);
        if (outsideBase && rel === root.path) {
          // A listed file reached through a link elsewhere (/proc/fs/xfs/stat → /sys/…): keep its content.
          copyFile(real, rel);
          return;
        }
        if (outsideBase) {
          report.outside.push(`${outName}/${rel}`);
          return;
        }
        if (isAbsolute(link)) link = relative(dirname(real), link);
        mkdirSync(dirname(target), { recursive: true });
        symlinkSync(link, target);
        report.symlinks++;
        if (!within(baseReal, resolved)) return;
        const next = relative(baseReal, resolved).split(sep).join('/');
        const name = rel.slice(rel.lastIndexOf('/') + 1);
        if (self === 'class') visit(next, root.targetDepth ?? 1, root, 'none', (root.followNames ?? []).length > 0 ? 'names' : 'none');
        else if (self === 'names' && (root.followNames ?? []).includes(name)) visit(next, 1, root, 'none', 'none');
        return;
      }
      if (st.isDirectory()) {
        mkdirSync(target, { recursive: true });
        report.dirs++;
        if (depth <= 0) return;
        let names: string[];
        try {
          names = readdirSync(real).sort();
        } catch {
          report.unreadable.push(`${outName}/${rel}`);
          return;
        }
        const kind: Follow = rel === root.path && root.follow === true ? 'class' : children;
        for (const n of names) {
          if (root.exclude?.test(n)) continue;
          visit(`${rel}/${n}`, depth - 1, root, kind, children);
        }
        return;
      }
      if (!st.isFile()) return;
      if ((st.mode & 0o444) === 0) return; // write-only attribute
      copyFile(real, rel);
    };
    const copyFile = (real: string, rel: string): void => {
      const target = join(out, rel);
      if (report.bytes >= maxTotal) {
        report.overBudget.push(`${outName}/${rel}`);
        return;
      }
      let data: Buffer;
      try {
        data = readCapped(real, maxFile);
      } catch {
        report.unreadable.push(`${outName}/${rel}`);
        return;
      }
      if (data.length > maxFile) {
        report.tooBig.push(`${outName}/${rel}`);
        return;
      }
      mkdirSync(dirname(target), { recursive: true });
      writeFileSync(target, data);
      report.files++;
      report.bytes += data.length;
    };
    for (const r of roots) visit(r.path, r.depth ?? 0, r, 'none', 'none');
  };

  captureBase(o.procPath ?? '/proc', 'proc', o.procRoots ?? PROC_ROOTS);
  captureBase(o.sysPath ?? '/sys', 'sys', o.sysRoots ?? SYS_ROOTS);
  return report;
}
