/**
 * Process collector benchmark (issue 11), figures not assertions:
 *  1. the collector alone on a synthetic /proc of N processes (default 10 000, 50 groups, every 10th with
 *     3 threads, process-exporter's default flags): wall and CPU time per collection, heap it keeps and
 *     heap a collection allocates;
 *  2. on this host, rxporter (`--collector.process` only) beside Debian's prometheus-process-exporter on the
 *     same config file, scraped alternately: p50 latency and CPU per scrape, with ratios.
 *
 *   node dist/bench/process.js [--procs 10000] [--collections 10] [--scrapes 100] [--gather-smaps false] [--threads false]
 *
 * --gather-smaps and --threads set process-exporter's -gather-smaps / -threads (both default true) on both sides.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import { asyncScheduler, lastValueFrom, toArray } from 'rxjs';
import { createProcessCollector } from '../src/collectors/process';
import type { CollectorContext } from '../src/collectors/types';
import { parseProcessNamesConfig } from '../src/process/config';
import { freePort } from '../test/support/servers';
import { syntheticProcesses, writeProcTree } from './procTree';

const CONFIG = 'process_names:\n  - name: "{{.Comm}}"\n    cmdline:\n    - \'.+\'\n';
const root = resolve(__dirname, '..', '..');
const opt = (name: string, def: number): number => {
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 ? Number(process.argv[i + 1]) : def;
};
const flag = (name: string): boolean => {
  const i = process.argv.indexOf(`--${name}`);
  return i < 0 || process.argv[i + 1] !== 'false';
};
const median = (xs: readonly number[]): number => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];

setFlagsFromString('--expose-gc');
const gc = runInNewContext('gc') as () => void;
const heapMB = (): number => {
  gc();
  return process.memoryUsage().heapUsed / 1e6;
};

/** Part 1: the collector in this process on a synthetic tree. */
async function synthetic(procs: number, collections: number): Promise<void> {
  const dir = mkdtempSync(join(existsSync('/dev/shm') ? '/dev/shm' : tmpdir(), 'rxp-bench-proc-'));
  try {
    const t0 = performance.now();
    writeProcTree(dir, syntheticProcesses(procs, 50, 10));
    console.log(`\n## process collector on a synthetic /proc: ${procs} processes, 50 groups, every 10th with 3 threads, gather-smaps=${flag('gather-smaps')} threads=${flag('threads')} (written in ${((performance.now() - t0) / 1000).toFixed(1)} s to ${dir.startsWith('/dev/shm') ? 'tmpfs' : 'disk'})`);
    const base = heapMB();
    const c = createProcessCollector({ config: parseProcessNamesConfig(CONFIG, 'bench'), children: true, threads: flag('threads'), gatherSmaps: flag('gather-smaps'), recheck: false, maxGroups: 1000, pageSize: 4096 });
    const ctx: CollectorContext = { procPath: dir, sysPath: dir, rootPath: dir, udevDataPath: dir, log: { error() {}, warn() {}, info() {}, debug() {} }, scheduler: asyncScheduler };
    const run = async () => {
      const h0 = process.memoryUsage().heapUsed;
      const c0 = process.cpuUsage();
      const w0 = performance.now();
      const fams = await lastValueFrom(c.collect(ctx).pipe(toArray()));
      const cpu = process.cpuUsage(c0);
      return { wall: performance.now() - w0, cpu: (cpu.user + cpu.system) / 1000, alloc: (process.memoryUsage().heapUsed - h0) / 1e6, samples: fams.reduce((a, f) => a + f.samples.length, 0) };
    };
    const first = await run();
    const runs = [];
    for (let i = 0; i < collections; i++) {
      gc();
      runs.push(await run());
    }
    const kept = heapMB() - base;
    console.log(`first collection (reads cmdline and status of every process): ${first.wall.toFixed(0)} ms wall, ${first.cpu.toFixed(0)} ms CPU`);
    console.log(`next ${collections}: median ${median(runs.map((r) => r.wall)).toFixed(0)} ms wall, ${median(runs.map((r) => r.cpu)).toFixed(0)} ms CPU per collection; ${runs[0].samples} samples`);
    console.log(`heap: ${kept.toFixed(1)} MB kept between collections (tracker state), ${median(runs.map((r) => r.alloc)).toFixed(1)} MB allocated by one collection (median, before GC)`);
    console.log('targets: <= 100 ms per collection, <= 20 MB extra heap');
    // The same tree through process-exporter's -procfs, for scale on this machine.
    const port = await freePort();
    const cfg = join(dir, 'process.yml');
    writeFileSync(cfg, CONFIG);
    const pe = spawn('prometheus-process-exporter', ['-config.path', cfg, '-procfs', dir, `-web.listen-address=127.0.0.1:${port}`, `-gather-smaps=${flag('gather-smaps')}`, `-threads=${flag('threads')}`], { stdio: 'ignore' });
    try {
      await up(port, pe, 'process-exporter');
      await timedScrape(port);
      const cpu0 = cpuOf(pe.pid!);
      const walls: number[] = [];
      for (let i = 0; i < collections; i++) walls.push(await timedScrape(port));
      console.log(`process-exporter -procfs on the same tree: median ${median(walls).toFixed(0)} ms per scrape, ${(((cpuOf(pe.pid!) - cpu0) / collections) * 1000).toFixed(0)} ms CPU per scrape`);
    } finally {
      pe.kill('SIGTERM');
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/** Returns the CPU seconds (user + system) process `pid` used so far, from /proc/<pid>/stat. */
const cpuOf = (pid: number): number => {
  const f = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1].split(' ');
  return (Number(f[11]) + Number(f[12])) / 100;
};

/** Returns the milliseconds one GET /metrics (gzip) took. */
async function timedScrape(port: number): Promise<number> {
  const t = performance.now();
  const r = await fetch(`http://127.0.0.1:${port}/metrics`, { headers: { 'Accept-Encoding': 'gzip' } });
  await r.arrayBuffer();
  if (!r.ok) throw new Error(`port ${port}: HTTP ${r.status}`);
  return performance.now() - t;
}

async function up(port: number, p: ChildProcess, name: string): Promise<void> {
  for (let i = 0; i < 400; i++) {
    if (p.exitCode !== null) throw new Error(`${name} exited ${p.exitCode}`);
    if (await timedScrape(port).then(() => true, () => false)) return;
    await new Promise((r) => setTimeout(r, 50));
  }
  throw new Error(`${name} did not come up`);
}

/** Part 2: rxporter and process-exporter on this host's /proc, same config. */
async function sideBySide(scrapes: number): Promise<void> {
  const dir = mkdtempSync(join(tmpdir(), 'rxp-bench-pe-'));
  const cfg = join(dir, 'process.yml');
  writeFileSync(cfg, CONFIG);
  const [rp, pp] = [await freePort(), await freePort()];
  const rx = spawn(process.execPath, [join(root, 'dist/src/cli/main.js'), '--global.app-name=bench', `--web.listen-address=127.0.0.1:${rp}`, '--collect.interval=1h', '--log.level=error', '--collector.disable-defaults', '--collector.process', `--collector.process.config=${cfg}`, `--collector.process.gather-smaps=${flag('gather-smaps')}`, `--collector.process.threads=${flag('threads')}`], { stdio: 'ignore' });
  const pe = spawn('prometheus-process-exporter', ['-config.path', cfg, `-web.listen-address=127.0.0.1:${pp}`, `-gather-smaps=${flag('gather-smaps')}`, `-threads=${flag('threads')}`], { stdio: 'ignore' });
  try {
    await up(rp, rx, 'rxporter');
    await up(pp, pe, 'process-exporter');
    for (let i = 0; i < 10; i++) await Promise.all([timedScrape(rp), timedScrape(pp)]);
    const lat: Record<'rx' | 'pe', number[]> = { rx: [], pe: [] };
    const cpu0 = { rx: cpuOf(rx.pid!), pe: cpuOf(pe.pid!) };
    for (let i = 0; i < scrapes; i++) {
      const order: ['rx' | 'pe', number][] = i % 2 === 0 ? [['rx', rp], ['pe', pp]] : [['pe', pp], ['rx', rp]];
      for (const [k, port] of order) lat[k].push(await timedScrape(port));
    }
    const cpu = { rx: ((cpuOf(rx.pid!) - cpu0.rx) / scrapes) * 1000, pe: ((cpuOf(pe.pid!) - cpu0.pe) / scrapes) * 1000 };
    const procs = readFileSync('/proc/loadavg', 'utf8').split(' ')[3];
    console.log(`\n## on this host (${procs} runnable/total tasks): rxporter --collector.process vs prometheus-process-exporter, same config, gather-smaps=${flag('gather-smaps')} threads=${flag('threads')}, ${scrapes} scrapes each, alternating, gzip`);
    console.log('                    p50 ms   CPU ms/scrape');
    console.log(`rxporter          ${median(lat.rx).toFixed(2).padStart(7)}  ${cpu.rx.toFixed(2).padStart(13)}`);
    console.log(`process-exporter  ${median(lat.pe).toFixed(2).padStart(7)}  ${cpu.pe.toFixed(2).padStart(13)}`);
    console.log(`ratio rx/pe       ${(median(lat.rx) / median(lat.pe)).toFixed(2).padStart(7)}  ${(cpu.rx / cpu.pe).toFixed(2).padStart(13)}   (targets <= 0.5)`);
  } finally {
    rx.kill('SIGTERM');
    pe.kill('SIGTERM');
    rmSync(dir, { recursive: true, force: true });
  }
}

async function main(): Promise<void> {
  if (!existsSync(join(root, 'dist/src/cli/main.js'))) throw new Error('run `npm run build` first');
  await synthetic(opt('procs', 10_000), opt('collections', 10));
  await sideBySide(opt('scrapes', 100));
}

main().catch((e: unknown) => {
  console.error(e instanceof Error ? e.message : e);
  process.exit(1);
});
