import { readFileSync, rmSync } from 'node:fs';
import type { ServerResponse } from 'node:http';
import { poll } from '../support/servers';
import { endlessBody, startTestReceiver, type ReceivedRequest, type TestReceiver } from '../support/testReceiver';
import { metricValue, startAgent, tempDir, type AgentProcess } from './pushSupport';

const OUTAGE_MS = 5000;

/** Values of rxporter_collections_total in a VictoriaMetrics import body, in line order. */
const collections = (r: ReceivedRequest): number[] =>
  r.body
    .toString()
    .split('\n')
    .filter((l) => l.startsWith('rxporter_collections_total'))
    .map((l) => Number(l.split(' ')[1]));

/**
 * A VictoriaMetrics-like import endpoint of our own that answers `fail` for OUTAGE_MS from its
 * first request, then 204, and keeps the rxporter_collections_total values it accepted.
 */
async function flakyImport(fail: (res: ServerResponse) => void): Promise<{ rx: TestReceiver; accepted: number[] }> {
  const accepted: number[] = [];
  let since = 0;
  const rx = await startTestReceiver((req, n, res) => {
    if (n === 0) since = Date.now();
    if (Date.now() - since < OUTAGE_MS) return fail(res);
    accepted.push(...collections(req));
    res.writeHead(204).end();
  });
  return { rx, accepted };
}

/** Waits until every collection up to the agent's count at call time was accepted; returns them. */
async function allAccepted(agent: AgentProcess, accepted: number[]): Promise<number[]> {
  const collected = metricValue(await agent.metrics(), 'rxporter_collections_total')!;
  await poll(async () => (accepted.length >= collected ? true : undefined), 20_000, `${collected} collections accepted (have ${accepted.length})`);
  return accepted.slice(0, collected);
}

const oneToN = (n: number) => Array.from({ length: n }, (_, i) => i + 1);

describe('push through receiver faults (test receiver of our own)', () => {
  const agents: AgentProcess[] = [];
  const receivers: TestReceiver[] = [];
  const dirs: string[] = [];
  afterEach(async () => {
    for (const a of agents) if (a.proc.exitCode === null) await a.kill9();
    for (const r of receivers) await r.close();
    for (const d of dirs) rmSync(d, { recursive: true, force: true });
    agents.length = receivers.length = dirs.length = 0;
  });

  it('loses nothing through a run of HTTP 500s: retried with backoff, in order, with or without a disk queue', async () => {
    const disk = await flakyImport((res) => res.writeHead(500).end('internal error'));
    const memory = await flakyImport((res) => res.writeHead(500).end('internal error'));
    receivers.push(disk.rx, memory.rx);
    const queueDir = tempDir('q500');
    dirs.push(queueDir);
    const common = ['--push.retry.initial-backoff', '1s', '--push.retry.max-backoff', '1s', '--push.timeout', '2s'];
    // both parked after 2 attempts a round, on disk or in memory, and tried again on the next push tick
    const onDisk = await startAgent(['--push.vm.url', disk.rx.url, '--push.queue.dir', queueDir, '--push.retry-count', '2', ...common]);
    const inMemory = await startAgent(['--push.vm.url', memory.rx.url, '--push.retry-count', '2', ...common]);
    agents.push(onDisk, inMemory);
    await poll(async () => (disk.accepted.length > 0 && memory.accepted.length > 0 ? true : undefined), 20_000, 'the end of the outage');
    for (const [agent, rx] of [
      [onDisk, disk],
      [inMemory, memory],
    ] as const) {
      const got = await allAccepted(agent, rx.accepted);
      expect(got).toEqual(oneToN(got.length));
      const m = await agent.metrics();
      expect(metricValue(m, 'rxporter_sink_requests_total{code="500",sink="vmagent"}')).toBeGreaterThanOrEqual(2);
      expect(m).not.toMatch(/rxporter_sink_samples_dropped_total\{/);
    }
  });

  it('caps "Retry-After: 3600" at maxBackoff, logs it once, and does not count those waits as attempts', async () => {
    const f = await flakyImport((res) => res.writeHead(429, { 'retry-after': '3600' }).end('slow down'));
    receivers.push(f.rx);
    // one attempt a round: before, the first 429 dropped the batch from the memory queue
    const agent = await startAgent(['--push.vm.url', f.rx.url, '--push.retry-count', '1', '--push.retry.max-backoff', '1s']);
    agents.push(agent);
    await poll(async () => (f.accepted.length > 0 ? true : undefined), 20_000, 'the first delivery after the 429s');
    const got = await allAccepted(agent, f.accepted);
    expect(got).toEqual(oneToN(got.length));
    const m = await agent.metrics();
    expect(metricValue(m, 'rxporter_sink_requests_total{code="429",sink="vmagent"}')).toBeGreaterThanOrEqual(2);
    expect(m).not.toMatch(/rxporter_sink_samples_dropped_total\{/);
    const capped = agent
      .output()
      .split('\n')
      .filter((l) => l.includes('server asked to wait longer than retry.maxBackoff'));
    expect(capped).toHaveLength(1);
    expect(JSON.parse(capped[0])).toMatchObject({ sink: 'vmagent', retryAfterMs: 3_600_000, waitMs: 1000 });
  });

  it('drops a batch answered 400 with an endless body at once, reads none of the rest, and stays small', async () => {
    let written: (n: number) => void = () => undefined;
    const closedAfter = new Promise<number>((resolve) => (written = resolve));
    const accepted: number[] = [];
    const rx = await startTestReceiver((req, n, res) => {
      if (n === 0) return endlessBody(res, 400, written);
      accepted.push(...collections(req));
      res.writeHead(204).end();
    });
    receivers.push(rx);
    const agent = await startAgent(['--push.vm.url', rx.url]);
    agents.push(agent);
    expect(await closedAfter).toBeLessThan(64 << 20);
    await poll(async () => (accepted.length > 0 ? true : undefined), 20_000, 'a delivery after the 400');
    const m = await agent.metrics();
    expect(metricValue(m, 'rxporter_sink_requests_total{code="400",sink="vmagent"}')).toBe(1);
    expect(metricValue(m, 'rxporter_sink_samples_dropped_total{reason="rejected",sink="vmagent"}')).toBeGreaterThan(0);
    expect(metricValue(m, 'rxporter_sink_retries_total{sink="vmagent"}')).toBe(0);
    // peak resident set of the agent process: nothing like the body was ever held
    const hwmKb = Number(/VmHWM:\s+(\d+) kB/.exec(readFileSync(`/proc/${agent.proc.pid}/status`, 'utf8'))![1]);
    expect(hwmKb).toBeLessThan(400 * 1024);
    const line = agent
      .output()
      .split('\n')
      .find((l) => l.includes('push batch dropped'));
    expect(JSON.parse(line!)).toMatchObject({ sink: 'vmagent', reason: 'rejected', status: 400 });
    expect(JSON.parse(line!).body.length).toBeLessThanOrEqual(4096);
  });
});
