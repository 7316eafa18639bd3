import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/** A small tmpfs mounted for a test: a full or read-only disk that even root cannot write. */
export interface TestMount {
  readonly dir: string;
  /** Remounts read-write or read-only (the mount keeps its files). */
  remount(o: { readOnly: boolean }): void;
  /** Unmounts and removes the mount point. */
  unmount(): void;
}

/**
 * Mounts a tmpfs of `sizeKiB` on a new temp dir (`mount -t tmpfs -o size=…[,ro]`): needs root, as
 * the test machine and CI containers give; throws with mount's message otherwise. chmod alone
 * does not stop root, hence a real mount.
 */
export function mountTmpfs(o: { sizeKiB: number; readOnly?: boolean }): TestMount {
  const dir = mkdtempSync(join(tmpdir(), 'rxp-mnt-'));
  const opts = (ro: boolean) => `size=${o.sizeKiB}k,mode=0755${ro ? ',ro' : ''}`;
  execFileSync('mount', ['-t', 'tmpfs', '-o', opts(o.readOnly ?? false), 'rxptest', dir], { stdio: 'pipe' });
  return {
    dir,
    remount: ({ readOnly }) => execFileSync('mount', ['-o', `remount,${readOnly ? 'ro' : 'rw'}`, dir], { stdio: 'pipe' }),
    unmount() {
      execFileSync('umount', ['-l', dir], { stdio: 'pipe' });
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
