import { readFileSync, statfsSync } from 'node:fs';
import { defer, from } from 'rxjs';
import { gauge, type MetricFamily } from '../model/family';
import { scanLines, trimSpace } from '../procfs/goStrconv';
import { parseMountInfo } from '../procfs/mountinfo';
import { simpleDefinition, type Collector } from './types';

/** SELinux state as go-selinux reports it; modes: 1 enforcing, 0 permissive, -1 disabled. */
export interface SelinuxState {
  readonly enabled: boolean;
  readonly configMode: number;
  readonly currentMode: number;
}

/** Returns node_selinux_enabled, and the two modes when SELinux is enabled. */
export function selinuxFamilies(s: SelinuxState): MetricFamily[] {
  const one = (v: number) => [{ labels: {}, value: v }];
  if (!s.enabled) return [gauge('node_selinux_enabled', 'SELinux is enabled, 1 is true, 0 is false', one(0))];
  return [
    gauge('node_selinux_enabled', 'SELinux is enabled, 1 is true, 0 is false', one(1)),
    gauge('node_selinux_config_mode', 'Configured SELinux enforcement mode', one(s.configMode)),
    gauge('node_selinux_current_mode', 'Current SELinux enforcement mode', one(s.currentMode)),
  ];
}

/** SELINUX_MAGIC, the statfs type of selinuxfs. */
const SELINUX_MAGIC = 0xf97cff8c;

/** Returns a path's statfs f_type, undefined when statfs fails (injectable for tests). */
export type StatfsType = (path: string) => number | undefined;
const statfsType: StatfsType = (p) => {
  try {
    return statfsSync(p).type >>> 0;
  } catch {
    return undefined;
  }
};

/**
 * Returns true when the mount at `mnt` is read-only per /proc/self/mountinfo (the last
 * mount there, which hides those under it): "ro" in its per-mount or superblock options,
 * what statfs(2) reports as ST_RDONLY in f_flags, which Node's statfs does not expose.
 */
function mountedReadOnly(mnt: string, read: (p: string) => string): boolean {
  let ro = false;
  try {
    for (const m of parseMountInfo(read('/proc/self/mountinfo'), () => undefined)) {
      if (m.mountPoint === mnt) ro = m.options.has('ro') || m.superOptions.has('ro');
    }
  } catch {
    // no mountinfo: statfs said nothing about flags either way
  }
  return ro;
}

/**
 * Returns the selinuxfs mount point as go-selinux finds it ("" when there is none): the
 * default /sys/fs/selinux, else the selinuxfs mounts of /proc/self/mountinfo, each taken
 * when statfs says selinuxfs and it is not mounted read-only (go-selinux's
 * verifySELinuxfsMount).
 */
export function findSelinuxfs(read: (p: string) => string = (p) => readFileSync(p, 'utf8'), fsType: StatfsType = statfsType): string {
  const verify = (mnt: string): boolean => fsType(mnt) === SELINUX_MAGIC && !mountedReadOnly(mnt, read);
  if (verify('/sys/fs/selinux')) return '/sys/fs/selinux';
  try {
    if (!read('/proc/filesystems').includes('\tselinuxfs\n')) return '';
    for (const line of scanLines(read('/proc/self/mountinfo'))) {
      if (!line.includes(' - selinuxfs ')) continue;
      const f = line.split(' ');
      if (f.length >= 5 && verify(f[4])) return f[4];
    }
  } catch {
    // no procfs: no SELinux
  }
  return '';
}

/** Returns the SELINUX= mode of a /etc/selinux/config text: 1 enforcing, 0 permissive, -1 otherwise. */
export function parseSelinuxConfigMode(text: string): number {
  for (const raw of scanLines(text)) {
    const line = trimSpace(raw);
    if (line === '' || line[0] === ';' || line[0] === '#') continue;
    const eq = line.indexOf('=');
    if (eq < 0 || line.slice(0, eq) !== 'SELINUX') continue;
    let v = line.slice(eq + 1);
    while (v.startsWith('"')) v = v.slice(1);
    while (v.endsWith('"')) v = v.slice(0, -1);
    return v === 'enforcing' ? 1 : v === 'permissive' ? 0 : -1;
  }
  return -1;
}

type Reader = (p: string) => string;
const readHost: Reader = (p) => readFileSync(p, 'utf8');

/**
 * Returns where selinuxfs is mounted when SELinux is enabled, "" when it is not, as
 * go-selinux decides: selinuxfs mounted read-write and this process's label not "kernel".
 */
export function selinuxMount(read: Reader = readHost, fsType: StatfsType = statfsType): string {
  const mnt = findSelinuxfs(read, fsType);
  if (mnt === '') return '';
  let label = '';
  try {
    label = read('/proc/thread-self/attr/current').replace(/\0+$/, '');
  } catch {
    // unreadable label: go-selinux treats it as not "kernel"
  }
  return label === 'kernel' ? '' : mnt;
}

/**
 * Returns the SELinux state given its mount ("" = disabled): the configured mode from
 * /etc/selinux/config, the current one from <selinuxfs>/enforce (-1 when unreadable). These
 * are the host's own files: node_exporter does not read them through --path.* either.
 */
export function readSelinux(mnt: string, read: Reader = readHost): SelinuxState {
  if (mnt === '') return { enabled: false, configMode: -1, currentMode: -1 };
  let configMode = -1;
  try {
    configMode = parseSelinuxConfigMode(read('/etc/selinux/config'));
  } catch {
    // no config: disabled at boot
  }
  let currentMode = -1;
  try {
    const t = read(`${mnt}/enforce`);
    currentMode = /^[+-]?\d+$/.test(t) ? Number(t) : -1;
  } catch {
    // unreadable: -1, as go-selinux
  }
  return { enabled: true, configMode, currentMode };
}

/**
 * Returns the selinux collector. Whether SELinux is enabled is decided once per process,
 * as go-selinux does (it cannot be switched off at run time); the modes are read per scrape.
 */
export function createSelinuxCollector(read: Reader = readHost): Collector {
  let mnt: string | undefined;
  return {
    name: 'selinux',
    defaultEnabled: true,
    collect: () =>
      defer(() => {
        mnt ??= selinuxMount(read);
        return from(selinuxFamilies(readSelinux(mnt, read)));
      }),
  };
}

/** The selinux collector's registration. */
export const selinuxDefinition = simpleDefinition(createSelinuxCollector());
