import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { freePort, poll, type RealServer } from '../support/servers';

const MAIN = resolve(__dirname, '../../dist/src/cli/main.js');

/** An rxporter daemon started from the build for a test. */
export interface AgentProcess {
  readonly port: number;
  readonly proc: ChildProcess;
  output(): string;
  /** GET /metrics text. */
  metrics(): Promise<string>;
  /** SIGTERM; resolves with the exit code and how long the exit took. */
  stop(): Promise<{ code: number | null; ms: number }>;
  /** SIGKILL, no chance to flush anything. */
  kill9(): Promise<void>;
}

/** Returns a temp dir for a test. */
export const tempDir = (name: string): string => mkdtempSync(join(tmpdir(), `rxp-${name}-`));

/** Starts `rxporter` (dist build) with only the meminfo collector, collecting and pushing every second, plus `args`. */
export async function startAgent(args: string[], o: { port?: number; env?: Record<string, string> } = {}): Promise<AgentProcess> {
  if (!existsSync(MAIN)) throw new Error(`${MAIN} missing: run "npm run build" first (npm test does)`);
  const port = o.port ?? (await freePort());
  const proc = spawn(
    process.execPath,
    [
      MAIN,
      '--global.app-name',
      'rxptest',
      '--web.listen-address',
      `127.0.0.1:${port}`,
      '--collector.disable-defaults',
      '--collector.meminfo',
      '--collect.interval',
      '1s',
      '--push.interval',
      '1s',
      '--log.format',
      'json',
      ...args,
    ],
    { stdio: ['ignore', 'pipe', 'pipe'], env: { ...process.env, ...o.env } },
  );
  let out = '';
  const keep = (b: Buffer) => {
    out += b.toString();
    if (out.length > 400_000) out = out.slice(-200_000);
  };
  proc.stdout?.on('data', keep);
  proc.stderr?.on('data', keep);
  const exited = new Promise<number | null>((r) => proc.once('exit', (code) => r(code)));
  const url = `http://127.0.0.1:${port}/metrics`;
  const up = await poll(
    async () => {
      if (proc.exitCode !== null) return 'exited';
      return (await fetch(url)).ok ? 'up' : undefined;
    },
    15_000,
    'rxporter /metrics',
    100,
  );
  if (up === 'exited') throw new Error(`rxporter exited ${proc.exitCode}: ${out.slice(-3000)}`);
  return {
    port,
    proc,
    output: () => out,
    metrics: async () => (await fetch(url)).text(),
    async stop() {
      const t0 = Date.now();
      proc.kill('SIGTERM');
      const code = await exited;
      return { code, ms: Date.now() - t0 };
    },
    async kill9() {
      proc.kill('SIGKILL');
      await exited;
    },
  };
}

/** Returns the value of a sample line of /metrics text, e.g. `rxporter_sink_samples_sent_total{sink="vmagent"}`. */
export function metricValue(text: string, series: string): number | undefined {
  for (const line of text.split('\n')) if (line.startsWith(`${series} `)) return Number(line.slice(series.length + 1));
  return undefined;
}

/** One exported series from VictoriaMetrics. */
export interface VmSeries {
  metric: Record<string, string>;
  values: number[];
  timestamps: number[];
}

/** Flushes VictoriaMetrics' buffers and exports every series matching `match`. */
export async function vmExport(vm: RealServer, match: string): Promise<VmSeries[]> {
  await fetch(`${vm.url}/internal/force_flush`);
  const r = await fetch(`${vm.url}/api/v1/export`, {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
    body: `match[]=${encodeURIComponent(match)}&start=0&end=${Math.floor(Date.now() / 1000) + 600}`,
  });
  const text = await r.text();
  return text
    .split('\n')
    .filter((l) => l.trim() !== '')
    .map((l) => JSON.parse(l) as VmSeries);
}

/** Returns [timestamp, value] pairs of a series sorted by time. */
export const points = (s: VmSeries): [number, number][] => s.timestamps.map((t, i): [number, number] => [t, s.values[i]]).sort((a, b) => a[0] - b[0]);

/** Returns a reason why `ps` (rxporter_collections_total of one agent life) is not 1, 2, …, n once each at increasing times, or undefined. */
export function gapsOrDuplicates(ps: [number, number][]): string | undefined {
  for (let i = 0; i < ps.length; i++) {
    if (ps[i][1] !== i + 1) return `value ${i + 1} expected at position ${i}, got ${ps[i][1]} (${JSON.stringify(ps.slice(Math.max(0, i - 2), i + 3))})`;
    if (i > 0 && ps[i][0] <= ps[i - 1][0]) return `timestamps not increasing at ${i}: ${ps[i - 1][0]} then ${ps[i][0]}`;
  }
  return undefined;
}

/** Waits `ms` of wall time (integration tests only: real servers run in real time). */
/** Polls until the series of `selector` has at least `n` points in VictoriaMetrics (30 s at most); returns them in time order. */
export const waitPoints = (vm: RealServer, selector: string, n: number): Promise<[number, number][]> =>
  poll(
    async () => {
      const [s] = await vmExport(vm, selector);
      const ps = s ? points(s) : [];
      return ps.length >= n ? ps : undefined;
    },
    30_000,
    `${n} points of ${selector}`,
    500,
  );

export const wait = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

/** Returns the [ms, value] points of `selector` over the last `range` from Prometheus. */
export async function promPoints(prom: RealServer, selector: string, range = '15m'): Promise<[number, number][]> {
  const r = await fetch(`${prom.url}/api/v1/query?query=${encodeURIComponent(`${selector}[${range}]`)}`);
  const j = (await r.json()) as { data: { result: { values: [number, string][] }[] } };
  const res = j.data.result;
  if (res.length === 0) return [];
  return res[0].values.map(([t, v]): [number, number] => [Math.round(t * 1000), Number(v)]);
}
