import { RxporterError } from '../errors';
import { isIntText, splitLines } from './fields';

/** One line of /proc/<pid>/mountinfo. */
export interface MountInfoEntry {
  readonly mountId: number;
  readonly parentId: number;
  readonly majorMinor: string;
  readonly root: string;
  readonly mountPoint: string;
  /** Per-mount options (field 6), `key=value` or `key` (value ""). */
  readonly options: ReadonlyMap<string, string>;
  readonly fsType: string;
  readonly source: string;
  /** Superblock options, `key=value` or `key` (value ""). */
  readonly superOptions: ReadonlyMap<string, string>;
}

/** Returns `a,b=c` as a map a → "", b → "c" (a value with a second "=" keeps its first part, as procfs does). */
export function parseMountOptions(s: string): Map<string, string> {
  const m = new Map<string, string>();
  for (const opt of s.split(',')) {
    const eq = opt.indexOf('=');
    if (eq < 0) m.set(opt, '');
    else {
      const rest = opt.slice(eq + 1);
      const eq2 = rest.indexOf('=');
      m.set(opt.slice(0, eq), eq2 < 0 ? rest : rest.slice(0, eq2));
    }
  }
  return m;
}

/**
 * Returns the entries of a mountinfo file (proc(5)), one per line; the optional fields
 * between the options and the "-" separator may be absent (then a line has 10 fields):
 *   "194 21 0:42 / /mnt/nfs rw shared:144 - nfs4 192.168.1.1:/srv rw,vers=4.0,addr=192.168.1.1"
 *   "52 21 8:17 / /srv/data rw,noatime - xfs /dev/sdb1 rw,attr2"
 * Fields are kept as the kernel escapes them (`\040` for a space). A line with fewer than
 * 10 fields, no "-" separator where expected, or non-numeric ids throws RXP_PROC_PARSE
 * quoting it, or, when `onBadLine` is given, is reported to it and skipped.
 */
export function parseMountInfo(text: string, onBadLine?: (line: string) => void): MountInfoEntry[] {
  const out: MountInfoEntry[] = [];
  for (const line of splitLines(text)) {
    const f = line.split(' ');
    const n = f.length;
    if (n < 10 || f[n - 4] !== '-' || !isIntText(f[0]) || !isIntText(f[1])) {
      if (onBadLine) {
        onBadLine(line);
        continue;
      }
      throw new RxporterError('RXP_PROC_PARSE', `mountinfo: invalid line: ${JSON.stringify(line)}`);
    }
    out.push({
      mountId: Number(f[0]),
      parentId: Number(f[1]),
      majorMinor: f[2],
      root: f[3],
      mountPoint: f[4],
      options: parseMountOptions(f[5]),
      fsType: f[n - 3],
      source: f[n - 2],
      superOptions: parseMountOptions(f[n - 1]),
    });
  }
  return out;
}
