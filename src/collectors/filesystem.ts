import { join } from 'node:path';
import { defer, from, map, mergeMap, Observable, toArray } from 'rxjs';
import { RxporterError } from '../errors';
import { gauge, type MetricFamily, type Sample } from '../model/family';
import { parseMountInfo, type MountInfoEntry } from '../procfs/mountinfo';
import { readProcText } from '../procfs/read';
import { StatfsGuard, type StatfsFn, type StatfsOutcome } from '../fs/statfsGuard';
import { createDeviceFilter, type DeviceFilter } from './networkFilters';
import type { Collector, CollectorContext, CollectorDefinition } from './types';

/** node_exporter's default `--collector.filesystem.mount-points-exclude` on Linux. */
export const DEFAULT_MOUNT_POINTS_EXCLUDE =
  '^/(dev|proc|run/credentials/.+|sys|var/lib/docker/.+|var/lib/containers/storage/.+)($|/)';
/** node_exporter's default `--collector.filesystem.fs-types-exclude` on Linux. */
export const DEFAULT_FS_TYPES_EXCLUDE =
  '^(autofs|binfmt_misc|bpf|cgroup2?|configfs|debugfs|devpts|devtmpfs|fusectl|hugetlbfs|iso9660|mqueue|nsfs|overlay|proc|procfs|pstore|rpc_pipefs|securityfs|selinuxfs|squashfs|erofs|sysfs|tracefs)$';

export interface FilesystemOptions {
  readonly mountPointsExclude: string;
  readonly fsTypesExclude: string;
  /** Only mount points matching this are collected ("" = all), node_exporter's mount-points-include. */
  readonly mountPointsInclude?: string;
  /** Only filesystem types matching this are collected ("" = all), node_exporter's fs-types-include. */
  readonly fsTypesInclude?: string;
  /** Per-mount statfs timeout (node_exporter's `--collector.filesystem.mount-timeout`, 5 s). */
  readonly mountTimeoutMs: number;
  /** statfs calls allowed in flight at once, hung ones included (default: half the libuv pool). */
  readonly statfsPermits?: number;
  /** Replaces Node's statfs (tests simulate hung mounts with it). */
  readonly statfs?: StatfsFn;
}

/** One mount as the filesystem collector labels it, before statfs. */
export interface FilesystemMount {
  readonly device: string;
  readonly fsType: string;
  /** As seen from inside --path.rootfs. */
  readonly mountPoint: string;
  /** The device numbers of the mount's filesystem (mountinfo's "major:minor"). */
  readonly major: string;
  readonly minor: string;
  readonly readonly: boolean;
}

/** One mount with what statfs said. */
export interface FilesystemStat extends FilesystemMount {
  readonly outcome: StatfsOutcome;
}

/** Returns the mount point as seen from inside the root filesystem (node_exporter's rootfsStripPrefix). */
export function stripRootfs(rootPath: string, mountPoint: string): string {
  if (rootPath === '/' || rootPath === '') return mountPoint;
  const root = rootPath.endsWith('/') ? rootPath.slice(0, -1) : rootPath;
  if (mountPoint !== root && !mountPoint.startsWith(`${root}/`)) return mountPoint;
  const rest = mountPoint.slice(root.length);
  return rest === '' ? '/' : rest;
}

/**
 * Returns the mounts of <procfs>/1/mountinfo, or of <procfs>/self/mountinfo when pid 1's is
 * missing (hidepid), as node_exporter 1.12 reads them. A malformed line is skipped with a
 * debug line, so that it does not hide every other filesystem. Throws RXP_PROC_MISSING when
 * neither file exists.
 */
export function readMountInfo(ctx: CollectorContext): MountInfoEntry[] {
  let text: string;
  try {
    text = readProcText(ctx.procPath, '1/mountinfo');
  } catch (e) {
    if (!(e instanceof RxporterError) || e.code !== 'RXP_PROC_MISSING') throw e;
    ctx.log.debug('reading root mounts failed, falling back to self mounts', { collector: 'filesystem', error: e.message });
    text = readProcText(ctx.procPath, 'self/mountinfo');
  }
  return parseMountInfo(text, (line) => ctx.log.debug('skipping malformed mountinfo line', { collector: 'filesystem', line }));
}

/**
 * Returns a mountinfo mount point as node_exporter 1.12 labels it: only the kernel's `\040`
 * (space) and `\011` (tab) escapes are decoded (fstab(5)); other escapes stay as written.
 */
export const decodeMountPoint = (raw: string): string =>
  raw.indexOf('\\') < 0 ? raw : raw.split('\\040').join(' ').split('\\011').join('\t');

/**
 * Returns true when a mount is read-only as node_exporter 1.12 decides it
 * (filesystem_linux.go isFilesystemReadOnly): "ro" among the per-mount options or the
 * superblock options, or the superblock's "emergency_ro" (ext4 after an error).
 */
export const isReadOnly = (options: ReadonlyMap<string, string>, superOptions: ReadonlyMap<string, string>): boolean =>
  options.has('ro') || superOptions.has('ro') || superOptions.has('emergency_ro');

/** Go's text (syscall.Errno.Error) for the errnos statfs(2) gives, local and network filesystems. */
const GO_ERRNO_TEXT: Readonly<Record<string, string>> = {
  EPERM: 'operation not permitted',
  ENOENT: 'no such file or directory',
  EINTR: 'interrupted system call',
  EIO: 'input/output error',
  ENXIO: 'no such device or address',
  EAGAIN: 'resource temporarily unavailable',
  ENOMEM: 'cannot allocate memory',
  EACCES: 'permission denied',
  EFAULT: 'bad address',
  ENODEV: 'no such device',
  ENOTDIR: 'not a directory',
  EINVAL: 'invalid argument',
  ENAMETOOLONG: 'file name too long',
  ENOSYS: 'function not implemented',
  ELOOP: 'too many levels of symbolic links',
  EOVERFLOW: 'value too large for defined data type',
  EOPNOTSUPP: 'operation not supported',
  ENETDOWN: 'network is down',
  ENETUNREACH: 'network is unreachable',
  ECONNRESET: 'connection reset by peer',
  ENOTCONN: 'transport endpoint is not connected',
  ESHUTDOWN: 'cannot send after transport endpoint shutdown',
  ETIMEDOUT: 'connection timed out',
  ECONNREFUSED: 'connection refused',
  EHOSTDOWN: 'host is down',
  EHOSTUNREACH: 'no route to host',
  ESTALE: 'stale NFS file handle',
  EREMOTEIO: 'remote I/O error',
  ENOMEDIUM: 'no medium found',
};

/** The device_error label node_exporter gives a mount whose statfs has not returned. */
export const MOUNT_TIMEOUT_ERROR = 'mountpoint timeout';

/**
 * Returns the `device_error` label of a mount: "" when statfs succeeded, else the error as
 * node_exporter 1.12 writes it: Go's errno text ("permission denied", "transport endpoint
 * is not connected", …; Node's message without its code and path for an errno Go's table
 * here lacks), "mountpoint timeout" for a call that timed out or has not returned yet, and
 * "statfs skipped: every permit held by a hung mount" for a mount not statted because hung
 * calls hold every permit (node_exporter would block there instead).
 */
export function deviceErrorLabel(o: StatfsOutcome): string {
  switch (o.kind) {
    case 'ok':
      return '';
    case 'timeout':
    case 'stuck':
      return MOUNT_TIMEOUT_ERROR;
    case 'no-permit':
      return 'statfs skipped: every permit held by a hung mount';
    case 'error': {
      const known = o.code === undefined ? undefined : GO_ERRNO_TEXT[o.code];
      if (known !== undefined) return known;
      // Node: "EXDEV: cross-device link not permitted, statfs '/x'" → the text between.
      const m = /^[A-Z0-9_]+: (.*?)(?:, statfs '.*')?$/s.exec(o.message);
      return m ? m[1] : o.message;
    }
  }
}

/**
 * Returns node_exporter 1.12's filesystem families for the given mount stats: every family
 * labelled device, device_error, fstype and mountpoint; device_error and readonly for every
 * mount, the statfs sizes, node_filesystem_mount_info{device,major,minor,mountpoint} and
 * node_filesystem_purgeable_bytes only where statfs succeeded. Purgeable space is a macOS
 * notion: 1.12 emits it on Linux too, always 0 (filesystem_common.go emits it when ≥ 0 and
 * Linux never sets it), and so do we, for dashboards that compare both.
 */
export function filesystemFamilies(stats: readonly FilesystemStat[]): MetricFamily[] {
  const size: Sample[] = [];
  const free: Sample[] = [];
  const avail: Sample[] = [];
  const files: Sample[] = [];
  const filesFree: Sample[] = [];
  const ro: Sample[] = [];
  const devErr: Sample[] = [];
  const mountInfo: Sample[] = [];
  const purgeable: Sample[] = [];
  for (const s of stats) {
    const deviceError = deviceErrorLabel(s.outcome);
    const labels = { device: s.device, device_error: deviceError, fstype: s.fsType, mountpoint: s.mountPoint };
    const ok = s.outcome.kind === 'ok';
    devErr.push({ labels, value: ok ? 0 : 1 });
    // A mount whose statfs has not returned is reported before its options are looked at (1.12).
    ro.push({ labels, value: s.readonly && deviceError !== MOUNT_TIMEOUT_ERROR ? 1 : 0 });
    if (s.outcome.kind !== 'ok') continue;
    const st = s.outcome.stats;
    size.push({ labels, value: st.blocks * st.bsize });
    free.push({ labels, value: st.bfree * st.bsize });
    avail.push({ labels, value: st.bavail * st.bsize });
    files.push({ labels, value: st.files });
    filesFree.push({ labels, value: st.ffree });
    mountInfo.push({ labels: { device: s.device, major: s.major, minor: s.minor, mountpoint: s.mountPoint }, value: 1 });
    purgeable.push({ labels, value: 0 });
  }
  return [
    gauge('node_filesystem_avail_bytes', 'Filesystem space available to non-root users in bytes.', avail),
    gauge('node_filesystem_device_error', 'Whether an error occurred while getting statistics for the given device.', devErr),
    gauge('node_filesystem_files', 'Filesystem total file nodes.', files),
    gauge('node_filesystem_files_free', 'Filesystem total free file nodes.', filesFree),
    gauge('node_filesystem_free_bytes', 'Filesystem free space in bytes.', free),
    gauge('node_filesystem_mount_info', 'Filesystem mount information.', mountInfo),
    gauge('node_filesystem_purgeable_bytes', 'Filesystem space available including purgeable space (MacOS specific).', purgeable),
    gauge('node_filesystem_readonly', 'Filesystem read-only status.', ro),
    gauge('node_filesystem_size_bytes', 'Filesystem size in bytes.', size),
  ].filter((f) => f.samples.length > 0);
}

/** Returns "major:minor" as its two decimal numbers, or undefined when it is not that. */
function majorMinor(s: string): [string, string] | undefined {
  const m = /^(\d+):(\d+)$/.exec(s);
  return m ? [String(Number(m[1])), String(Number(m[2]))] : undefined;
}

/**
 * Returns the mounts to statfs: not excluded by mount point or type, first of each
 * device/mount point/type (a mount stacked twice is reported once).
 */
function mountsToStat(ctx: CollectorContext, mpFilter: DeviceFilter, fsFilter: DeviceFilter): FilesystemMount[] {
  const seen = new Set<string>();
  const out: FilesystemMount[] = [];
  for (const m of readMountInfo(ctx)) {
    const mm = majorMinor(m.majorMinor);
    if (!mm) {
      ctx.log.debug('skipping mount with a malformed major:minor', { collector: 'filesystem', mountpoint: m.mountPoint, majorMinor: m.majorMinor });
      continue;
    }
    const mountPoint = stripRootfs(ctx.rootPath, decodeMountPoint(m.mountPoint));
    const key = `${m.source}\u0000${mountPoint}\u0000${m.fsType}`;
    if (mpFilter.ignored(mountPoint) || fsFilter.ignored(m.fsType) || seen.has(key)) continue;
    seen.add(key);
    out.push({ device: m.source, fsType: m.fsType, mountPoint, major: mm[0], minor: mm[1], readonly: isReadOnly(m.options, m.superOptions) });
  }
  return out;
}

/** Returns the filesystem collector: statfs of every mount not excluded, guarded against hung mounts. */
export function createFilesystemCollector(opts: FilesystemOptions): Collector {
  const mpFilter = createDeviceFilter(opts.mountPointsExclude, opts.mountPointsInclude ?? '');
  const fsFilter = createDeviceFilter(opts.fsTypesExclude, opts.fsTypesInclude ?? '');
  let guard: StatfsGuard | undefined; // one per collector: stuck mounts are remembered across scrapes
  return {
    name: 'filesystem',
    defaultEnabled: true,
    collect: (ctx): Observable<MetricFamily> =>
      defer(() => {
        guard ??= new StatfsGuard({
          timeoutMs: opts.mountTimeoutMs,
          permits: opts.statfsPermits,
          statfs: opts.statfs,
          scheduler: ctx.scheduler,
        });
        const g = guard;
        return from(mountsToStat(ctx, mpFilter, fsFilter)).pipe(
          mergeMap(
            (m) =>
              g.stat(join(ctx.rootPath, m.mountPoint)).pipe(
                map((outcome): FilesystemStat => {
                  if (outcome.kind === 'timeout') {
                    ctx.log.warn('mount point timed out; not statted again until the call returns', { collector: 'filesystem', mountpoint: m.mountPoint });
                  } else if (outcome.kind !== 'ok') {
                    const error = outcome.kind === 'error' ? outcome.message : undefined;
                    ctx.log.debug('statfs failed', { collector: 'filesystem', mountpoint: m.mountPoint, reason: outcome.kind, error });
                  }
                  return { ...m, outcome };
                }),
              ),
            g.permits,
          ),
          toArray(),
          mergeMap(filesystemFamilies),
        );
      }),
  };
}

/**
 * Returns the exclude pattern to use with `include`, as node_exporter 1.12 resolves its
 * filter flags: an include pattern replaces the default exclude one; both given is an
 * error (RXP_CONFIG naming the two flags).
 */
export function resolveExclude(what: 'mount-points' | 'fs-types', exclude: string, include: string, defaultExclude: string): string {
  if (include === '') return exclude;
  if (exclude === defaultExclude || exclude === '') return '';
  throw new RxporterError('RXP_CONFIG', `--collector.filesystem.${what}-exclude and --collector.filesystem.${what}-include are mutually exclusive`);
}

/** The filesystem collector's registration, with node_exporter's flags. */
export const filesystemDefinition: CollectorDefinition = {
  name: 'filesystem',
  defaultEnabled: true,
  options: {
    mountPointsExclude: {
      doc: 'Regexp of mount points to exclude.',
      format: 'regexp-source',
      default: DEFAULT_MOUNT_POINTS_EXCLUDE,
      arg: 'collector.filesystem.mount-points-exclude',
    },
    fsTypesExclude: {
      doc: 'Regexp of filesystem types to exclude.',
      format: 'regexp-source',
      default: DEFAULT_FS_TYPES_EXCLUDE,
      arg: 'collector.filesystem.fs-types-exclude',
    },
    mountPointsInclude: {
      doc: 'Regexp of mount points to include (mutually exclusive to mount-points-exclude).',
      format: 'regexp-source',
      default: '',
      arg: 'collector.filesystem.mount-points-include',
    },
    fsTypesInclude: {
      doc: 'Regexp of filesystem types to include (mutually exclusive to fs-types-exclude).',
      format: 'regexp-source',
      default: '',
      arg: 'collector.filesystem.fs-types-include',
    },
    mountTimeout: {
      doc: 'How long to wait for a mount to respond before marking it stale.',
      format: 'duration',
      default: '5s',
      arg: 'collector.filesystem.mount-timeout',
      range: ['10ms', '24d'],
    },
  },
  create: (o) =>
    createFilesystemCollector({
      mountPointsExclude: resolveExclude('mount-points', String(o.mountPointsExclude), String(o.mountPointsInclude ?? ''), DEFAULT_MOUNT_POINTS_EXCLUDE),
      fsTypesExclude: resolveExclude('fs-types', String(o.fsTypesExclude), String(o.fsTypesInclude ?? ''), DEFAULT_FS_TYPES_EXCLUDE),
      mountPointsInclude: String(o.mountPointsInclude ?? ''),
      fsTypesInclude: String(o.fsTypesInclude ?? ''),
      mountTimeoutMs: Number(o.mountTimeout),
    }),
};
