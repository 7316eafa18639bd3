import { closeSync, openSync, readSync } from 'node:fs';
import { join } from 'node:path';
import { RxporterError } from '../errors';
import { intBase0OrNaN, trimSpace, uintOrNaN } from '../procfs/fields';
import { joinPath, withoutStacks } from '../procfs/read';
import { isDir, listDirents } from './read';

/** Numeric attributes of /sys/class/net/<iface> (procfs' NetClassIface int64 fields), by file name. */
export const NET_CLASS_INT_ATTRS = new Set([
  'addr_assign_type', 'addr_len', 'carrier', 'carrier_changes', 'carrier_up_count', 'carrier_down_count', 'dev_id',
  'dormant', 'flags', 'ifindex', 'iflink', 'link_mode', 'mtu', 'name_assign_type', 'netdev_group', 'speed',
  'tx_queue_len', 'type',
]);

/** Text attributes of /sys/class/net/<iface>, by file name. */
export const NET_CLASS_TEXT_ATTRS = new Set(['address', 'broadcast', 'duplex', 'ifalias', 'operstate', 'phys_port_id', 'phys_port_name', 'phys_switch_id']);

/** One interface's attributes: numbers that parsed, and texts; absent or unreadable ones are missing. */
export interface NetClassIface {
  readonly name: string;
  readonly ints: ReadonlyMap<string, number>;
  readonly texts: ReadonlyMap<string, string>;
}

/**
 * Adds one attribute file's value to `ints` or `texts`. A number that does not parse
 * (ParseInt base 0) is left out, as procfs does; unknown attributes are ignored.
 */
export function parseNetClassAttribute(attr: string, value: string, ints: Map<string, number>, texts: Map<string, string>): void {
  if (NET_CLASS_INT_ATTRS.has(attr)) {
    const v = intBase0OrNaN(value);
    if (!Number.isNaN(v)) ints.set(attr, v);
  } else if (NET_CLASS_TEXT_ATTRS.has(attr)) texts.set(attr, value);
}

/** Read errors of an attribute procfs ignores (absent, forbidden, unsupported by the driver). */
const IGNORED = new Set(['ENOENT', 'ENOTDIR', 'EACCES', 'EPERM', 'EOPNOTSUPP', 'ENOTSUP', 'EINVAL']);

const attrBuf = Buffer.alloc(128);

/**
 * Returns the trimmed text of a sysfs attribute read as procfs' SysReadFile does (one
 * read of at most 128 bytes: a driver answering EAGAIN fails at once), or undefined when
 * procfs would ignore the read error. Throws RXP_PROC_READ on any other error.
 */
export function readAttribute(root: string, rel: string): string | undefined {
  const path = joinPath(root, rel);
  let fd: number;
  try {
    fd = withoutStacks(() => openSync(path, 'r'));
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    if (code !== undefined && IGNORED.has(code)) return undefined;
    throw new RxporterError('RXP_PROC_READ', `${path}: ${(e as Error).message}`, false, { cause: e });
  }
  try {
    const n = withoutStacks(() => readSync(fd, attrBuf, 0, attrBuf.length, null));
    return trimSpace(attrBuf.toString('utf8', 0, n));
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    if (code !== undefined && IGNORED.has(code)) return undefined;
    throw new RxporterError('RXP_PROC_READ', `${path}: ${(e as Error).message}`, false, { cause: e });
  } finally {
    closeSync(fd);
  }
}

/**
 * Returns the interface names of <sysfs>/class/net: directories and symlinks (a regular
 * file there, such as bonding_masters, is not an interface). Throws RXP_PROC_MISSING
 * when the directory is absent.
 */
export const listNetClassDevices = (sysPath: string): string[] =>
  listDirents(sysPath, 'class/net')
    .filter((d) => !d.isFile())
    .map((d) => d.name);

/**
 * Returns the attributes of <sysfs>/class/net/<name>: each regular file in it, or only
 * `attrs` when given, read directly without listing the directory (a collector that
 * exports a few of them). Throws RXP_PROC_MISSING when the interface directory is gone.
 */
export function readNetClassIface(sysPath: string, name: string, attrs?: readonly string[]): NetClassIface {
  const dir = join('class/net', name);
  const ints = new Map<string, number>();
  const texts = new Map<string, string>();
  if (attrs) {
    for (const a of attrs) {
      const v = readAttribute(sysPath, `${dir}/${a}`);
      if (v !== undefined) parseNetClassAttribute(a, v, ints, texts);
    }
    if (ints.size === 0 && texts.size === 0 && !isDir(sysPath, dir)) {
      throw new RxporterError('RXP_PROC_MISSING', `${join(sysPath, dir)}: no such file or directory`);
    }
    return { name, ints, texts };
  }
  for (const d of listDirents(sysPath, dir)) {
    if (!d.isFile()) continue;
    if (!NET_CLASS_INT_ATTRS.has(d.name) && !NET_CLASS_TEXT_ATTRS.has(d.name)) continue;
    const v = readAttribute(sysPath, `${dir}/${d.name}`);
    if (v !== undefined) parseNetClassAttribute(d.name, v, ints, texts);
  }
  return { name, ints, texts };
}

/**
 * Returns the kernel's rtnl_link_stats64 counters `files` of one interface, from
 * <sys>/class/net/<name>/statistics/<file> (file name → value): the numbers netlink's
 * RTM_GETLINK returns, read through sysfs, without listing the directory. Throws
 * RXP_PROC_MISSING when none of them exists (the interface is gone), RXP_PROC_PARSE on a
 * non-number.
 */
export function readNetStatistics(sysPath: string, name: string, files: readonly string[]): Map<string, number> {
  const dir = join('class/net', name, 'statistics');
  const out = new Map<string, number>();
  for (const f of files) {
    const text = readAttribute(sysPath, `${dir}/${f}`);
    if (text === undefined) continue;
    const v = uintOrNaN(text);
    if (Number.isNaN(v)) throw new RxporterError('RXP_PROC_PARSE', `${join(sysPath, dir, f)}: not a counter: ${JSON.stringify(text)}`);
    out.set(f, v);
  }
  if (out.size === 0 && files.length > 0) throw new RxporterError('RXP_PROC_MISSING', `${join(sysPath, dir)}: no statistics`);
  return out;
}
