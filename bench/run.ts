/**
 * `npm run bench`: rxporter and Debian's prometheus-node-exporter side by side on this machine, same collectors,
 * scraped alternately (gzip, keep-alive, as Prometheus does). Prints scrape latency p50/p99, CPU seconds per scrape
 * (from /proc/<pid>/stat) and RSS for both, with ratios rxporter / node_exporter. Figures, not assertions.
 *
 *   node dist/bench/run.js [--scrapes N] [--set foundation|default|encode|process|container|ksm|all]
 */
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { Agent, request } from 'node:http';
import { createServer } from 'node:net';
import { join, resolve } from 'node:path';
import { collectorDefinitions } from '../src/collectors';

const CLK_TCK = 100; // Linux USER_HZ
const root = resolve(__dirname, '..', '..');
const arg = (name: string, def: string): string => {
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 && process.argv[i + 1] ? process.argv[i + 1] : def;
};

const freePort = (): Promise<number> =>
  new Promise((ok, ko) => {
    const s = createServer();
    s.once('error', ko);
    s.listen(0, '127.0.0.1', () => {
      const a = s.address();
      s.close(() => ok(typeof a === 'object' && a ? a.port : 0));
    });
  });

const cpuSeconds = (pid: number): number => {
  const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
  const f = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  return (Number(f[11]) + Number(f[12])) / CLK_TCK; // utime, stime (fields 14, 15)
};
const rssMB = (pid: number): number => {
  const m = /^VmRSS:\s+(\d+) kB$/m.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
  return m ? Number(m[1]) / 1024 : NaN;
};

const keepAlive = new Agent({ keepAlive: true, maxSockets: 1 });
const scrape = (port: number): Promise<{ ms: number; bytes: number }> =>
  new Promise((ok, ko) => {
    const t0 = performance.now();
    const req = request({ host: '127.0.0.1', port, path: '/metrics', agent: keepAlive, headers: { 'Accept-Encoding': 'gzip' } }, (res) => {
      let bytes = 0;
      res.on('data', (c: Buffer) => (bytes += c.length));
      res.on('end', () => (res.statusCode === 200 ? ok({ ms: performance.now() - t0, bytes }) : ko(new Error(`HTTP ${res.statusCode}`))));
    });
    req.on('error', ko);
    req.end();
  });

const waitUp = async (port: number, p: ChildProcess, name: string) => {
  for (let i = 0; i < 200; i++) {
    if (p.exitCode !== null) throw new Error(`${name} exited ${p.exitCode}`);
    try {
      await scrape(port);
      return;
    } catch {
      await new Promise((r) => setTimeout(r, 50));
    }
  }
  throw new Error(`${name} did not come up`);
};

const pct = (xs: number[], p: number): number => {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.floor((p / 100) * s.length))];
};

/** Collectors node_exporter 1.5.0 (Debian) knows, from its --help. */
const neCollectors = (): Set<string> => {
  const help = spawnSync('prometheus-node-exporter', ['--help'], { encoding: 'utf8' });
  const out = `${help.stdout}${help.stderr}`;
  return new Set([...out.matchAll(/--(?:\[no-\])?collector\.([a-z_0-9]+)\s/g)].map((m) => m[1]));
};

/** Returns the node flags of the CLI's shebang line, so the bench runs it as `npx rxporter` does. */
const shebangFlags = (): string[] => {
  const first = readFileSync(join(root, 'dist/src/cli/main.js'), 'utf8').split('\n', 1)[0];
  return first.startsWith('#!') ? first.split(/\s+/).filter((w) => w.startsWith('--')) : [];
};

interface Side {
  name: string;
  p50: number;
  p99: number;
  cpuPerScrape: number;
  rss: number;
  bytes: number;
}

async function runSet(label: string, collectors: string[], scrapes: number): Promise<[Side, Side]> {
  const [rp, np] = [await freePort(), await freePort()];
  const flags = ['--collector.disable-defaults', ...collectors.map((c) => `--collector.${c}`)];
  const rx = spawn(process.execPath, [...shebangFlags(), join(root, 'dist/src/cli/main.js'), '--global.app-name=bench', `--web.listen-address=127.0.0.1:${rp}`, '--collect.interval=1h', '--log.level=error', ...flags], {
    stdio: ['ignore', 'ignore', 'inherit'],
  });
  const ne = spawn('prometheus-node-exporter', [`--web.listen-address=127.0.0.1:${np}`, '--log.level=error', ...flags], { stdio: ['ignore', 'ignore', 'ignore'] });
  try {
    await waitUp(rp, rx, 'rxporter');
    await waitUp(np, ne, 'node_exporter');
    for (let i = 0; i < 20; i++) {
      await scrape(rp);
      await scrape(np);
    }
    const lat: Record<string, number[]> = { rx: [], ne: [] };
    const bytes: Record<string, number> = { rx: 0, ne: 0 };
    const cpu0 = { rx: cpuSeconds(rx.pid!), ne: cpuSeconds(ne.pid!) };
    for (let i = 0; i < scrapes; i++) {
      // alternate which goes first so neither always scrapes a warm cache
      for (const [k, port] of (i % 2 === 0 ? [['rx', rp], ['ne', np]] : [['ne', np], ['rx', rp]]) as [string, number][]) {
        const r = await scrape(port);
        lat[k].push(r.ms);
        bytes[k] = r.bytes;
      }
    }
    const side = (k: 'rx' | 'ne', pid: number, name: string): Side => ({
      name,
      p50: pct(lat[k], 50),
      p99: pct(lat[k], 99),
      cpuPerScrape: (cpuSeconds(pid) - cpu0[k]) / scrapes,
      rss: rssMB(pid),
      bytes: bytes[k],
    });
    const out: [Side, Side] = [side('rx', rx.pid!, 'rxporter'), side('ne', ne.pid!, 'node_exporter')];
    console.log(`\n## ${label}: ${collectors.length} collectors, ${scrapes} scrapes each, alternating, gzip, keep-alive`);
    console.log(`collectors: ${collectors.join(' ')}`);
    console.log('                  p50 ms   p99 ms   CPU ms/scrape   RSS MB   gzip bytes');
    for (const s of out) {
      console.log(`${s.name.padEnd(16)} ${s.p50.toFixed(2).padStart(7)}  ${s.p99.toFixed(2).padStart(7)}  ${(s.cpuPerScrape * 1000).toFixed(2).padStart(13)}  ${s.rss.toFixed(1).padStart(7)}  ${String(s.bytes).padStart(10)}`);
    }
    const [a, b] = out;
    console.log(
      `ratio rx/ne      ${(a.p50 / b.p50).toFixed(2).padStart(7)}  ${(a.p99 / b.p99).toFixed(2).padStart(7)}  ${(a.cpuPerScrape / b.cpuPerScrape).toFixed(2).padStart(13)}  ${(a.rss / b.rss).toFixed(2).padStart(7)}`,
    );
    return out;
  } finally {
    rx.kill('SIGTERM');
    ne.kill('SIGTERM');
  }
}

async function main(): Promise<void> {
  if (!existsSync(join(root, 'dist/src/cli/main.js'))) throw new Error('run `npm run build` first');
  const scrapes = Number(arg('scrapes', '300'));
  const set = arg('set', 'all');
  const known = neCollectors();
  if (known.size === 0) throw new Error('prometheus-node-exporter not found: apt-get install prometheus-node-exporter');
  console.log(`# rxporter vs node_exporter (Debian prometheus-node-exporter), node ${process.versions.node}`);
  if (set === 'foundation' || set === 'all') await runSet('foundation (issue 3): meminfo + filesystem', ['meminfo', 'filesystem'], scrapes);
  if (set === 'default' || set === 'all') {
    const ours = collectorDefinitions.filter((d) => d.defaultEnabled).map((d) => d.name);
    const both = ours.filter((c) => known.has(c));
    const onlyOurs = ours.filter((c) => !known.has(c));
    if (onlyOurs.length) console.log(`\n(not in node_exporter ${'1.5.0'}, left out of the comparison: ${onlyOurs.join(' ')})`);
    await runSet('default collector set (issue 4), those both implement', both, scrapes);
  }
  const encode = join(__dirname, 'encode.js');
  if ((set === 'all' || set === 'encode') && existsSync(encode)) {
    console.log('\n## push encoders (issue 5)');
    const r = spawnSync(process.execPath, [encode], { stdio: 'inherit' });
    if (r.status !== 0) throw new Error(`bench/encode exited ${r.status}`);
  }
  const processBench = join(__dirname, 'process.js');
  if ((set === 'all' || set === 'process') && existsSync(processBench)) {
    const r = spawnSync(process.execPath, [processBench], { stdio: 'inherit' });
    if (r.status !== 0) throw new Error(`bench/process exited ${r.status}`);
  }
  const container = join(__dirname, 'container.js');
  if ((set === 'all' || set === 'container') && existsSync(container)) {
    for (const layout of ['kube', 'docker']) {
      const r = spawnSync(process.execPath, [container, '--layout', layout], { stdio: 'inherit' });
      if (r.status !== 0) throw new Error(`bench/container exited ${r.status}`);
    }
  }
  const ksm = join(__dirname, 'ksm.js');
  if ((set === 'all' || set === 'ksm') && existsSync(ksm)) {
    console.log('\n## ksm collector (issue 12): 5 000 pods on 100 nodes');
    const r = spawnSync(process.execPath, ['--expose-gc', ksm], { stdio: 'inherit' });
    if (r.status !== 0) throw new Error(`bench/ksm exited ${r.status}`);
  }
  keepAlive.destroy();
}

main().catch((e: unknown) => {
  console.error(e instanceof Error ? e.message : e);
  process.exit(1);
});
