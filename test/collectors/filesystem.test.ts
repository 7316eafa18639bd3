import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, openSync, closeSync, rmSync, writeFileSync } from 'node:fs';
import { open, readFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { asyncScheduler, firstValueFrom, lastValueFrom, toArray } from 'rxjs';
import { createFilesystemCollector, DEFAULT_FS_TYPES_EXCLUDE, DEFAULT_MOUNT_POINTS_EXCLUDE, stripRootfs } from '../../src/collectors/filesystem';
import type { CollectorContext } from '../../src/collectors/types';
import { encodeText } from '../../src/encode/text';
import type { StatfsFn, StatfsResult } from '../../src/fs/statfsGuard';
import { silentLog } from '../../src/log/types';
import { expectGolden, fixture } from '../support/paths';

const ctx = (procPath: string, rootPath = '/'): CollectorContext => ({
  procPath,
  sysPath: '/nonexistent',
  rootPath,
  udevDataPath: '/nonexistent',
  log: silentLog,
  scheduler: asyncScheduler,
});

const fakeStats = (i: number): StatfsResult => ({ bsize: 4096, blocks: 1000 * i, bfree: 500 * i, bavail: 400 * i, files: 64 * i, ffree: 32 * i });
const options = { mountPointsExclude: DEFAULT_MOUNT_POINTS_EXCLUDE, fsTypesExclude: DEFAULT_FS_TYPES_EXCLUDE, mountTimeoutMs: 1000 };

const render = async (c: ReturnType<typeof createFilesystemCollector>, cx: CollectorContext) =>
  encodeText(await lastValueFrom(c.collect(cx).pipe(toArray())));

describe('filesystem collector', () => {
  it('exports node_exporter\'s families for every mount not excluded, device_error 1 for a failing statfs', async () => {
    const statfs: StatfsFn = async (p) => {
      if (p === '/mnt/nfs') throw new Error('EIO: i/o error');
      return fakeStats(p.length);
    };
    const text = await render(createFilesystemCollector({ ...options, statfs }), ctx(fixture('edge', 'filesystem', 'proc')));
    expectGolden('filesystem.prom', text);
    expect(text).toContain('node_filesystem_readonly{device="/dev/sdb1",fstype="ext4",mountpoint="/mnt/my disk"} 1');
    expect(text).toContain('node_filesystem_device_error{device="nfs-server:/export",fstype="nfs4",mountpoint="/mnt/nfs"} 1');
    expect(text).not.toContain('node_filesystem_size_bytes{device="nfs-server:/export"');
    for (const excluded of ['/proc', '/sys', 'overlay', 'cgroup2']) expect(text).not.toContain(excluded);
  });

  it('falls back to <procfs>/self/mounts when pid 1\'s mounts are missing', async () => {
    const statfs: StatfsFn = async (p) => fakeStats(p.length);
    const a = await render(createFilesystemCollector({ ...options, statfs }), ctx(fixture('edge', 'filesystem', 'proc')));
    const b = await render(createFilesystemCollector({ ...options, statfs }), ctx(fixture('edge', 'filesystem', 'proc-self-only')));
    expect(b).toBe(a.replace('node_filesystem_device_error{device="nfs-server:/export",fstype="nfs4",mountpoint="/mnt/nfs"} 1', 'node_filesystem_device_error{device="nfs-server:/export",fstype="nfs4",mountpoint="/mnt/nfs"} 0'));
  });

  it('fails with RXP_PROC_MISSING when no mounts file exists', async () => {
    const c = createFilesystemCollector(options);
    await expect(firstValueFrom(c.collect(ctx(fixture('edge', 'nothing-here'))))).rejects.toMatchObject({ code: 'RXP_PROC_MISSING' });
  });

  it.each([
    ['/', '/x', '/x'],
    ['/host', '/host', '/'],
    ['/host', '/host/var', '/var'],
    ['/host/', '/host/var', '/var'],
    ['/host', '/hostile', '/hostile'],
  ])('stripRootfs(%s, %s) = %s', (root, mp, want) => expect(stripRootfs(root, mp)).toBe(want));

  it('statfs real mounts under --path.rootfs', async () => {
    const root = mkdtempSync(join(tmpdir(), 'rxp-rootfs-'));
    const proc = mkdtempSync(join(tmpdir(), 'rxp-proc-'));
    try {
      mkdirSync(join(proc, '1'));
      writeFileSync(join(proc, '1', 'mounts'), `/dev/root ${root} ext4 rw 0 0\n`);
      const text = await render(createFilesystemCollector(options), ctx(proc, root));
      expect(text).toMatch(/node_filesystem_size_bytes\{device="\/dev\/root",fstype="ext4",mountpoint="\/"\} \d/);
      expect(text).toContain('node_filesystem_device_error{device="/dev/root",fstype="ext4",mountpoint="/"} 0');
    } finally {
      rmSync(root, { recursive: true, force: true });
      rmSync(proc, { recursive: true, force: true });
    }
  });
});

describe('filesystem collector with hung mounts (real libuv pool threads)', () => {
  // A FIFO opened for reading blocks a libuv pool thread inside open(2) until a writer
  // arrives: the same as statfs(2) on a dead NFS server, but we can release it.
  const dir = mkdtempSync(join(tmpdir(), 'rxp-hung-'));
  const fifos = ['nfs1', 'nfs2', 'nfs3'].map((n) => join(dir, n));
  for (const f of fifos) execFileSync('mkfifo', [f]);
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('times out, reports device_error 1, never statfs a stuck mount again, and leaves the pool to other I/O', async () => {
    const proc = join(dir, 'proc');
    mkdirSync(join(proc, '1'), { recursive: true });
    const lines = ['/dev/a /good1 ext4 rw 0 0', 'srv:/1 /nfs1 nfs rw 0 0', 'srv:/2 /nfs2 nfs rw 0 0', 'srv:/3 /nfs3 nfs rw 0 0', '/dev/b /good2 ext4 ro 0 0'];
    writeFileSync(join(proc, '1', 'mounts'), `${lines.join('\n')}\n`);
    const calls: string[] = [];
    let serverUp = false;
    const statfs: StatfsFn = async (p) => {
      calls.push(p);
      if (p.startsWith('/nfs') && !serverUp) {
        const h = await open(join(dir, p.slice(1)), 'r'); // blocks a pool thread
        await h.close();
      }
      return fakeStats(1);
    };
    // permits 2 of the default pool of 4, as defaultStatfsPermits() gives when UV_THREADPOOL_SIZE is unset
    const c = createFilesystemCollector({ ...options, mountTimeoutMs: 300, statfsPermits: 2, statfs });
    const first = await render(c, ctx(proc));
    expect(first).toContain('node_filesystem_device_error{device="/dev/a",fstype="ext4",mountpoint="/good1"} 0');
    expect(first).toContain('node_filesystem_device_error{device="srv:/1",fstype="nfs",mountpoint="/nfs1"} 1');
    expect(first).toContain('node_filesystem_device_error{device="srv:/2",fstype="nfs",mountpoint="/nfs2"} 1');
    // both permits are held by hung calls: the rest are reported without queueing behind them
    expect(first).toContain('node_filesystem_device_error{device="srv:/3",fstype="nfs",mountpoint="/nfs3"} 1');
    expect(first).toContain('node_filesystem_device_error{device="/dev/b",fstype="ext4",mountpoint="/good2"} 1');
    expect(calls).toEqual(['/good1', '/nfs1', '/nfs2']);

    // Other file I/O still gets pool threads while two are stuck in the kernel.
    let timer: NodeJS.Timeout | undefined;
    const other = await Promise.race([
      readFile(join(proc, '1', 'mounts'), 'utf8').then(() => 'done'),
      new Promise((r) => (timer = setTimeout(() => r('starved'), 5000))),
    ]);
    clearTimeout(timer);
    expect(other).toBe('done');

    // A second scrape does not call statfs on the stuck mounts again.
    await render(c, ctx(proc));
    expect(calls.filter((p) => p === '/nfs1')).toHaveLength(1);

    // The "server" comes back: the hung calls return, and the next scrape statfs every mount.
    serverUp = true;
    for (const f of fifos.slice(0, 2)) closeSync(openSync(f, 'w')); // a reader is waiting on each: no block
    await new Promise((r) => setTimeout(r, 100));
    calls.length = 0;
    const text = await render(c, ctx(proc));
    expect(calls).toEqual(['/good1', '/nfs1', '/nfs2', '/nfs3', '/good2']);
    expect(text).toContain('node_filesystem_device_error{device="/dev/b",fstype="ext4",mountpoint="/good2"} 0');
  });
});
