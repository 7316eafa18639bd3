import { RxporterError } from '../errors';
import { isIntText, splitLines } from './fields';

/** One line of /proc/<pid>/mountinfo. */
export interface MountInfoEntry {
  readonly mountId: number;
  readonly parentId: number;
  readonly majorMinor: string;
  readonly root: string;
  readonly mountPoint: string;
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
 * Returns the entries of a mountinfo file, one per line:
 *   "194 21 0:42 / /mnt/nfs rw shared:144 - nfs4 192.168.1.1:/srv rw,vers=4.0,addr=192.168.1.1"
 * Throws RXP_PROC_PARSE quoting the line when one has fewer than 10 fields, no "-"
 * separator where expected, or non-numeric ids.
 */
export function parseMountInfo(text: string): MountInfoEntry[] {
  const out: MountInfoEntry[] = [];
  for (const line of splitLines(text)) {
    const f = line.split(' ');
    const n = f.length;
    if (n < 10 || f[n - 4] !== '-' || !isIntText(f[0]) || !isIntText(f[1])) {
      throw new RxporterError('RXP_PROC_PARSE', `mountinfo: invalid line: ${JSON.stringify(line)}`);
    }
    out.push({
      mountId: Number(f[0]),
      parentId: Number(f[1]),
      majorMinor: f[2],
      root: f[3],
      mountPoint: f[4],
      fsType: f[n - 3],
      source: f[n - 2],
      superOptions: parseMountOptions(f[n - 1]),
    });
  }
  return out;
}
