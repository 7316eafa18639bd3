import { cpSync, mkdtempSync, readdirSync, rmSync, utimesSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { asyncScheduler, firstValueFrom, toArray, type SchedulerLike } from 'rxjs';
import * as tree from '../../src/cgroup/tree';
import { createContainerCollector, SPEC_REFRESH } from '../../src/collectors/container';
import type { CollectorContext } from '../../src/collectors/types';
import { encodeText } from '../../src/encode/text';
import { RxporterError } from '../../src/errors';
import type { MetricFamily } from '../../src/model/family';
import { recordingLog } from '../support/neFixtures';
import { expectGolden, fixture } from '../support/paths';

/** 2026-11-29T12:00:00Z: container_last_seen. */
const NOW_MS = 1_795_780_800_000;
/** 2026-11-21T00:00:00Z: every cgroup's mtime, so container_start_time_seconds is fixed. */
const CGROUP_MTIME = new Date('2026-11-21T00:00:00Z');

const fixedScheduler: SchedulerLike = { now: () => NOW_MS, schedule: asyncScheduler.schedule.bind(asyncScheduler) };

const touchAll = (dir: string): void => {
  for (const e of readdirSync(dir, { withFileTypes: true })) {
    if (e.isSymbolicLink()) continue;
    const p = join(dir, e.name);
    if (e.isDirectory()) touchAll(p);
    utimesSync(p, CGROUP_MTIME, CGROUP_MTIME);
  }
  utimesSync(dir, CGROUP_MTIME, CGROUP_MTIME);
};

/** Returns a scratch copy of fixtures/cgroup/<version> with fixed cgroup mtimes. */
function copyTree(version: 'v1' | 'v2'): string {
  const root = join(mkdtempSync(join(tmpdir(), 'rxp-cgroup-')), version);
  cpSync(fixture('cgroup', version), root, { recursive: true, verbatimSymlinks: true });
  touchAll(join(root, 'sys/fs/cgroup'));
  return root;
}

const context = (root: string): CollectorContext => ({
  procPath: join(root, 'proc'),
  sysPath: join(root, 'sys'),
  rootPath: root,
  udevDataPath: join(root, 'udev/data'),
  log: recordingLog(),
  scheduler: fixedScheduler,
});

const collect = (root: string, maxContainers = 1000): Promise<MetricFamily[]> =>
  firstValueFrom(createContainerCollector({ maxContainers }).collect(context(root)).pipe(toArray()));

const sample = (fams: MetricFamily[], name: string, id: RegExp): number | undefined =>
  fams.find((f) => f.name === name)?.samples.find((s) => id.test(s.labels.id))?.value;

const DOCKER_V2 = /docker-f3c1a8e0/;

describe('container collector on fixture trees', () => {
  const roots: string[] = [];
  const tree$ = (v: 'v1' | 'v2'): string => {
    const r = copyTree(v);
    roots.push(r);
    return r;
  };
  afterAll(() => roots.forEach((r) => rmSync(join(r, '..'), { recursive: true, force: true })));

  it('exports cAdvisor families for docker, containerd and CRI-O containers and their pods on cgroup v2 (systemd driver)', async () => {
    const fams = await collect(tree$('v2'));
    expectGolden('container-v2.prom', encodeText(fams));
    const ids = new Set(fams.find((f) => f.name === 'container_last_seen')!.samples.map((s) => s.labels.id));
    expect([...ids].sort()).toEqual([
      expect.stringMatching(/^\/kubepods\.slice\/kubepods-besteffort\.slice\/kubepods-besteffort-pod7a6b5c4d_3e2f_4a1b_9c8d_7e6f5a4b3c2d\.slice$/),
      expect.stringMatching(/^\/kubepods\.slice\/kubepods-besteffort\.slice\/kubepods-besteffort-pod7a6b.*\.slice\/crio-(c0ffee00){8}\.scope$/),
      expect.stringMatching(/^\/kubepods\.slice\/kubepods-burstable\.slice\/kubepods-burstable-pod1f2e.*\.slice$/),
      expect.stringMatching(/\/cri-containerd-5b0e.*\.scope$/),
      expect.stringMatching(/\/cri-containerd-9d8c.*\.scope$/),
      expect.stringMatching(/^\/system\.slice\/docker-f3c1.*\.scope$/),
    ]);
  });

  it('computes the working set as usage minus inactive_file, and memory.max "max" as a limit of 0', async () => {
    const fams = await collect(tree$('v2'));
    // docker: memory.current = anon + file + kernel = 73728000 + 20971520 + 2113536, inactive_file 16777216
    expect(sample(fams, 'container_memory_usage_bytes', DOCKER_V2)).toBe(96813056);
    expect(sample(fams, 'container_memory_working_set_bytes', DOCKER_V2)).toBe(96813056 - 16777216);
    expect(sample(fams, 'container_spec_memory_limit_bytes', DOCKER_V2)).toBe(268435456);
    // the CRI-O container's
    expect(sample(fams, 'container_memory_working_set_bytes', /crio-c0ffee/)).toBe(9900000 + 1000000 + 2113536 - 600000);
    expect(sample(fams, 'container_spec_memory_limit_bytes', /cri-containerd-5b0e/)).toBe(0);
    expect(sample(fams, 'container_threads_max', /cri-containerd-5b0e/)).toBe(0);
    // cpu.max "max 100000": no quota, no CFS counters (cAdvisor's condition), period still there
    expect(sample(fams, 'container_spec_cpu_quota', /cri-containerd-5b0e/)).toBeUndefined();
    expect(sample(fams, 'container_cpu_cfs_periods_total', /cri-containerd-5b0e/)).toBeUndefined();
    expect(sample(fams, 'container_spec_cpu_period', /cri-containerd-5b0e/)).toBe(100000);
  });

  it('labels pods from the runtime files and reports network only for containers with their own namespace (the sandbox, docker)', async () => {
    const fams = await collect(tree$('v2'));
    const rx = fams.find((f) => f.name === 'container_network_receive_bytes_total')!.samples;
    expect(rx.map((s) => [s.labels.container, s.labels.interface, s.value]).sort()).toEqual([
      ['', 'eth0', 123456],
      ['POD', 'eth0', 987654],
    ]);
    const app = fams.find((f) => f.name === 'container_last_seen')!.samples.find((s) => /9d8c7b6a/.test(s.labels.id))!;
    expect(app.labels).toMatchObject({ pod: 'shop-api-7d9f8b6c5d-x2x4q', namespace: 'shop', container: 'api', image: 'registry.example.com/shop/api:2.4.1' });
    expect(app.labels.name).toMatch(/^9d8c7b6a[0-9a-f]{56}$/); // containerd: cAdvisor's first alias is the id
  });

  it('reads v1 hierarchies from a joint cpu,cpuacct mount (CRI-O and docker, cgroupfs driver)', async () => {
    const fams = await collect(tree$('v1'));
    expectGolden('container-v1.prom', encodeText(fams));
    const docker = /^\/docker\/(ab){32}$/;
    expect(sample(fams, 'container_cpu_usage_seconds_total', docker)).toBe(123.456789012);
    expect(sample(fams, 'container_cpu_user_seconds_total', docker)).toBe(90); // 9000 USER_HZ ticks
    expect(sample(fams, 'container_cpu_cfs_throttled_seconds_total', docker)).toBe(45);
    expect(sample(fams, 'container_memory_working_set_bytes', docker)).toBe(104857600 - 10000000);
    expect(sample(fams, 'container_memory_swap', docker)).toBe(1048576);
    expect(sample(fams, 'container_spec_memory_swap_limit_bytes', docker)).toBe(209715200);
    // 9223372036854771712 (v1's "unlimited") is reported as 0, as cAdvisor's specMemoryValue does
    expect(sample(fams, 'container_spec_memory_limit_bytes', /crio-c0ffee/)).toBe(0);
    expect(fams.find((f) => f.name === 'container_fs_reads_bytes_total')!.samples).toEqual([
      { labels: expect.objectContaining({ device: '/dev/vda', id: expect.stringMatching(/crio-c0ffee/) }), value: 8192 },
    ]);
  });

  it('skips a container that vanished between the listing and the reads, silently', async () => {
    const root = tree$('v2');
    const real = tree.findContainers;
    const gone = `/system.slice/docker-${'e'.repeat(64)}.scope`;
    const spy = jest.spyOn(tree, 'findContainers').mockImplementation((r, limit) => {
      const found = real(r, limit);
      return { entries: [{ path: gone, kind: 'container', runtime: 'docker', id: 'e'.repeat(64) }, ...found.entries], dropped: 0 };
    });
    try {
      const ctx = context(root);
      const fams = await firstValueFrom(createContainerCollector({ maxContainers: 1000 }).collect(ctx).pipe(toArray()));
      expect(fams.find((f) => f.name === 'container_last_seen')!.samples).toHaveLength(6);
      expect((ctx.log as ReturnType<typeof recordingLog>).lines).toEqual([]);
    } finally {
      spy.mockRestore();
    }
  });

  it('skips a v1 container whose walked hierarchy is already gone while others still have it', async () => {
    const root = tree$('v1');
    rmSync(join(root, 'sys/fs/cgroup/cpu,cpuacct/docker'), { recursive: true }); // runc removes controllers one by one
    const fams = await collect(root);
    expect(fams.find((f) => f.name === 'container_last_seen')!.samples.map((s) => s.labels.id)).not.toContainEqual(expect.stringMatching(/^\/docker/));
  });

  it('leaves out what a missing file would give and keeps the rest (a v2 cgroup without the io and pids controllers)', async () => {
    const root = tree$('v2');
    const dir = join(root, `sys/fs/cgroup/system.slice/docker-f3c1a8e0b7d24c5e9a1b2c3d4e5f60718293a4b5c6d7e8f9012345678abcdef0.scope`);
    for (const f of ['io.stat', 'pids.current', 'pids.max', 'memory.swap.current', 'memory.swap.max', 'io.pressure']) rmSync(join(dir, f));
    const fams = await collect(root);
    expect(sample(fams, 'container_fs_reads_bytes_total', DOCKER_V2)).toBeUndefined();
    expect(sample(fams, 'container_threads', DOCKER_V2)).toBeUndefined();
    expect(sample(fams, 'container_pressure_io_waiting_seconds_total', DOCKER_V2)).toBeUndefined();
    expect(sample(fams, 'container_memory_swap', DOCKER_V2)).toBe(0);
    expect(sample(fams, 'container_memory_usage_bytes', DOCKER_V2)).toBe(96813056);
  });

  it.each([
    ['a memory.stat cut after a key', 'memory.stat', 'anon 73728000\nfile', '"file"'],
    ['an empty memory.max', 'memory.max', '', '""'],
    ['a cpu.max without its period', 'cpu.max', '150000\n', '150000'],
    ['a garbled io.stat', 'io.stat', 'vda rbytes=1\n', 'vda'],
  ])('fails the cycle with RXP_PROC_PARSE quoting the file on %s', async (_n, file, content, quoted) => {
    const root = tree$('v2');
    writeFileSync(join(root, `sys/fs/cgroup/system.slice/docker-f3c1a8e0b7d24c5e9a1b2c3d4e5f60718293a4b5c6d7e8f9012345678abcdef0.scope/${file}`), content);
    const err = await collect(root).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(RxporterError);
    expect(err).toMatchObject({ code: 'RXP_PROC_PARSE' });
    expect((err as Error).message).toContain(quoted);
  });

  it('reads a changed limit again after SPEC_REFRESH collections, and usage at every collection', async () => {
    const root = tree$('v2');
    const dir = join(root, 'sys/fs/cgroup/system.slice/docker-f3c1a8e0b7d24c5e9a1b2c3d4e5f60718293a4b5c6d7e8f9012345678abcdef0.scope');
    const c = createContainerCollector({ maxContainers: 1000 });
    const once = async () => {
      const fams = await firstValueFrom(c.collect(context(root)).pipe(toArray()));
      return [sample(fams, 'container_spec_memory_limit_bytes', DOCKER_V2), sample(fams, 'container_threads', DOCKER_V2)];
    };
    expect(await once()).toEqual([268435456, 9]);
    writeFileSync(join(dir, 'memory.max'), '536870912\n');
    writeFileSync(join(dir, 'pids.current'), '10\n');
    const seen = [];
    for (let i = 0; i < SPEC_REFRESH; i++) seen.push(await once());
    expect(seen).toEqual([...Array<number[]>(SPEC_REFRESH - 1).fill([268435456, 10]), [536870912, 10]]);
  });

  it('reads v2 swap usage only while a swap device is active (/proc/swaps beyond its header)', async () => {
    const root = tree$('v2');
    writeFileSync(join(root, `sys/fs/cgroup/system.slice/docker-f3c1a8e0b7d24c5e9a1b2c3d4e5f60718293a4b5c6d7e8f9012345678abcdef0.scope/memory.swap.current`), '4096\n');
    expect(sample(await collect(root), 'container_memory_swap', DOCKER_V2)).toBe(0);
    writeFileSync(join(root, 'proc/swaps'), 'Filename\tType\tSize\tUsed\tPriority\n/dev/zram0  partition\t1048572\t0\t100\n');
    expect(sample(await collect(root), 'container_memory_swap', DOCKER_V2)).toBe(4096);
    rmSync(join(root, 'proc/swaps'));
    expect(sample(await collect(root), 'container_memory_swap', DOCKER_V2)).toBe(4096); // unknown: read it
  });

  it('exports at most max-containers and counts the rest', async () => {
    const fams = await collect(tree$('v2'), 2);
    expect(fams.find((f) => f.name === 'container_last_seen')!.samples).toHaveLength(2);
    expect(fams.find((f) => f.name === 'rxporter_container_dropped')!.samples[0].value).toBe(4);
  });

  it('reports no data on a host without a cgroup filesystem', async () => {
    const root = mkdtempSync(join(tmpdir(), 'rxp-nocg-'));
    roots.push(join(root, 'x'));
    const err = await collect(root).catch((e: unknown) => e);
    expect(err).toMatchObject({ code: 'RXP_NO_DATA' });
  });
});
