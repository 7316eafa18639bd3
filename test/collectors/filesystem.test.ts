import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, openSync, closeSync, rmSync, writeFileSync } from 'node:fs';
import { open, readFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { asyncScheduler, firstValueFrom, lastValueFrom, toArray } from 'rxjs';
import { createFilesystemCollector, decodeMountPoint, DEFAULT_FS_TYPES_EXCLUDE, filesystemDefinition, DEFAULT_MOUNT_POINTS_EXCLUDE, deviceErrorLabel, stripRootfs } from '../../src/collectors/filesystem';
import type { CollectorContext } from '../../src/collectors/types';
import { encodeText } from '../../src/encode/text';
import type { StatfsFn, StatfsOutcome, StatfsResult } from '../../src/fs/statfsGuard';
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

const errno = (code: string, text: string, path: string): NodeJS.ErrnoException => Object.assign(new Error(`${code}: ${text}, statfs '${path}'`), { code });

describe('filesystem collector', () => {
  // The tree's mountinfo has one mount per rule: optional fields present or absent, "ro" per
  // mount or only in the superblock, ext4's emergency_ro, escapes, excluded mounts, a
  // failing statfs (a dead NFS server, a denied path), garbage and a bad major:minor.
  const statfs: StatfsFn = async (p) => {
    if (p === '/mnt/nfs') throw errno('ENOTCONN', 'socket is not connected', p);
    if (p === '/srv/denied') throw errno('EACCES', 'permission denied', p);
    return fakeStats(p.length);
  };
  const line = (family: string, device: string, fstype: string, mountpoint: string, value: number | string, deviceError = '') =>
    `node_filesystem_${family}{device="${device}",device_error="${deviceError}",fstype="${fstype}",mountpoint="${mountpoint}"} ${value}\n`;

  it('exports node_exporter 1.12\'s families from <procfs>/1/mountinfo, every one labelled device_error', async () => {
    const text = await render(createFilesystemCollector({ ...options, statfs }), ctx(fixture('edge', 'filesystem', 'proc')));
    expectGolden('filesystem.prom', text);
    expect(text).toContain(line('size_bytes', '/dev/sda1', 'ext4', '/', '4.096e+06'));
    expect(text).toContain(line('purgeable_bytes', '/dev/sda1', 'ext4', '/', 0));
    expect(text).toContain('node_filesystem_mount_info{device="/dev/sda1",major="8",minor="1",mountpoint="/"} 1\n');
    expect(text).toContain('node_filesystem_mount_info{device="rootfs",major="0",minor="1",mountpoint="/"} 1\n');
    for (const excluded of ['/proc', '/sys', 'overlay', 'cgroup2']) expect(text).not.toContain(excluded);
    for (const skipped of ['garbage', '/srv/bad-numbers']) expect(text).not.toContain(skipped);
    const families = text.split('\n').filter((l) => l.startsWith('# TYPE')).map((l) => l.split(' ')[2]);
    expect(families).toEqual(['avail_bytes', 'device_error', 'files', 'files_free', 'free_bytes', 'mount_info', 'purgeable_bytes', 'readonly', 'size_bytes'].map((f) => `node_filesystem_${f}`));
    for (const l of text.split('\n').filter((x) => x.startsWith('node_') && !x.startsWith('node_filesystem_mount_info'))) expect(l).toMatch(/device_error="/);
  });

  it.each([
    ['"ro" in the per-mount options', '/dev/sdb1', '/mnt/my disk', 1],
    ['"ro" only in the superblock options', '/dev/sdc1', '/srv/super-ro', 1],
    ['the superblock\'s emergency_ro', '/dev/sdd1', '/srv/emergency-ro', 1],
    ['rw in both', '/dev/sda1', '/', 0],
  ])('decides read-only as 1.12 does: %s', async (_rule, device, mountpoint, ro) => {
    const text = await render(createFilesystemCollector({ ...options, statfs }), ctx(fixture('edge', 'filesystem', 'proc')));
    expect(text).toContain(line('readonly', device, 'ext4', mountpoint, ro));
  });

  it('labels a failing mount with Go\'s errno text, exports only device_error and readonly for it, and no mount_info', async () => {
    const text = await render(createFilesystemCollector({ ...options, statfs }), ctx(fixture('edge', 'filesystem', 'proc')));
    expect(text).toContain(line('device_error', 'nfs-server:/export', 'nfs4', '/mnt/nfs', 1, 'transport endpoint is not connected'));
    expect(text).toContain(line('readonly', 'nfs-server:/export', 'nfs4', '/mnt/nfs', 0, 'transport endpoint is not connected'));
    expect(text).toContain(line('device_error', '/dev/sdf1', 'ext4', '/srv/denied', 1, 'permission denied'));
    expect(text).not.toMatch(/node_filesystem_(size_bytes|avail_bytes|mount_info|purgeable_bytes)\{device="nfs-server/);
  });

  it('decodes only \\040 and \\011 in mount points, as 1.12, and keeps the device as the kernel wrote it', async () => {
    const text = await render(createFilesystemCollector({ ...options, statfs }), ctx(fixture('edge', 'filesystem', 'proc')));
    expect(text).toContain('node_filesystem_mount_info{device="/dev/sde\\\\0401",major="259",minor="65537",mountpoint="/mnt/tab\tand\\\\134slash"} 1\n');
    expect(decodeMountPoint('/a\\040b\\011c\\134d')).toBe('/a b\tc\\134d');
  });

  it.each([
    [{ kind: 'ok', stats: fakeStats(1) }, ''],
    [{ kind: 'error', code: 'EIO', message: "EIO: i/o error, statfs '/x'" }, 'input/output error'],
    [{ kind: 'error', code: 'ESTALE', message: "ESTALE: stale file handle, statfs '/x'" }, 'stale NFS file handle'],
    [{ kind: 'error', code: 'EXDEV', message: "EXDEV: cross-device link not permitted, statfs '/x'" }, 'cross-device link not permitted'],
    [{ kind: 'error', message: 'no code at all' }, 'no code at all'],
    [{ kind: 'timeout' }, 'mountpoint timeout'],
    [{ kind: 'stuck' }, 'mountpoint timeout'],
    [{ kind: 'no-permit' }, 'statfs skipped: every permit held by a hung mount'],
  ] as [StatfsOutcome, string][])('device_error label of %j is %j', (outcome, want) => expect(deviceErrorLabel(outcome)).toBe(want));

  it('falls back to <procfs>/self/mountinfo when pid 1\'s is missing', async () => {
    const a = await render(createFilesystemCollector({ ...options, statfs }), ctx(fixture('edge', 'filesystem', 'proc')));
    const b = await render(createFilesystemCollector({ ...options, statfs }), ctx(fixture('edge', 'filesystem', 'proc-self-only')));
    expect(b).toBe(a);
  });

  it('fails with RXP_PROC_MISSING when no mountinfo file exists, even with a mounts file', async () => {
    const proc = mkdtempSync(join(tmpdir(), 'rxp-proc-'));
    try {
      mkdirSync(join(proc, '1'));
      writeFileSync(join(proc, '1', 'mounts'), '/dev/sda1 / ext4 rw 0 0\n');
      const c = createFilesystemCollector(options);
      await expect(firstValueFrom(c.collect(ctx(proc)))).rejects.toMatchObject({ code: 'RXP_PROC_MISSING' });
      await expect(firstValueFrom(c.collect(ctx(fixture('edge', 'nothing-here'))))).rejects.toMatchObject({ code: 'RXP_PROC_MISSING' });
    } finally {
      rmSync(proc, { recursive: true, force: true });
    }
  });

  it('keeps only what --collector.filesystem.mount-points-include and fs-types-include match, the default excludes dropped', async () => {
    const c = filesystemDefinition.create({ mountPointsExclude: DEFAULT_MOUNT_POINTS_EXCLUDE, fsTypesExclude: DEFAULT_FS_TYPES_EXCLUDE, mountPointsInclude: '^/(proc|var/lib/docker/.*|srv/.*)$', fsTypesInclude: '', mountTimeout: 1000 });
    const text = await render(c, ctx(fixture('edge', 'filesystem', 'proc')));
    const mountpoints = [...new Set([...text.matchAll(/node_filesystem_device_error\{[^}]*mountpoint="([^"]*)"/g)].map((m) => m[1]))];
    // /proc stays out: its type is still excluded
    expect(mountpoints.sort()).toEqual(['/srv/denied', '/srv/emergency-ro', '/srv/super-ro', '/var/lib/docker/volumes/db']);
    const byType = await render(filesystemDefinition.create({ mountPointsExclude: DEFAULT_MOUNT_POINTS_EXCLUDE, fsTypesExclude: DEFAULT_FS_TYPES_EXCLUDE, mountPointsInclude: '', fsTypesInclude: '^tmpfs$', mountTimeout: 1000 }), ctx(fixture('edge', 'filesystem', 'proc')));
    expect([...byType.matchAll(/node_filesystem_device_error\{[^}]*fstype="([^"]*)"/g)].map((m) => m[1])).toEqual(['tmpfs']);
  });

  it.each([
    ['mount-points', 'mountPoints'],
    ['fs-types', 'fsTypes'],
  ])('refuses %s-include together with a %s-exclude of its own (RXP_CONFIG), as node_exporter', (flag, key) => {
    const o = { mountPointsExclude: DEFAULT_MOUNT_POINTS_EXCLUDE, fsTypesExclude: DEFAULT_FS_TYPES_EXCLUDE, mountPointsInclude: '', fsTypesInclude: '', mountTimeout: 1000, [`${key}Exclude`]: '^/x', [`${key}Include`]: '^/y' };
    expect(() => filesystemDefinition.create(o)).toThrow(expect.objectContaining({ code: 'RXP_CONFIG', message: `--collector.filesystem.${flag}-exclude and --collector.filesystem.${flag}-include are mutually exclusive` }) as Error);
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
      writeFileSync(join(proc, '1', 'mountinfo'), `21 1 8:1 / ${root} rw - ext4 /dev/root rw\n`);
      const text = await render(createFilesystemCollector(options), ctx(proc, root));
      expect(text).toMatch(/node_filesystem_size_bytes\{device="\/dev\/root",device_error="",fstype="ext4",mountpoint="\/"\} \d/);
      expect(text).toContain('node_filesystem_device_error{device="/dev/root",device_error="",fstype="ext4",mountpoint="/"} 0');
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
    const lines = ['1 0 8:1 / /good1 rw - ext4 /dev/a rw', '2 1 0:41 / /nfs1 rw - nfs srv:/1 rw', '3 1 0:42 / /nfs2 ro - nfs srv:/2 ro', '4 1 0:43 / /nfs3 rw - nfs srv:/3 rw', '5 1 8:2 / /good2 ro - ext4 /dev/b ro'];
    writeFileSync(join(proc, '1', 'mountinfo'), `${lines.join('\n')}\n`);
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
    const skipped = 'statfs skipped: every permit held by a hung mount';
    expect(first).toContain('node_filesystem_device_error{device="/dev/a",device_error="",fstype="ext4",mountpoint="/good1"} 0');
    expect(first).toContain('node_filesystem_device_error{device="srv:/1",device_error="mountpoint timeout",fstype="nfs",mountpoint="/nfs1"} 1');
    expect(first).toContain('node_filesystem_device_error{device="srv:/2",device_error="mountpoint timeout",fstype="nfs",mountpoint="/nfs2"} 1');
    // a mount whose statfs has not returned is not read-only for 1.12, whatever its options
    expect(first).toContain('node_filesystem_readonly{device="srv:/2",device_error="mountpoint timeout",fstype="nfs",mountpoint="/nfs2"} 0');
    // both permits are held by hung calls: the rest are reported without queueing behind them
    expect(first).toContain(`node_filesystem_device_error{device="srv:/3",device_error="${skipped}",fstype="nfs",mountpoint="/nfs3"} 1`);
    expect(first).toContain(`node_filesystem_device_error{device="/dev/b",device_error="${skipped}",fstype="ext4",mountpoint="/good2"} 1`);
    expect(first).toContain(`node_filesystem_readonly{device="/dev/b",device_error="${skipped}",fstype="ext4",mountpoint="/good2"} 1`);
    expect(calls).toEqual(['/good1', '/nfs1', '/nfs2']);

    // Other file I/O still gets pool threads while two are stuck in the kernel.
    let timer: NodeJS.Timeout | undefined;
    const other = await Promise.race([
      readFile(join(proc, '1', 'mountinfo'), 'utf8').then(() => 'done'),
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
    expect(text).toContain('node_filesystem_device_error{device="/dev/b",device_error="",fstype="ext4",mountpoint="/good2"} 0');
    expect(text).toContain('node_filesystem_mount_info{device="srv:/2",major="0",minor="42",mountpoint="/nfs2"} 1');
  });
});
