/**
 * Container collector benchmark: one collection over a synthetic cgroup v2 tree of N
 * containers (default 200), built from fixtures/cgroup/v2's files in a temp directory: with
 * `--layout kube` (default) N/2 Kubernetes pods of a sandbox and an app container each (systemd
 * driver, containerd task bundles for name/image/pod labels, a net/dev per sandbox), so N
 * containers and N/2 pod cgroups; with `--layout docker` N docker containers under
 * system.slice, each with its config.v2.json and net/dev. Prints ms per collection (p50, p99,
 * mean), CPU ms per collection and heap after the runs. Figures, not assertions.
 *
 *   node dist/bench/container.js [--containers N] [--runs N] [--layout kube|docker]
 */
import { cpSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { asyncScheduler, firstValueFrom, toArray } from 'rxjs';
import { createContainerCollector } from '../src/collectors/container';
import type { CollectorContext } from '../src/collectors/types';

const arg = (name: string, def: number): number => {
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 ? Number(process.argv[i + 1]) : def;
};

const FIXTURE = resolve(__dirname, '..', '..', 'fixtures', 'cgroup', 'v2');
const POD_TEMPLATE = 'sys/fs/cgroup/kubepods.slice/kubepods-burstable.slice';

/** Returns the one directory in `dir` whose name starts with `prefix`. */
const only = (dir: string, prefix: string): string => readdirSync(dir).find((n) => n.startsWith(prefix))!;
const hex = (i: number, salt: number): string => (salt.toString(16).padStart(8, '0') + i.toString(16).padStart(8, '0')).repeat(4);
const uid = (i: number): string => `00000000-0000-4000-8000-${i.toString(16).padStart(12, '0')}`;

/** Builds the synthetic tree under a new temp directory and returns its root (with proc, sys, run). */
function buildTree(containers: number, layout: string): string {
  const root = mkdtempSync(join(tmpdir(), 'rxp-bench-cg-'));
  const podDir = join(FIXTURE, POD_TEMPLATE, only(join(FIXTURE, POD_TEMPLATE), 'kubepods-burstable-pod'));
  const sandboxDir = join(podDir, only(podDir, 'cri-containerd-5b0e'));
  const appDir = join(podDir, only(podDir, 'cri-containerd-9d8c'));
  const bundles = join(FIXTURE, 'run/containerd/io.containerd.runtime.v2.task/k8s.io');
  const sandboxCfg = readFileSync(join(bundles, readdirSync(bundles).find((n) => n.startsWith('5b0e'))!, 'config.json'), 'utf8');
  const appCfg = readFileSync(join(bundles, readdirSync(bundles).find((n) => n.startsWith('9d8c'))!, 'config.json'), 'utf8');
  const netDev = readFileSync(join(FIXTURE, 'proc/5001/net/dev'), 'utf8');
  const cg = join(root, 'sys/fs/cgroup');
  cpSync(join(FIXTURE, 'sys/fs/cgroup/cgroup.controllers'), join(cg, 'cgroup.controllers'));
  cpSync(join(FIXTURE, 'proc/uptime'), join(root, 'proc/uptime'));
  cpSync(join(FIXTURE, 'proc/swaps'), join(root, 'proc/swaps'));
  cpSync(join(FIXTURE, 'sys/dev'), join(root, 'sys/dev'), { recursive: true, verbatimSymlinks: true });
  if (layout === 'docker') {
    const dockerDir = join(FIXTURE, 'sys/fs/cgroup/system.slice', only(join(FIXTURE, 'sys/fs/cgroup/system.slice'), 'docker-'));
    const fixtureId = only(join(FIXTURE, 'var/lib/docker/containers'), '');
    for (let i = 0; i < containers; i++) {
      const id = hex(i, 3);
      const pid = 200000 + i;
      const dir = join(cg, 'system.slice', `docker-${id}.scope`);
      cpSync(dockerDir, dir, { recursive: true });
      writeFileSync(join(dir, 'cgroup.procs'), `${pid}\n`);
      mkdirSync(join(root, 'proc', String(pid), 'net'), { recursive: true });
      writeFileSync(join(root, 'proc', String(pid), 'net/dev'), netDev);
      cpSync(join(FIXTURE, 'var/lib/docker/containers', fixtureId), join(root, 'var/lib/docker/containers', id), { recursive: true });
    }
    return root;
  }
  for (let p = 0; p < containers / 2; p++) {
    const pod = join(cg, 'kubepods.slice/kubepods-burstable.slice', `kubepods-burstable-pod${uid(p).replace(/-/g, '_')}.slice`);
    cpSync(podDir, pod, { recursive: true, filter: (src) => !src.includes('cri-containerd-') });
    for (const [kind, from, cfg, salt] of [
      ['sandbox', sandboxDir, sandboxCfg, 1],
      ['app', appDir, appCfg, 2],
    ] as const) {
      const id = hex(p, salt);
      const pid = 100000 + p * 2 + salt;
      const dir = join(pod, `cri-containerd-${id}.scope`);
      cpSync(from, dir, { recursive: true });
      writeFileSync(join(dir, 'cgroup.procs'), `${pid}\n`);
      mkdirSync(join(root, 'proc', String(pid), 'net'), { recursive: true });
      writeFileSync(join(root, 'proc', String(pid), 'comm'), kind === 'sandbox' ? 'pause\n' : 'app\n');
      writeFileSync(join(root, 'proc', String(pid), 'net/dev'), netDev);
      const bundle = join(root, 'run/containerd/io.containerd.runtime.v2.task/k8s.io', id);
      mkdirSync(bundle, { recursive: true });
      writeFileSync(join(bundle, 'config.json'), cfg.replace(/shop-api-7d9f8b6c5d-x2x4q/g, `pod-${p}`));
    }
  }
  return root;
}

const pct = (xs: number[], p: number): number => [...xs].sort((a, b) => a - b)[Math.min(xs.length - 1, Math.floor((p / 100) * xs.length))];

async function main(): Promise<void> {
  const containers = arg('containers', 200);
  const runs = arg('runs', 200);
  const li = process.argv.indexOf('--layout');
  const layout = li >= 0 ? process.argv[li + 1] : 'kube';
  const root = buildTree(containers, layout);
  try {
    const log = { error: () => undefined, warn: () => undefined, info: () => undefined, debug: () => undefined };
    const ctx: CollectorContext = { procPath: join(root, 'proc'), sysPath: join(root, 'sys'), rootPath: root, udevDataPath: '', log, scheduler: asyncScheduler };
    const c = createContainerCollector({ maxContainers: 10_000 });
    let samples = 0;
    for (let i = 0; i < 20; i++) samples = (await firstValueFrom(c.collect(ctx).pipe(toArray()))).reduce((n, f) => n + f.samples.length, 0);
    const ms: number[] = [];
    const cpu0 = process.cpuUsage();
    for (let i = 0; i < runs; i++) {
      const t0 = performance.now();
      await firstValueFrom(c.collect(ctx).pipe(toArray()));
      ms.push(performance.now() - t0);
    }
    const cpu = process.cpuUsage(cpu0);
    const mean = ms.reduce((a, b) => a + b, 0) / ms.length;
    const pods = layout === 'docker' ? 'docker, no pods' : `+${containers / 2} pod cgroups`;
    console.log(`\n## container collector: ${containers} containers (${pods}), cgroup v2, ${runs} collections, ${samples} samples each`);
    console.log('p50 ms   p99 ms   mean ms   CPU ms/collection   heap MB');
    console.log(
      `${pct(ms, 50).toFixed(2).padStart(6)}  ${pct(ms, 99).toFixed(2).padStart(7)}  ${mean.toFixed(2).padStart(8)}  ${((cpu.user + cpu.system) / 1000 / runs).toFixed(2).padStart(18)}  ${(process.memoryUsage().heapUsed / 2 ** 20).toFixed(1).padStart(8)}`,
    );
  } finally {
    rmSync(root, { recursive: true, force: true });
  }
}

main().catch((e: unknown) => {
  console.error(e instanceof Error ? e.message : e);
  process.exit(1);
});
