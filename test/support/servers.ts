import { spawn, type ChildProcess } from 'node:child_process';
import { accessSync, constants, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { delimiter, join } from 'node:path';

/** A real server process started by a test, on 127.0.0.1 with a free port and its own temp dir. */
export interface RealServer {
  readonly name: string;
  readonly port: number;
  readonly url: string;
  readonly dir: string;
  readonly proc: ChildProcess;
  /** Output so far, for failure messages. */
  output(): string;
  /** SIGTERM, wait for exit; with `keepDir` the data dir survives (restart on the same data). */
  stop(o?: { keepDir?: boolean }): Promise<void>;
}

/** Returns a TCP port that was free a moment ago on 127.0.0.1. */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const s = createServer();
    s.once('error', reject);
    s.listen(0, '127.0.0.1', () => {
      const a = s.address();
      const port = typeof a === 'object' && a ? a.port : 0;
      s.close(() => resolve(port));
    });
  });
}

/** Polls `fn` every `everyMs` until it returns a value that is not undefined, or throws after `deadlineMs`. */
export async function poll<T>(fn: () => Promise<T | undefined>, deadlineMs: number, what: string, everyMs = 250): Promise<T> {
  const end = Date.now() + deadlineMs;
  let last: unknown;
  for (;;) {
    try {
      const v = await fn();
      if (v !== undefined) return v;
    } catch (e) {
      last = e;
    }
    if (Date.now() > end) throw new Error(`timed out after ${deadlineMs} ms waiting for ${what}${last ? `: ${String(last)}` : ''}`);
    await new Promise((r) => setTimeout(r, everyMs));
  }
}

/** The Debian package of each server binary the tests start (tools/test-deps.sh installs them). */
const PACKAGE_OF: Readonly<Record<string, string>> = {
  prometheus: 'prometheus',
  promtool: 'prometheus',
  'prometheus-pushgateway': 'prometheus-pushgateway',
  'victoria-metrics': 'victoria-metrics',
  vmagent: 'victoria-metrics',
  'prometheus-node-exporter': 'prometheus-node-exporter',
  'prometheus-process-exporter': 'prometheus-process-exporter',
};

/** Throws at once, naming the package to install, when `bin` is not an executable on PATH. */
export function requireBinary(bin: string): void {
  for (const dir of (process.env.PATH ?? '').split(delimiter)) {
    if (dir === '') continue;
    try {
      accessSync(join(dir, bin), constants.X_OK);
      return;
    } catch {
      // not in this directory
    }
  }
  const pkg = PACKAGE_OF[bin];
  throw new Error(`${bin} is not on PATH: install Debian's ${pkg ?? bin} package (npm test's pretest step, tools/test-deps.sh, does it as root)`);
}

/** Starts `bin args` and waits until GET `readyPath` answers 200; throws at once when `bin` is not installed. */
export async function startServer(o: {
  name: string;
  bin: string;
  args: (port: number, dir: string) => string[];
  readyPath: string;
  dir?: string;
  port?: number;
  setup?: (dir: string, port: number) => void;
}): Promise<RealServer> {
  requireBinary(o.bin);
  const dir = o.dir ?? mkdtempSync(join(tmpdir(), `rxp-${o.name}-`));
  const port = o.port ?? (await freePort());
  o.setup?.(dir, port);
  const proc = spawn(o.bin, o.args(port, dir), { stdio: ['ignore', 'pipe', 'pipe'] });
  let out = '';
  const keep = (b: Buffer) => {
    out += b.toString();
    if (out.length > 200_000) out = out.slice(-100_000);
  };
  proc.stdout?.on('data', keep);
  proc.stderr?.on('data', keep);
  const exited = new Promise<void>((resolve) => proc.once('exit', () => resolve()));
  let spawnError: Error | undefined;
  proc.once('error', (e) => (spawnError = e));
  const url = `http://127.0.0.1:${port}`;
  const server: RealServer = {
    name: o.name,
    port,
    url,
    dir,
    proc,
    output: () => out,
    async stop(s = {}) {
      if (proc.exitCode === null && proc.signalCode === null) {
        proc.kill('SIGTERM');
        const t = setTimeout(() => proc.kill('SIGKILL'), 10_000);
        await exited;
        clearTimeout(t);
      }
      if (!s.keepDir) rmSync(dir, { recursive: true, force: true });
    },
  };
  try {
    await poll(
      async () => {
        if (spawnError) throw new Error(`${o.bin}: ${spawnError.message} (is it installed? see .ci/run)`);
        if (proc.exitCode !== null) throw new Error(`${o.name} exited ${proc.exitCode}: ${out.slice(-2000)}`);
        const r = await fetch(url + o.readyPath);
        return r.status === 200 ? true : undefined;
      },
      20_000,
      `${o.name} ready`,
      50,
    );
  } catch (e) {
    await server.stop();
    throw e;
  }
  return server;
}

/**
 * Starts a real Prometheus scraping `targets` every second (job "rx"), and the jobs of
 * `scrapeConfigs` (Prometheus scrape_configs entries, e.g. with tls_config and basic_auth), with
 * the remote-write receiver on.
 */
export function startPrometheus(
  o: { targets?: string[]; scrapeConfigs?: Record<string, unknown>[]; scrapeInterval?: string; outOfOrderWindow?: string } = {},
): Promise<RealServer> {
  return startServer({
    name: 'prometheus',
    bin: 'prometheus',
    readyPath: '/-/ready',
    setup: (dir) => {
      const interval = o.scrapeInterval ?? '1s';
      const lines = [`global: {scrape_interval: ${interval}, scrape_timeout: ${interval}}`];
      if (o.outOfOrderWindow) lines.push(`storage: {tsdb: {out_of_order_time_window: ${o.outOfOrderWindow}}}`);
      const jobs = [...(o.targets?.length ? [{ job_name: 'rx', static_configs: [{ targets: o.targets }] }] : []), ...(o.scrapeConfigs ?? [])];
      // JSON is YAML: the jobs are written as JSON.
      if (jobs.length) lines.push(`scrape_configs: ${JSON.stringify(jobs)}`);
      writeFileSync(join(dir, 'p.yml'), `${lines.join('\n')}\n`);
    },
    args: (port, dir) => [
      `--config.file=${join(dir, 'p.yml')}`,
      `--storage.tsdb.path=${join(dir, 'data')}`,
      `--web.listen-address=127.0.0.1:${port}`,
      '--web.enable-remote-write-receiver',
    ],
  });
}

/** Runs an instant query against Prometheus and returns its result vector. */
export async function promQuery(prom: RealServer, query: string): Promise<{ metric: Record<string, string>; value: [number, string] }[]> {
  const r = await fetch(`${prom.url}/api/v1/query?query=${encodeURIComponent(query)}`);
  const j = (await r.json()) as { status: string; data: { result: { metric: Record<string, string>; value: [number, string] }[] } };
  if (j.status !== 'success') throw new Error(`query ${query}: ${JSON.stringify(j)}`);
  return j.data.result;
}

/** Starts a real Pushgateway with persistence in its temp dir. */
export function startPushgateway(o: { dir?: string; port?: number } = {}): Promise<RealServer> {
  return startServer({
    name: 'pushgateway',
    bin: 'prometheus-pushgateway',
    readyPath: '/-/ready',
    dir: o.dir,
    port: o.port,
    args: (port, dir) => [`--web.listen-address=127.0.0.1:${port}`, `--persistence.file=${join(dir, 'pgw.data')}`, '--web.enable-admin-api'],
  });
}

/** Starts a real VictoriaMetrics single node (no latency offset, 1 d retention). */
export function startVictoriaMetrics(o: { dir?: string; port?: number } = {}): Promise<RealServer> {
  return startServer({
    name: 'victoria-metrics',
    bin: 'victoria-metrics',
    readyPath: '/health',
    dir: o.dir,
    port: o.port,
    args: (port, dir) => [
      `-httpListenAddr=127.0.0.1:${port}`,
      `-storageDataPath=${join(dir, 'vm')}`,
      '-retentionPeriod=1d',
      '-search.latencyOffset=0s',
    ],
  });
}

/** Starts a real vmagent forwarding to `remoteWriteUrl`. */
export function startVmagent(remoteWriteUrl: string, o: { dir?: string; port?: number } = {}): Promise<RealServer> {
  return startServer({
    name: 'vmagent',
    bin: 'vmagent',
    readyPath: '/health',
    dir: o.dir,
    port: o.port,
    args: (port, dir) => [`-httpListenAddr=127.0.0.1:${port}`, `-remoteWrite.url=${remoteWriteUrl}`, `-remoteWrite.tmpDataPath=${join(dir, 'q')}`],
  });
}
