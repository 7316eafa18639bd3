import { RxporterError } from '../errors';

/** One line of /proc/<pid>/mounts. */
export interface MountEntry {
  readonly device: string;
  readonly mountPoint: string;
  readonly fsType: string;
  readonly options: readonly string[];
}

/** Returns `s` with the kernel's octal escapes (`\040` space, `\011` tab, `\012`, `\134`) decoded. */
export function unescapeMountField(s: string): string {
  if (s.indexOf('\\') < 0) return s;
  return s.replace(/\\([0-7]{3})/g, (_, o: string) => String.fromCharCode(parseInt(o, 8)));
}

/**
 * Returns the mounts of a /proc/<pid>/mounts file.
 *   "/dev/sda1 /mnt/my\040disk ext4 rw,relatime 0 0"
 *   → { device: '/dev/sda1', mountPoint: '/mnt/my disk', fsType: 'ext4', options: ['rw','relatime'] }
 * Lines with fewer than four fields are garbage: they are skipped and reported through
 * `onBadLine` so one bad line does not hide every filesystem. Throws RXP_PROC_PARSE
 * when the file holds no valid mount at all.
 */
export function parseMounts(text: string, onBadLine?: (line: string) => void): MountEntry[] {
  const out: MountEntry[] = [];
  for (const line of text.split('\n')) {
    if (line.trim() === '') continue;
    const f = line.split(/\s+/).filter((p) => p !== '');
    if (f.length < 4 || !f[1].startsWith('/')) {
      onBadLine?.(line);
      continue;
    }
    out.push({
      device: unescapeMountField(f[0]),
      mountPoint: unescapeMountField(f[1]),
      fsType: f[2],
      options: f[3].split(','),
    });
  }
  if (out.length === 0) throw new RxporterError('RXP_PROC_PARSE', 'mounts: no valid mount line');
  return out;
}
