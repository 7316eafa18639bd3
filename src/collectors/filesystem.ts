import { join } from 'node:path';
import { defer, from, map, mergeMap, Observable, toArray } from 'rxjs';
import { RxporterError } from '../errors';
import { gauge, type MetricFamily, type Sample } from '../model/family';
import { parseMounts, type MountEntry } from '../procfs/mounts';
import { readProcText } from '../procfs/read';
import { StatfsGuard, type StatfsFn, type StatfsOutcome } from '../fs/statfsGuard';
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
  /** Per-mount statfs timeout (node_exporter's `--collector.filesystem.mount-timeout`, 5 s). */
  readonly mountTimeoutMs: number;
  /** statfs calls allowed in flight at once, hung ones included (default: half the libuv pool). */
  readonly statfsPermits?: number;
  /** Replaces Node's statfs (tests simulate hung mounts with it). */
  readonly statfs?: StatfsFn;
}

/** One mount with its labels and what statfs said. */
export interface FilesystemStat {
  readonly device: string;
  readonly fsType: string;
  readonly mountPoint: string;
  readonly readonly: boolean;
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

/** Returns the mounts of <procfs>/1/mounts, or of <procfs>/self/mounts when pid 1's is missing. */
export function readMounts(ctx: CollectorContext): MountEntry[] {
  let text: string;
  try {
    text = readProcText(ctx.procPath, '1/mounts');
  } catch (e) {
    if (!(e instanceof RxporterError) || e.code !== 'RXP_PROC_MISSING') throw e;
    text = readProcText(ctx.procPath, 'self/mounts');
  }
  return parseMounts(text, (line) => ctx.log.debug('skipping malformed mount line', { collector: 'filesystem', line }));
}

/** Returns node_exporter's seven filesystem families for the given mount stats. */
export function filesystemFamilies(stats: readonly FilesystemStat[]): MetricFamily[] {
  const size: Sample[] = [];
  const free: Sample[] = [];
  const avail: Sample[] = [];
  const files: Sample[] = [];
  const filesFree: Sample[] = [];
  const ro: Sample[] = [];
  const devErr: Sample[] = [];
  for (const s of stats) {
    const labels = { device: s.device, fstype: s.fsType, mountpoint: s.mountPoint };
    const ok = s.outcome.kind === 'ok';
    devErr.push({ labels, value: ok ? 0 : 1 });
    ro.push({ labels, value: s.readonly ? 1 : 0 });
    if (s.outcome.kind !== 'ok') continue;
    const st = s.outcome.stats;
    size.push({ labels, value: st.blocks * st.bsize });
    free.push({ labels, value: st.bfree * st.bsize });
    avail.push({ labels, value: st.bavail * st.bsize });
    files.push({ labels, value: st.files });
    filesFree.push({ labels, value: st.ffree });
  }
  return [
    gauge('node_filesystem_avail_bytes', 'Filesystem space available to non-root users in bytes.', avail),
    gauge('node_filesystem_device_error', 'Whether an error occurred while getting statistics for the given device.', devErr),
    gauge('node_filesystem_files', 'Filesystem total file nodes.', files),
    gauge('node_filesystem_files_free', 'Filesystem total free file nodes.', filesFree),
    gauge('node_filesystem_free_bytes', 'Filesystem free space in bytes.', free),
    gauge('node_filesystem_readonly', 'Filesystem read-only status.', ro),
    gauge('node_filesystem_size_bytes', 'Filesystem size in bytes.', size),
  ].filter((f) => f.samples.length > 0);
}

/** Returns the filesystem collector: statfs of every mount not excluded, guarded against hung mounts. */
export function createFilesystemCollector(opts: FilesystemOptions): Collector {
  const mpExclude = new RegExp(opts.mountPointsExclude);
  const fsExclude = new RegExp(opts.fsTypesExclude);
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
        const seen = new Set<string>();
        const mounts = readMounts(ctx).filter((m) => {
          const mp = stripRootfs(ctx.rootPath, m.mountPoint);
          const key = `${m.device}\u0000${mp}\u0000${m.fsType}`;
          if (mpExclude.test(mp) || fsExclude.test(m.fsType) || seen.has(key)) return false;
          seen.add(key);
          return true;
        });
        return from(mounts).pipe(
          mergeMap((m) => {
            const mountPoint = stripRootfs(ctx.rootPath, m.mountPoint);
            return g.stat(join(ctx.rootPath, mountPoint)).pipe(
              map((outcome): FilesystemStat => {
                if (outcome.kind === 'timeout') {
                  ctx.log.warn('mount point timed out; not statted again until the call returns', {
                    collector: 'filesystem',
                    mountpoint: mountPoint,
                  });
                } else if (outcome.kind !== 'ok') {
                  const error = outcome.kind === 'error' ? outcome.message : undefined;
                  ctx.log.debug('statfs failed', { collector: 'filesystem', mountpoint: mountPoint, reason: outcome.kind, error });
                }
                return { device: m.device, fsType: m.fsType, mountPoint, readonly: m.options.includes('ro'), outcome };
              }),
            );
          }, g.permits),
          toArray(),
          mergeMap(filesystemFamilies),
        );
      }),
  };
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
      mountPointsExclude: String(o.mountPointsExclude),
      fsTypesExclude: String(o.fsTypesExclude),
      mountTimeoutMs: Number(o.mountTimeout),
    }),
};
