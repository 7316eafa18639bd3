import { startVictoriaMetrics, type RealServer } from '../support/servers';
import { gapsOrDuplicates, metricValue, points, startAgent, tempDir, vmExport, wait, waitPoints, type AgentProcess } from './pushSupport';
import { rmSync } from 'node:fs';

const OUTAGE_MS = 20_000;
const pushArgs = (vm: RealServer, queueDir: string, node: string) => [
  '--push.vm.url',
  vm.url,
  '--push.queue.dir',
  queueDir,
  '--push.retry-count',
  '2',
  '--push.retry.max-backoff',
  '1s',
  '--push.timeout',
  '2s',
  '--global.node-name',
  node,
];


describe('VictoriaMetrics outage with a disk queue (real server)', () => {
  let vm: RealServer | undefined;
  const agents: AgentProcess[] = [];
  const dirs: string[] = [];
  afterEach(async () => {
    for (const a of agents) if (a.proc.exitCode === null) await a.kill9();
    agents.length = 0;
    await vm?.stop();
    vm = undefined;
    for (const d of dirs) rmSync(d, { recursive: true, force: true });
  });

  it('delivers every snapshot of a 20 s outage afterwards, at its own timestamp, none twice', async () => {
    vm = await startVictoriaMetrics();
    const queueDir = tempDir('queue');
    dirs.push(queueDir);
    const agent = await startAgent(pushArgs(vm, queueDir, 'outage'));
    agents.push(agent);
    await waitPoints(vm, 'rxporter_collections_total{nodeName="outage"}', 2);
    await vm.stop({ keepDir: true });
    const downAt = Date.now();
    await wait(OUTAGE_MS);
    const during = await agent.metrics();
    expect(metricValue(during, 'rxporter_sink_queue_batches{sink="vmagent"}')).toBeGreaterThanOrEqual(15);
    expect(metricValue(during, 'rxporter_sink_queue_bytes{sink="vmagent"}')).toBeGreaterThan(0);
    const collected = metricValue(during, 'rxporter_collections_total')!;
    vm = await startVictoriaMetrics({ dir: vm.dir, port: vm.port });
    const ps = await waitPoints(vm, 'rxporter_collections_total{nodeName="outage"}', collected);
    expect(gapsOrDuplicates(ps)).toBeUndefined();
    const inOutage = ps.filter(([t]) => t > downAt && t < downAt + OUTAGE_MS);
    expect(inOutage.length).toBeGreaterThanOrEqual(OUTAGE_MS / 1000 - 2);
    // every sample of every snapshot, not just one series: MemTotal has the same timestamps
    const [mem] = await vmExport(vm, 'node_memory_MemTotal_bytes{nodeName="outage"}');
    expect(new Set(mem.timestamps).size).toBe(mem.timestamps.length);
    expect(points(mem).map(([t]) => t).slice(0, collected)).toEqual(ps.map(([t]) => t).slice(0, collected));
    const after = await agent.metrics();
    expect(metricValue(after, 'rxporter_sink_samples_dropped_total{reason="corrupt",sink="vmagent"}')).toBeUndefined();
    expect(metricValue(after, 'rxporter_sink_retries_total{sink="vmagent"}')).toBeGreaterThan(0);
    const { code } = await agent.stop();
    expect(code).toBe(0);
  });

  it('loses nothing when the agent is killed with -9 during the outage and restarted on the same queue dir', async () => {
    vm = await startVictoriaMetrics();
    const queueDir = tempDir('queue9');
    dirs.push(queueDir);
    const first = await startAgent(pushArgs(vm, queueDir, 'kill9'), { env: { RXPORTER_GLOBAL_LABELS: '{"life":"1"}' } });
    agents.push(first);
    await waitPoints(vm, 'rxporter_collections_total{nodeName="kill9",life="1"}', 2);
    await vm.stop({ keepDir: true });
    await wait(OUTAGE_MS / 2);
    // This scrape's own collection is queued before the response: everything up to `collected` must arrive.
    const collected = metricValue(await first.metrics(), 'rxporter_collections_total')!;
    await first.kill9();
    // a second agent on the same directory while the first runs is refused: tested in the unit tests; here the lock is stale
    const second = await startAgent(pushArgs(vm, queueDir, 'kill9'), { env: { RXPORTER_GLOBAL_LABELS: '{"life":"2"}' } });
    agents.push(second);
    await wait(OUTAGE_MS / 2);
    vm = await startVictoriaMetrics({ dir: vm.dir, port: vm.port });
    const life1 = await waitPoints(vm, 'rxporter_collections_total{nodeName="kill9",life="1"}', collected);
    expect(gapsOrDuplicates(life1)).toBeUndefined();
    const life2 = await waitPoints(vm, 'rxporter_collections_total{nodeName="kill9",life="2"}', 8);
    expect(gapsOrDuplicates(life2)).toBeUndefined();
    // the first life's snapshots all come before the second's
    expect(life1[life1.length - 1][0]).toBeLessThan(life2[0][0]);
    expect(second.output()).not.toMatch(/corrupt/);
    const { code } = await second.stop();
    expect(code).toBe(0);
  });
});
