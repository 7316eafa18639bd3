/**
 * The container collector on REAL cgroups: as root, the test makes a docker-style
 * `/docker/<id>` and a kubepods `/kubepods/burstable/pod<uid>/<id>` cgroup in each v1
 * controller (and in the unified hierarchy of a hybrid host, which has the pressure files),
 * moves a child process into each, sets a memory limit and a CPU quota, lets the child burn
 * some CPU and write 1 MiB with O_DIRECT, and checks the collector's values against the
 * kernel's files. Everything it made is removed afterwards, also when a test fails.
 */
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { randomBytes, randomUUID } from 'node:crypto';
import { closeSync, cpSync, mkdirSync, mkdtempSync, openSync, readdirSync, readFileSync, realpathSync, rmdirSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { asyncScheduler, firstValueFrom, toArray } from 'rxjs';
import { parseBlkioServiceBytes, parseKeyedValues } from '../../src/cgroup/parse';
import { detectLayout, type CgroupLayout } from '../../src/cgroup/tree';
import { createContainerCollector, type PodInfoLookup } from '../../src/collectors/container';
import type { MetricFamily } from '../../src/model/family';
import { parseNetDev } from '../../src/procfs/netDev';
import { recordingLog } from '../support/neFixtures';

const SYS = '/sys';
const DOCKER_ID = randomBytes(32).toString('hex');
const POD_CONTAINER_ID = randomBytes(32).toString('hex');
const POD_UID = randomUUID();
const DOCKER = `/docker/${DOCKER_ID}`;
const POD = `/kubepods/burstable/pod${POD_UID}`;
const POD_CONTAINER = `${POD}/${POD_CONTAINER_ID}`;
const MEMORY_LIMIT = 64 * 1024 * 1024;
const QUOTA_US = 50_000;

/** The distinct hierarchy directories to make cgroups in (joint mounts once), the unified one of a hybrid host last. */
function hierarchies(layout: CgroupLayout): string[] {
  if (layout.version !== 1) throw new Error('this test makes cgroup v1 (or hybrid) cgroups; this host is cgroup v2');
  const dirs = [...new Set(Object.values(layout.controllers))];
  return layout.unified ? [...dirs, layout.unified] : dirs;
}

const kernel = (layout: CgroupLayout, ctl: 'cpu' | 'cpuacct' | 'memory' | 'pids' | 'blkio', path: string, file: string): string =>
  readFileSync(`${(layout as Extract<CgroupLayout, { version: 1 }>).controllers[ctl]}${path}/${file}`, 'utf8');

/** Starts `sh` that waits for a line, burns some CPU, writes 1 MiB with O_DIRECT to `file`, says "done" and sleeps. */
function startChild(file: string): ChildProcess {
  const script = `read go; i=0; while [ $i -lt 40000 ]; do i=$((i+1)); done; dd if=/dev/zero of=${file} bs=64k count=16 oflag=direct 2>/dev/null; echo done; exec sleep 600`;
  return spawn('sh', ['-c', script], { stdio: ['pipe', 'pipe', 'inherit'] });
}

const saidDone = (p: ChildProcess): Promise<void> =>
  new Promise((ok, ko) => {
    let out = '';
    p.stdout!.on('data', (b: Buffer) => {
      out += b.toString();
      if (out.includes('done')) ok();
    });
    p.once('exit', (code) => ko(new Error(`child exited ${code} before it was done`)));
  });

const exited = (p: ChildProcess): Promise<void> =>
  new Promise((ok) => (p.exitCode !== null || p.signalCode !== null ? ok() : p.once('exit', () => ok())));

const collect = (podInfo?: PodInfoLookup): Promise<MetricFamily[]> =>
  firstValueFrom(
    createContainerCollector({ maxContainers: 1000, podInfo })
      .collect({ procPath: '/proc', sysPath: SYS, rootPath: '/', udevDataPath: '/run/udev/data', log: recordingLog(), scheduler: asyncScheduler })
      .pipe(toArray()),
  );

const value = (fams: MetricFamily[], name: string, id: string, labels: Record<string, string> = {}): number | undefined =>
  fams.find((f) => f.name === name)?.samples.find((s) => s.labels.id === id && Object.entries(labels).every(([k, v]) => s.labels[k] === v))?.value;

describe('container collector on real cgroups (v1 / hybrid)', () => {
  let layout: CgroupLayout;
  let dirs: string[] = [];
  const children: ChildProcess[] = [];
  let scratch: string;

  beforeAll(async () => {
    layout = detectLayout(SYS);
    dirs = hierarchies(layout);
    scratch = mkdtempSync(join(tmpdir(), 'rxp-cg-'));
    for (const d of dirs) for (const p of [DOCKER, POD_CONTAINER]) mkdirSync(`${d}${p}`, { recursive: true });
    const v1 = layout as Extract<CgroupLayout, { version: 1 }>;
    writeFileSync(`${v1.controllers.memory}${DOCKER}/memory.limit_in_bytes`, String(MEMORY_LIMIT));
    writeFileSync(`${v1.controllers.cpu}${DOCKER}/cpu.cfs_quota_us`, String(QUOTA_US));
    writeFileSync(`${v1.controllers.cpu}${POD_CONTAINER}/cpu.shares`, '256');
    // this kernel counts blkio.throttle.io_service_bytes only for devices with a throttling rule: set one far above use
    const dev = statSync(scratch).dev;
    const device = `${(dev & 0xfff00) >> 8}:${(dev & 0xff) | ((dev >> 12) & 0xfff00)}`;
    writeFileSync(`${v1.controllers.blkio}${DOCKER}/blkio.throttle.write_bps_device`, `${device} ${1024 ** 3}`);
    for (const [path, file] of [
      [DOCKER, 'docker.out'],
      [POD_CONTAINER, 'pod.out'],
    ]) {
      const child = startChild(join(scratch, file));
      children.push(child);
      for (const d of dirs) writeFileSync(`${d}${path}/cgroup.procs`, String(child.pid));
      const done = saidDone(child);
      child.stdin!.write('go\n');
      await done;
    }
  });

  afterAll(async () => {
    for (const c of children) c.kill('SIGKILL');
    await Promise.all(children.map(exited));
    for (const d of dirs) {
      for (const p of [POD_CONTAINER, POD, '/kubepods/burstable', '/kubepods', DOCKER, '/docker']) {
        try {
          rmdirSync(`${d}${p}`);
        } catch (e) {
          if ((e as NodeJS.ErrnoException).code !== 'ENOENT' && (e as NodeJS.ErrnoException).code !== 'ENOTEMPTY') throw e;
        }
      }
    }
    if (scratch) rmSync(scratch, { recursive: true, force: true });
  });

  /**
   * Collects once the kernel's files read before and after the collection agree (an idle
   * child's counters do not move, but the kernel may settle a charge in between), and returns
   * the families and those files' values.
   */
  async function stableCollect(read: () => Record<string, number>): Promise<{ fams: MetricFamily[]; k: Record<string, number> }> {
    for (let i = 0; i < 5; i++) {
      const before = read();
      const fams = await collect();
      const after = read();
      if (JSON.stringify(before) === JSON.stringify(after)) return { fams, k: after };
    }
    throw new Error('the kernel files kept changing');
  }

  it('finds the docker container, the pod and its container, with cAdvisor ids', async () => {
    const ids = (await collect()).find((f) => f.name === 'container_last_seen')!.samples.map((s) => s.labels.id);
    expect(ids).toEqual(expect.arrayContaining([DOCKER, POD, POD_CONTAINER]));
    expect(ids).not.toContain('/kubepods/burstable');
  });

  it("reports the CPU, memory, limits and pids of the kernel's files", async () => {
    const read = () => {
      const acct = parseKeyedValues('cpuacct.stat', kernel(layout, 'cpuacct', DOCKER, 'cpuacct.stat'));
      const stat = parseKeyedValues('memory.stat', kernel(layout, 'memory', DOCKER, 'memory.stat'));
      const cpu = parseKeyedValues('cpu.stat', kernel(layout, 'cpu', DOCKER, 'cpu.stat'));
      return {
        usage: Number(kernel(layout, 'cpuacct', DOCKER, 'cpuacct.usage')),
        user: acct.user,
        system: acct.system,
        periods: cpu.nr_periods,
        mem: Number(kernel(layout, 'memory', DOCKER, 'memory.usage_in_bytes')),
        inactiveFile: stat.total_inactive_file,
        rss: stat.total_rss,
        cache: stat.total_cache,
        threads: Number(kernel(layout, 'pids', DOCKER, 'pids.current')),
      };
    };
    const { fams, k } = await stableCollect(read);
    expect(k.usage).toBeGreaterThan(0);
    expect(value(fams, 'container_cpu_usage_seconds_total', DOCKER, { cpu: 'total' })).toBe(k.usage / 1e9);
    expect(value(fams, 'container_cpu_user_seconds_total', DOCKER)).toBe(k.user / 100);
    expect(value(fams, 'container_cpu_system_seconds_total', DOCKER)).toBe(k.system / 100);
    expect(value(fams, 'container_cpu_cfs_periods_total', DOCKER)).toBe(k.periods);
    expect(value(fams, 'container_memory_usage_bytes', DOCKER)).toBe(k.mem);
    expect(value(fams, 'container_memory_working_set_bytes', DOCKER)).toBe(Math.max(0, k.mem - k.inactiveFile));
    expect(value(fams, 'container_memory_rss', DOCKER)).toBe(k.rss);
    expect(value(fams, 'container_memory_cache', DOCKER)).toBe(k.cache);
    expect(value(fams, 'container_spec_memory_limit_bytes', DOCKER)).toBe(MEMORY_LIMIT);
    expect(value(fams, 'container_spec_cpu_quota', DOCKER)).toBe(QUOTA_US);
    expect(value(fams, 'container_spec_cpu_period', DOCKER)).toBe(Number(kernel(layout, 'cpu', DOCKER, 'cpu.cfs_period_us')));
    expect(value(fams, 'container_processes', DOCKER)).toBe(1);
    expect(value(fams, 'container_threads', DOCKER)).toBe(k.threads);
    expect(value(fams, 'container_threads_max', DOCKER)).toBe(0); // pids.max "max"
    // the pod container: no quota (no CFS families), shares as set, an unlimited memory limit reported as 0
    expect(value(fams, 'container_spec_cpu_shares', POD_CONTAINER)).toBe(256);
    expect(value(fams, 'container_spec_cpu_quota', POD_CONTAINER)).toBeUndefined();
    expect(value(fams, 'container_cpu_cfs_periods_total', POD_CONTAINER)).toBeUndefined();
    expect(value(fams, 'container_spec_memory_limit_bytes', POD_CONTAINER)).toBe(0);
  });

  it("reports the bytes the child wrote with O_DIRECT as blkio counted them", async () => {
    const fams = await collect();
    const io = parseBlkioServiceBytes('blkio', kernel(layout, 'blkio', DOCKER, 'blkio.throttle.io_service_bytes_recursive'));
    const written = io.reduce((n, d) => n + d.writeBytes, 0);
    expect(written).toBeGreaterThanOrEqual(1024 * 1024);
    const samples = fams.find((f) => f.name === 'container_fs_writes_bytes_total')!.samples.filter((s) => s.labels.id === DOCKER);
    expect(samples.reduce((n, s) => n + s.value, 0)).toBe(written);
    expect(samples.every((s) => s.labels.device.startsWith('/dev/'))).toBe(true);
  });

  it("reads the docker container's network from its process's namespace, and none for a pod container that is not the sandbox", async () => {
    const fams = await collect();
    const names = parseNetDev(readFileSync(`/proc/${children[0].pid}/net/dev`, 'utf8'))
      .map((n) => n.name)
      .filter((n) => !/^(lo|veth|docker|nerdctl)/i.test(n));
    const rx = fams.find((f) => f.name === 'container_network_receive_bytes_total')!.samples;
    expect(rx.filter((s) => s.labels.id === DOCKER).map((s) => s.labels.interface).sort()).toEqual(names.sort());
    expect(rx.filter((s) => s.labels.id === POD_CONTAINER)).toEqual([]);
  });

  it('reads pressure from the unified hierarchy of a hybrid host', async () => {
    const v1 = layout as Extract<CgroupLayout, { version: 1 }>;
    expect(v1.unified).toBeDefined();
    const fams = await collect();
    const waiting = value(fams, 'container_pressure_cpu_waiting_seconds_total', DOCKER)!;
    const after = Number(/^some .* total=(\d+)$/m.exec(readFileSync(`${v1.unified}${DOCKER}/cpu.pressure`, 'utf8'))![1]) / 1e6;
    expect(waiting).toBeGreaterThanOrEqual(0);
    expect(waiting).toBeLessThanOrEqual(after);
  });

  it('labels the pod cgroups through the pod information hook', async () => {
    const fams = await firstValueFrom(
      createContainerCollector({ maxContainers: 1000, podInfo: (uid, id) => (uid === POD_UID ? { pod: 'web-0', namespace: 'shop', container: id === '' ? '' : 'nginx' } : undefined) })
        .collect({ procPath: '/proc', sysPath: SYS, rootPath: '/', udevDataPath: '', log: recordingLog(), scheduler: asyncScheduler })
        .pipe(toArray()),
    );
    const seen = fams.find((f) => f.name === 'container_last_seen')!.samples;
    expect(seen.find((s) => s.labels.id === POD_CONTAINER)!.labels).toMatchObject({ pod: 'web-0', namespace: 'shop', container: 'nginx', name: '', image: '' });
    expect(seen.find((s) => s.labels.id === POD)!.labels).toMatchObject({ pod: 'web-0', namespace: 'shop', container: '' });
    expect(seen.find((s) => s.labels.id === DOCKER)!.labels).toMatchObject({ pod: '', namespace: '', container: '' });
  });

  it('drops a container that is gone at the next collection, without an error', async () => {
    const extraId = randomBytes(32).toString('hex');
    for (const d of dirs) mkdirSync(`${d}/docker/${extraId}`);
    const during = await collect();
    expect(value(during, 'container_last_seen', `/docker/${extraId}`)).toBeDefined();
    for (const d of dirs) rmdirSync(`${d}/docker/${extraId}`);
    const after = await collect();
    expect(value(after, 'container_last_seen', `/docker/${extraId}`)).toBeUndefined();
    expect(value(after, 'container_last_seen', DOCKER)).toBeDefined();
  });
});

/**
 * A real container: Debian's runc runs `sleep` from a rootfs of the host's own binary and
 * libraries, in its own namespaces, with runc's cgroupfs driver making `/docker/<id>` in every
 * controller and writing the limits itself.
 */
describe('container collector on a container that runc runs', () => {
  const id = randomBytes(32).toString('hex');
  let bundle: string;
  /** Runs runc; its stderr goes to a file, as a detached container keeps any pipe open until it exits. */
  const runc = (...args: string[]): { status: number | null; stderr: string } => {
    const errFile = join(bundle, 'runc.err');
    const fd = openSync(errFile, 'w');
    try {
      const r = spawnSync('runc', ['--root', join(bundle, 'state'), ...args], { stdio: ['ignore', 'ignore', fd] });
      return { status: r.status, stderr: readFileSync(errFile, 'utf8') };
    } finally {
      closeSync(fd);
    }
  };

  beforeAll(() => {
    bundle = mkdtempSync(join(tmpdir(), 'rxp-runc-'));
    const rootfs = join(bundle, 'rootfs');
    const ldd = spawnSync('ldd', ['/bin/sleep'], { encoding: 'utf8' }).stdout;
    for (const file of ['/bin/sleep', ...(ldd.match(/\/\S+/g) ?? [])]) {
      mkdirSync(join(rootfs, dirname(file)), { recursive: true });
      cpSync(realpathSync(file), join(rootfs, file));
    }
    const spec = spawnSync('runc', ['spec', '--bundle', bundle], { encoding: 'utf8' });
    if (spec.status !== 0) throw new Error(`runc spec: ${spec.stderr}`);
    const config = JSON.parse(readFileSync(join(bundle, 'config.json'), 'utf8')) as { process: Record<string, unknown>; linux: Record<string, unknown> };
    config.process.args = ['/bin/sleep', '600'];
    config.process.terminal = false;
    config.linux.cgroupsPath = `/docker/${id}`;
    config.linux.resources = { memory: { limit: 96 * 1024 * 1024 }, cpu: { quota: 20_000, period: 100_000 } };
    writeFileSync(join(bundle, 'config.json'), JSON.stringify(config));
    const run = runc('run', '--detach', '--bundle', bundle, id);
    if (run.status !== 0) throw new Error(`runc run: ${run.stderr}`);
  });

  afterAll(() => {
    if (!bundle) return;
    runc('delete', '--force', id);
    for (const d of readdirSync(`${SYS}/fs/cgroup`)) {
      try {
        rmdirSync(`${SYS}/fs/cgroup/${d}/docker`); // runc makes it in every hierarchy
      } catch {
        // not there, or still in use by someone else
      }
    }
    rmSync(bundle, { recursive: true, force: true });
  });

  it("reports its limits, its one process and no interfaces (its own network namespace has only lo)", async () => {
    const fams = await collect();
    const path = `/docker/${id}`;
    expect(value(fams, 'container_spec_memory_limit_bytes', path)).toBe(96 * 1024 * 1024);
    expect(value(fams, 'container_spec_cpu_quota', path)).toBe(20_000);
    expect(value(fams, 'container_spec_cpu_period', path)).toBe(100_000);
    expect(value(fams, 'container_processes', path)).toBe(1);
    expect(value(fams, 'container_memory_usage_bytes', path)).toBeGreaterThan(0);
    expect(fams.find((f) => f.name === 'container_network_receive_bytes_total')?.samples.filter((s) => s.labels.id === path) ?? []).toEqual([]);
  });
});
