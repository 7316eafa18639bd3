/**
 * Basic-auth benchmark (issue 13): bcrypt checks per second, and what a flood of wrong
 * passwords does to the server's event loop and to a scrape with the right password.
 *
 *   node dist/bench/basicAuth.js [--mode worker|in-thread] [--clients 20] [--seconds 10] [--cost 10]
 *
 * The server (agent with one trivial collector, gate, plain HTTP) runs on the main thread,
 * which monitorEventLoopDelay watches; the clients run on a worker thread of their own so that
 * their work does not count against the server's loop. `--clients` clients send wrong
 * passwords back to back, each a new one (a cache miss: a full bcrypt check); one client with
 * the right password scrapes every 100 ms and records its latency. `--mode in-thread` checks
 * with bcryptjs's async API on the main thread instead of the worker, for comparison.
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { monitorEventLoopDelay } from 'node:perf_hooks';
import { Worker } from 'node:worker_threads';
import { compare, compareSync, hashSync } from 'bcryptjs';
import { of } from 'rxjs';
import { createAgent } from '../src/agent';
import { loadConfig } from '../src/config/load';
import { gauge } from '../src/model/family';
import { createMetricsServer, listen } from '../src/server/http';
import { createWebGate } from '../src/server/webGate';

const arg = (name: string, def: string): string => {
  const i = process.argv.indexOf(`--${name}`);
  return i < 0 ? def : process.argv[i + 1];
};

/** The clients' thread: flooders with wrong passwords, one scraper with the right one. */
const clientSource = `
const { workerData, parentPort } = require('node:worker_threads');
const http = require('node:http');
const { port, clients, seconds, password } = workerData;
const agent = new http.Agent({ keepAlive: true, maxSockets: clients + 1 });
const get = (pw) => new Promise((resolve) => {
  const t0 = process.hrtime.bigint();
  const req = http.request({ host: '127.0.0.1', port, path: '/metrics', agent,
    headers: { Authorization: 'Basic ' + Buffer.from('prometheus:' + pw).toString('base64') } }, (res) => {
    res.resume();
    res.on('end', () => resolve({ status: res.statusCode, ms: Number(process.hrtime.bigint() - t0) / 1e6 }));
  });
  req.on('error', () => resolve({ status: 0, ms: Number(process.hrtime.bigint() - t0) / 1e6 }));
  req.end();
});
(async () => {
  const warm = await get(password); // the right password, checked once and cached
  const end = Date.now() + seconds * 1000;
  let n = 0, wrong = 0;
  const flood = Array.from({ length: clients }, async (_, c) => {
    while (Date.now() < end) {
      const r = await get('wrong-' + c + '-' + n++);
      if (r.status === 401) wrong++;
    }
  });
  const lat = [];
  let bad = 0;
  const scraper = (async () => {
    while (Date.now() < end) {
      const r = await get(password);
      if (r.status === 200) lat.push(r.ms); else bad++;
      await new Promise((r) => setTimeout(r, 100));
    }
  })();
  await Promise.all([...flood, scraper]);
  parentPort.postMessage({ warm, wrong, lat, bad });
})();
`;

const pct = (xs: number[], p: number): number => {
  const s = [...xs].sort((a, b) => a - b);
  return s.length ? s[Math.min(s.length - 1, Math.floor((p / 100) * s.length))] : NaN;
};

async function main(): Promise<void> {
  const mode = arg('mode', 'worker');
  const clients = Number(arg('clients', '20'));
  const seconds = Number(arg('seconds', '10'));
  const cost = Number(arg('cost', '10'));
  const password = 'scrape-secret';
  const dir = mkdtempSync(join(tmpdir(), 'rxp-bench-auth-'));
  let hash: string;
  try {
    hash = execFileSync('htpasswd', ['-nbB', '-C', String(cost), 'u', password], { encoding: 'utf8' }).trim().slice(2);
  } catch {
    hash = hashSync(password, cost); // without apache2-utils
  }

  // bcrypt checks per second on one core (compareSync in a loop).
  const t0 = process.hrtime.bigint();
  let n = 0;
  while (Number(process.hrtime.bigint() - t0) < 2e9) {
    compareSync('wrong', hash);
    n++;
  }
  const perSec = n / (Number(process.hrtime.bigint() - t0) / 1e9);

  const file = join(dir, 'web.yml');
  writeFileSync(file, `basic_auth_users:\n  prometheus: ${hash}\n`);
  const config = loadConfig({ values: { global: { appName: 'bench' }, web: { listenAddress: '127.0.0.1:0', configFile: file }, collect: { interval: '1h' } } });
  const agent = createAgent({ config, collectors: [{ name: 'one', defaultEnabled: true, collect: () => of(gauge('node_one', 'One.', [{ labels: {}, value: 1 }])) }] });
  const web = await createWebGate({ file, log: agent.log, ...(mode === 'in-thread' ? { compare: (p: string, h: string) => compare(p, h) } : {}) });
  const server = createMetricsServer(agent, { telemetryPath: '/metrics', baseLabels: false, web });
  const port = await listen(server, '127.0.0.1:0');
  agent.start();

  const delay = monitorEventLoopDelay({ resolution: 5 });
  const worker = new Worker(clientSource, { eval: true, workerData: { port, clients, seconds, password } });
  delay.enable();
  const r = await new Promise<{ warm: { status: number; ms: number }; wrong: number; lat: number[]; bad: number }>((resolve, reject) => {
    worker.once('message', resolve);
    worker.once('error', reject);
  });
  delay.disable();
  await worker.terminate();
  await agent.stop(1000);
  await new Promise((res) => server.close(res));
  rmSync(dir, { recursive: true, force: true });

  const ms = (ns: number) => (ns / 1e6).toFixed(1);
  console.log(`basic auth, bcrypt cost ${cost}, mode ${mode}, ${clients} clients with wrong passwords for ${seconds} s`);
  console.log(`  bcrypt checks/s on one core (bcryptjs compareSync): ${perSec.toFixed(1)} (${(1000 / perSec).toFixed(1)} ms each)`);
  console.log(`  first scrape with the right password (one check): ${r.warm.status} in ${r.warm.ms.toFixed(1)} ms`);
  console.log(`  wrong passwords answered 401 during the flood: ${r.wrong} (${(r.wrong / seconds).toFixed(1)}/s)`);
  console.log(`  server event-loop delay: p50 ${ms(delay.percentile(50))} ms, p99 ${ms(delay.percentile(99))} ms, max ${ms(delay.max)} ms`);
  console.log(
    `  scrapes with the right password (cached): ${r.lat.length} ok, ${r.bad} failed; latency p50 ${pct(r.lat, 50).toFixed(1)} ms, p99 ${pct(r.lat, 99).toFixed(1)} ms, max ${Math.max(...r.lat).toFixed(1)} ms`,
  );
}

main().catch((e: unknown) => {
  console.error(e);
  process.exit(1);
});
