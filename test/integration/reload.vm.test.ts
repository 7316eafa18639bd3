import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { poll, startPushgateway, startVictoriaMetrics, type RealServer } from '../support/servers';
import { gapsOrDuplicates, metricValue, points, startAgent, tempDir, vmExport, wait, type AgentProcess } from './pushSupport';

/** Every rxporter_collections_total point of node `node` in `vms`, all series (labels change on reload), in time order. */
async function collections(vms: RealServer[], node: string): Promise<[number, number][]> {
  const all: [number, number][] = [];
  for (const vm of vms) for (const s of await vmExport(vm, `rxporter_collections_total{nodeName="${node}"}`)) all.push(...points(s));
  return all.sort((a, b) => a[0] - b[0]);
}

describe('reload under a push every second (real VictoriaMetrics and Pushgateway)', () => {
  let vmA: RealServer | undefined;
  let vmB: RealServer | undefined;
  let pg: RealServer | undefined;
  let agent: AgentProcess | undefined;
  afterEach(async () => {
    if (agent?.proc.exitCode === null) await agent.kill9();
    await Promise.all([vmA?.stop(), vmB?.stop(), pg?.stop()]);
  });

  it('adds and removes collectors, changes labels, re-points the sink, adds and removes a Pushgateway: every collection arrives once, no gap', async () => {
    [vmA, vmB, pg] = await Promise.all([startVictoriaMetrics(), startVictoriaMetrics(), startPushgateway()]);
    const file = join(tempDir('reload'), 'rxporter.json');
    const write = (o: Record<string, unknown>) => writeFileSync(file, JSON.stringify(o));
    const base = { exporter: { vmagent: { url: vmA.url } } };
    write(base);
    // The flags (meminfo, 1 s interval and push) still win over the file at each reload.
    agent = await startAgent(['--config', file, '--web.enable-lifecycle', '--global.node-name', 'rl']);
    const a = agent;
    const reload = async () => {
      const r = await fetch(`http://127.0.0.1:${a.port}/-/reload`, { method: 'POST' });
      return { status: r.status, text: await r.text() };
    };
    await wait(2500);

    // 1. add a collector (POST)
    const withLoad = { ...base, collectors: { loadavg: { enabled: true } } };
    write(withLoad);
    expect(await reload()).toEqual({ status: 200, text: '' });
    await poll(async () => ((await vmExport(vmA!, 'node_load1{nodeName="rl"}')).length ? true : undefined), 15_000, 'node_load1 in A');

    // 2. change a base label (SIGHUP)
    write({ ...withLoad, global: { labels: { phase: 'two' } } });
    a.proc.kill('SIGHUP');
    await poll(async () => ((await vmExport(vmA!, 'rxporter_collections_total{phase="two"}')).length ? true : undefined), 15_000, 'phase=two in A');

    // 3. re-point the sink to B
    const toB = { exporter: { vmagent: { url: vmB.url } }, collectors: { loadavg: { enabled: true } }, global: { labels: { phase: 'two' } } };
    write(toB);
    expect((await reload()).status).toBe(200);
    await poll(async () => ((await vmExport(vmB!, 'rxporter_collections_total{nodeName="rl"}')).length ? true : undefined), 15_000, 'samples in B');

    // 4. add a Pushgateway sink
    const withPg = { ...toB, exporter: { ...toB.exporter, pushgateway: { url: pg.url } } };
    write(withPg);
    expect((await reload()).status).toBe(200);
    await poll(async () => ((await (await fetch(`${pg!.url}/metrics`)).text()).includes('node_load1{') ? true : undefined), 15_000, 'the Pushgateway group');

    // 5. remove a collector
    write({ ...withPg, collectors: { loadavg: { enabled: false } } });
    expect((await reload()).status).toBe(200);
    await wait(2500);

    // 6. remove the Pushgateway sink: its group is DELETEd (deleteOnShutdown)
    const final = { ...toB, collectors: { loadavg: { enabled: false } } };
    write(final);
    expect((await reload()).status).toBe(200);
    await poll(async () => (!(await (await fetch(`${pg!.url}/metrics`)).text()).includes('job="rxptest"') ? true : undefined), 15_000, 'the group deleted');

    // 7. an invalid config: refused with its key, everything keeps running, the gauge says 0
    write({ ...final, collect: { timeout: 'soon' }, bogus: 1 });
    const refused = await reload();
    expect(refused.status).toBe(500);
    expect(refused.text).toMatch(/^failed to reload config: collect\.timeout: must be a duration/);
    expect(refused.text).toContain('bogus: unknown key');
    const m = await a.metrics();
    expect(metricValue(m, 'rxporter_config_last_reload_successful')).toBe(0);
    expect(metricValue(m, 'rxporter_config_last_reload_success_timestamp_seconds')).toBeGreaterThan(Date.now() / 1000 - 60);
    expect(m).not.toContain('node_load1 ');
    // one log line per problem, each naming its key
    expect(a.output()).toMatch(/"error":"collect\.timeout: must be a duration.*"message":"reload refused: invalid configuration"|"message":"reload refused: invalid configuration".*"error":"collect\.timeout: must be a duration/);
    expect(a.output()).toMatch(/"error":"bogus: unknown key/);
    const before = (await collections([vmA, vmB], 'rl')).length;
    await wait(2500);

    const { code } = await a.stop();
    expect(code).toBe(0);
    const ps = await collections([vmA, vmB], 'rl');
    expect(ps.length).toBeGreaterThan(before); // still pushing after the refused reload
    // Each collection's sample exactly once across both receivers, in order, with no gap.
    expect(gapsOrDuplicates(ps)).toBeUndefined();
    expect(ps.length).toBeGreaterThanOrEqual(10);
    // Both receivers got a part: A up to the re-point, B after it.
    const inA = (await collections([vmA], 'rl')).length;
    expect(inA).toBeGreaterThan(0);
    expect(inA).toBeLessThan(ps.length);
    expect(a.output()).toContain('"message":"push sink re-pointed"');
    expect(a.output()).toContain('"message":"push sink added"');
    expect(a.output()).toContain('"message":"push sink removed"');
  }, 120_000);

  it('keeps the disk-queued batches of a re-pointed sink and sends them once to the new URL', async () => {
    [vmB] = await Promise.all([startVictoriaMetrics()]);
    const dir = tempDir('reload-q');
    const file = join(dir, 'rxporter.json');
    // A first, dead URL: batches pile up in the disk queue.
    writeFileSync(file, JSON.stringify({ exporter: { vmagent: { url: 'http://127.0.0.1:9' }, queue: { dir: join(dir, 'q') }, retry: { initialBackoff: '10ms', maxBackoff: '100ms' } } }));
    agent = await startAgent(['--config', file, '--web.enable-lifecycle', '--global.node-name', 'rq']);
    const a = agent;
    await poll(async () => ((metricValue(await a.metrics(), 'rxporter_sink_queue_batches{sink="vmagent"}') ?? 0) >= 3 ? true : undefined), 15_000, '3 queued batches');
    writeFileSync(file, JSON.stringify({ exporter: { vmagent: { url: vmB.url }, queue: { dir: join(dir, 'q') }, retry: { initialBackoff: '10ms', maxBackoff: '100ms' } } }));
    expect((await fetch(`http://127.0.0.1:${a.port}/-/reload`, { method: 'POST' })).status).toBe(200);
    await wait(2500);
    const { code } = await a.stop();
    expect(code).toBe(0);
    const ps = await collections([vmB], 'rq');
    expect(gapsOrDuplicates(ps)).toBeUndefined();
    expect(ps.length).toBeGreaterThanOrEqual(5);
  }, 60_000);
});
