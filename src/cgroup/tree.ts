import { readdirSync, statSync } from 'node:fs';
import { RxporterError } from '../errors';
import { joinPath, withoutStacks } from '../procfs/read';
import { classifyCgroup, type CgroupEntry } from './classify';

/** The v1 controllers the container collector reads. */
export const V1_CONTROLLERS = ['cpu', 'cpuacct', 'memory', 'pids', 'blkio'] as const;
/** One of V1_CONTROLLERS. */
export type V1Controller = (typeof V1_CONTROLLERS)[number];

/**
 * Where the cgroup hierarchies are: on v2 (unified) one directory; on v1 one directory per
 * controller (separate or joint mounts, e.g. "cpu,cpuacct"), plus on a hybrid host the
 * controller-less unified mount, which still has the pressure files.
 */
export type CgroupLayout =
  | { readonly version: 2; readonly root: string }
  | { readonly version: 1; readonly controllers: Readonly<Partial<Record<V1Controller, string>>>; readonly unified?: string };

const isDir = (p: string): boolean => statSync(p, { throwIfNoEntry: false })?.isDirectory() ?? false;

/**
 * Returns the cgroup layout under `<sysfs>/fs/cgroup`: v2 when its root has
 * cgroup.controllers, else the v1 controller directories found there (a joint mount such as
 * "cpu,cpuacct" serves each of its controllers). Throws RXP_NO_DATA when neither is there.
 */
export function detectLayout(sysPath: string): CgroupLayout {
  const base = joinPath(sysPath, 'fs/cgroup');
  if (statSync(`${base}/cgroup.controllers`, { throwIfNoEntry: false })) return { version: 2, root: base };
  const controllers: Partial<Record<V1Controller, string>> = {};
  let names: string[] = [];
  try {
    names = withoutStacks(() => readdirSync(base));
  } catch {
    // no cgroup filesystem: reported below
  }
  for (const name of names) {
    for (const c of name.split(',')) {
      if ((V1_CONTROLLERS as readonly string[]).includes(c) && controllers[c as V1Controller] === undefined && isDir(`${base}/${name}`)) {
        controllers[c as V1Controller] = `${base}/${name}`;
      }
    }
  }
  if (Object.keys(controllers).length === 0) throw new RxporterError('RXP_NO_DATA', `${base}: no cgroup v2 root and no v1 cpu, cpuacct, memory, pids or blkio hierarchy`);
  const unified = statSync(`${base}/unified/cgroup.controllers`, { throwIfNoEntry: false }) ? `${base}/unified` : undefined;
  return unified ? { version: 1, controllers, unified } : { version: 1, controllers };
}

/** Returns the directory whose subtree the collector walks: the v2 root, or the first v1 controller of cpu, cpuacct, memory, pids, blkio. */
export const walkRoot = (l: CgroupLayout): string =>
  l.version === 2 ? l.root : (l.controllers.cpu ?? l.controllers.cpuacct ?? l.controllers.memory ?? l.controllers.pids ?? l.controllers.blkio)!;

/** How deep the walk goes below the root: kubepods nest 4 levels (kubepods/qos/pod/container), systemd slices a few more. */
const MAX_DEPTH = 8;

/**
 * Returns the container and pod cgroups below `root`, depth first in directory order, at most
 * `limit` of them (the rest are counted in `dropped`). A container's own sub-cgroups are not
 * entered. A directory that vanishes during the walk is skipped; another error throws RXP_PROC_READ.
 */
export function findContainers(root: string, limit: number): { entries: CgroupEntry[]; dropped: number } {
  const entries: CgroupEntry[] = [];
  let dropped = 0;
  const walk = (rel: string, depth: number, podUid: string | undefined): void => {
    let names: string[];
    try {
      names = withoutStacks(() => readdirSync(rel === '' ? root : `${root}${rel}`, { withFileTypes: true }))
        .filter((d) => d.isDirectory())
        .map((d) => d.name);
    } catch (e) {
      const code = (e as NodeJS.ErrnoException).code;
      if (code === 'ENOENT' || code === 'ENOTDIR' || code === 'ENODEV') return;
      throw new RxporterError('RXP_PROC_READ', `${root}${rel}: ${(e as Error).message}`, false, { cause: e });
    }
    for (const name of names) {
      const path = `${rel}/${name}`;
      const entry = classifyCgroup(path, podUid);
      if (entry) {
        if (entries.length < limit) entries.push(entry);
        else dropped++;
      }
      if (entry?.kind !== 'container' && depth < MAX_DEPTH) walk(path, depth + 1, entry?.podUid ?? podUid);
    }
  };
  walk('', 1, undefined);
  return { entries, dropped };
}
