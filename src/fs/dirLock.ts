import { closeSync, linkSync, openSync, readFileSync, unlinkSync, writeSync } from 'node:fs';
import { hostname } from 'node:os';
import { join } from 'node:path';
import { RxporterError } from '../errors';

/** Linux USER_HZ: the unit of /proc/<pid>/stat's starttime (proc(5)). */
const CLK_TCK = 100;

/** What a lock file says about its holder. */
export interface LockOwner {
  readonly pid: number;
  /** Field 22 of /proc/<pid>/stat: start time in clock ticks after boot; absent in a lock of an older rxporter. */
  readonly start?: number;
  /** /proc/sys/kernel/random/boot_id when the lock was taken. */
  readonly boot?: string;
  readonly host?: string;
}

/** One process as /proc/<pid>/stat shows it (proc(5)): comm, state (field 3), starttime (field 22). */
export interface ProcStat {
  readonly comm: string;
  readonly state: string;
  readonly start: number;
}

/** Returns /proc/<pid>/stat's comm, state and starttime, or undefined when there is no such process. */
export function readProcStat(pid: number, proc = '/proc'): ProcStat | undefined {
  let text: string;
  try {
    text = readFileSync(`${proc}/${pid}/stat`, 'utf8');
  } catch {
    return undefined;
  }
  // comm may hold spaces and parentheses: it ends at the last ')'.
  const close = text.lastIndexOf(')');
  const f = text.slice(close + 2).split(' ');
  const start = Number(f[19]);
  if (close < 0 || !Number.isFinite(start)) return undefined;
  return { comm: text.slice(text.indexOf('(') + 1, close), state: f[0], start };
}

const readOr = (path: string): string | undefined => {
  try {
    return readFileSync(path, 'utf8').trim();
  } catch {
    return undefined;
  }
};

/** Returns this process's lock identity: pid, start time, boot id, host name. */
export function selfOwner(): LockOwner {
  const st = readProcStat(process.pid);
  const boot = readOr('/proc/sys/kernel/random/boot_id');
  return { pid: process.pid, ...(st ? { start: st.start } : {}), ...(boot ? { boot } : {}), host: hostname() };
}

/** Returns the lock file's owner, or undefined when it is empty or unreadable (a holder that died while writing it). */
export function parseLockOwner(text: string): LockOwner | undefined {
  const t = text.trim();
  if (/^\d+$/.test(t)) return { pid: Number(t) }; // the pid-only lock of an older rxporter
  try {
    const o = JSON.parse(t) as Partial<LockOwner>;
    if (!Number.isInteger(o.pid) || (o.pid as number) <= 0) return undefined;
    return { pid: o.pid as number, ...(Number.isFinite(o.start) ? { start: o.start } : {}), ...(typeof o.boot === 'string' ? { boot: o.boot } : {}), ...(typeof o.host === 'string' ? { host: o.host } : {}) };
  } catch {
    return undefined;
  }
}

const startedAt = (ticks: number): string => {
  const btime = /^btime (\d+)$/m.exec(readOr('/proc/stat') ?? '');
  return btime ? new Date((Number(btime[1]) + ticks / CLK_TCK) * 1000).toISOString() : `${ticks} ticks after boot`;
};

/**
 * Returns why `owner` still holds its lock ("process 42 (node, started …)"), or undefined when the
 * lock is stale. Stale: written before the last boot (another boot id), no such process, a process
 * that has died but is not yet reaped (state Z or X), or a process with the same pid but another
 * start time (the pid was reused). A lock without a start time (older rxporter) is held while its
 * pid is a live process. Linux only: without /proc, a live pid holds the lock.
 */
export function lockHolder(owner: LockOwner, self: LockOwner = selfOwner()): string | undefined {
  if (owner.boot && self.boot && owner.boot !== self.boot) return undefined;
  const st = readProcStat(owner.pid);
  if (!st) {
    if (self.start !== undefined) return undefined; // /proc works here: no such process
    try {
      process.kill(owner.pid, 0);
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code !== 'EPERM') return undefined;
    }
    return `process ${owner.pid} (no /proc to check its start time)`;
  }
  if (st.state === 'Z' || st.state === 'X') return undefined;
  if (owner.start !== undefined && st.start !== owner.start) return undefined;
  // Our own pid: in a lock without start time a previous life of a container's pid 1; with ours,
  // this process took it and dropped its handle (it is not in `held`).
  if (owner.pid === self.pid) return undefined;
  const how = owner.start === undefined ? 'pid-only lock of an older rxporter' : `started ${startedAt(st.start)}`;
  return `process ${owner.pid} (${st.comm}, ${how}${owner.host && owner.host !== self.host ? `, host ${owner.host}` : ''})`;
}

// Locks this process holds, by path: a second open in the same process is refused at once.
const held = new Set<string>();

const writeLockFile = (path: string, text: string): void => {
  // Written in full under a temporary name, then linked: the lock never exists half-written, and
  // link() fails with EEXIST when another process holds it.
  const tmp = `${path}.${process.pid}.tmp`;
  const fd = openSync(tmp, 'w');
  try {
    writeSync(fd, text);
  } finally {
    closeSync(fd);
  }
  try {
    linkSync(tmp, path);
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    if (code === 'EEXIST') throw e;
    // A filesystem without hard links: exclusive create instead.
    const fd2 = openSync(path, 'wx');
    try {
      writeSync(fd2, text);
    } finally {
      closeSync(fd2);
    }
  } finally {
    try {
      unlinkSync(tmp);
    } catch {
      // already gone
    }
  }
};

/**
 * Takes `dir`/lock for this process and returns its path; `release(path)` gives it back. A lock
 * whose holder is provably gone (see lockHolder) is taken over. Throws RXP_QUEUE naming the holder
 * and why it counts as alive, or the I/O error (EROFS, ENOSPC, EACCES…) as the cause.
 */
export function takeDirLock(dir: string): string {
  const path = join(dir, 'lock');
  if (held.has(path)) throw new RxporterError('RXP_QUEUE', `queue directory ${dir} is already open in this process`);
  const self = selfOwner();
  for (let attempt = 0; attempt < 3; attempt++) {
    try {
      writeLockFile(path, `${JSON.stringify(self)}\n`);
      held.add(path);
      return path;
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code !== 'EEXIST') throw new RxporterError('RXP_QUEUE', `cannot lock ${path}: ${(e as Error).message}`, false, { cause: e });
    }
    const text = readOr(path);
    if (text === undefined) continue; // released meanwhile
    const owner = parseLockOwner(text);
    const holder = owner && lockHolder(owner, self);
    if (holder) {
      throw new RxporterError('RXP_QUEUE', `queue directory ${dir} is locked by ${holder}, which is still running; agents must not share a queue directory (lock file ${path})`);
    }
    // Stale: remove it unless another taker replaced it meanwhile; the next attempt decides.
    if (readOr(path) === text) {
      try {
        unlinkSync(path);
      } catch {
        // raced with another taker
      }
    }
  }
  throw new RxporterError('RXP_QUEUE', `cannot lock ${path}: it keeps changing (another agent starting on the same directory?)`);
}

/** Gives back a lock taken by takeDirLock (the file is removed; a missing one is fine). */
export function releaseDirLock(path: string): void {
  held.delete(path);
  try {
    unlinkSync(path);
  } catch {
    // already gone
  }
}
