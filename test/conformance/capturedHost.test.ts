import { existsSync, readFileSync } from 'node:fs';
import { asyncScheduler, firstValueFrom, toArray } from 'rxjs';
import { DEFAULT_FS_TYPES_EXCLUDE, DEFAULT_MOUNT_POINTS_EXCLUDE, createFilesystemCollector, decodeMountPoint } from '../../src/collectors/filesystem';
import { meminfo } from '../../src/collectors/meminfo';
import type { CollectorContext } from '../../src/collectors/types';
import { silentLog } from '../../src/log/types';
import { fixture } from '../support/paths';

// fixtures/hosts/ci-node-1 was captured from a CI machine with `npm run capture-fixtures -- ci-node-1`.
const host = (...p: string[]) => fixture('hosts', 'ci-node-1', ...p);

const ctx: CollectorContext = {
  procPath: host('proc'),
  sysPath: host('sys'),
  rootPath: host(),
  udevDataPath: host('udev', 'data'),
  log: silentLog,
  scheduler: asyncScheduler,
};

describe('the captured host ci-node-1', () => {
  it('gives the meminfo collector one family per meminfo line, scaled from kB', async () => {
    const text = readFileSync(host('proc', 'meminfo'), 'utf8');
    const families = await firstValueFrom(meminfo.collect(ctx).pipe(toArray()));
    expect(families).toHaveLength(text.trim().split('\n').length);
    const kb = Number(/^MemTotal:\s+(\d+) kB$/m.exec(text)![1]);
    expect(families.find((f) => f.name === 'node_memory_MemTotal_bytes')?.samples[0].value).toBe(kb * 1024);
  });

  it('fails the filesystem collector with RXP_PROC_MISSING: the capture predates mountinfo, which 1.12 reads instead of mounts', async () => {
    const c = createFilesystemCollector({ mountPointsExclude: DEFAULT_MOUNT_POINTS_EXCLUDE, fsTypesExclude: DEFAULT_FS_TYPES_EXCLUDE, mountTimeoutMs: 5000 });
    await expect(firstValueFrom(c.collect(ctx).pipe(toArray()))).rejects.toMatchObject({ code: 'RXP_PROC_MISSING' });
  });
});

describe('this host', () => {
  it('gives the filesystem collector every mount of its mount table that the default filters keep', async () => {
    const mpExclude = new RegExp(DEFAULT_MOUNT_POINTS_EXCLUDE);
    const fsExclude = new RegExp(DEFAULT_FS_TYPES_EXCLUDE);
    const mounts = existsSync('/proc/1/mountinfo') ? '/proc/1/mounts' : '/proc/self/mounts';
    const kept = new Set<string>();
    for (const line of readFileSync(mounts, 'utf8').trim().split('\n')) {
      const [device, raw, fstype] = line.split(' ');
      const mountpoint = decodeMountPoint(raw);
      if (!mpExclude.test(mountpoint) && !fsExclude.test(fstype)) kept.add(JSON.stringify({ device, fstype, mountpoint }));
    }
    const c = createFilesystemCollector({ mountPointsExclude: DEFAULT_MOUNT_POINTS_EXCLUDE, fsTypesExclude: DEFAULT_FS_TYPES_EXCLUDE, mountTimeoutMs: 5000 });
    const families = await firstValueFrom(c.collect({ ...ctx, procPath: '/proc', rootPath: '/' }).pipe(toArray()));
    const devErr = families.find((f) => f.name === 'node_filesystem_device_error');
    const seen = new Set(devErr?.samples.map((s) => JSON.stringify({ device: s.labels.device, fstype: s.labels.fstype, mountpoint: s.labels.mountpoint })));
    expect(kept.size).toBeGreaterThan(0);
    expect(seen).toEqual(kept);
    expect(families.find((f) => f.name === 'node_filesystem_size_bytes')?.samples.some((s) => s.labels.mountpoint === '/' && s.labels.device_error === '' && s.value > 0)).toBe(true);
    expect(families.find((f) => f.name === 'node_filesystem_mount_info')?.samples.some((s) => s.labels.mountpoint === '/')).toBe(true);
  });
});
