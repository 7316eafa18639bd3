import { startVictoriaMetrics, startVmagent, poll, type RealServer } from '../support/servers';
import { gapsOrDuplicates, metricValue, points, startAgent, vmExport, wait, type AgentProcess } from './pushSupport';

describe('push to VictoriaMetrics (real server)', () => {
  let vm: RealServer | undefined;
  let agent: AgentProcess | undefined;
  afterEach(async () => {
    if (agent?.proc.exitCode === null) await agent.kill9();
    await vm?.stop();
    agent = undefined;
    vm = undefined;
  });

  it('imports every snapshot with its own timestamp and the base labels', async () => {
    vm = await startVictoriaMetrics();
    const t0 = Date.now();
    agent = await startAgent(['--push.vm.url', vm.url, '--global.node-name', 'vmnode', '--global.master-ip', '10.0.0.1'], {
      env: { RXPORTER_GLOBAL_LABELS: '{"dc":"fra1"}' },
    });
    await wait(3500);
    const { code, ms } = await agent.stop();
    expect(code).toBe(0);
    expect(ms).toBeLessThan(5000);
    const [mem] = await poll(async () => {
      const s = await vmExport(vm!, 'node_memory_MemTotal_bytes{nodeName="vmnode"}');
      return s.length ? s : undefined;
    }, 15_000, 'MemTotal in VictoriaMetrics');
    expect(mem.metric).toMatchObject({ nodeName: 'vmnode', masterIp: '10.0.0.1', dc: 'fra1' });
    const [col] = await vmExport(vm, 'rxporter_collections_total{nodeName="vmnode"}');
    const ps = points(col);
    expect(gapsOrDuplicates(ps)).toBeUndefined();
    expect(ps.length).toBeGreaterThanOrEqual(3);
    // timestamps are the collections' times, not the arrival's
    for (const [t] of ps) {
      expect(t).toBeGreaterThanOrEqual(t0 - 1000);
      expect(t).toBeLessThanOrEqual(Date.now());
    }
    const memPoints = points(mem);
    expect(memPoints.map(([t]) => t)).toEqual(ps.map(([t]) => t));
  });

  it('goes through a real vmagent in front of VictoriaMetrics', async () => {
    vm = await startVictoriaMetrics();
    const vmagent = await startVmagent(`${vm.url}/api/v1/write`);
    try {
      agent = await startAgent(['--push.vm.url', vmagent.url, '--global.node-name', 'viaagent']);
      const series = await poll(async () => {
        const s = await vmExport(vm!, 'rxporter_collections_total{nodeName="viaagent"}');
        return s.length && s[0].values.length >= 3 ? s : undefined;
      }, 20_000, 'samples through vmagent');
      expect(gapsOrDuplicates(points(series[0]))).toBeUndefined();
      const m = await agent.metrics();
      expect(metricValue(m, 'rxporter_sink_requests_total{code="204",sink="vmagent"}')).toBeGreaterThanOrEqual(1);
      expect(metricValue(m, 'rxporter_sink_samples_sent_total{sink="vmagent"}')).toBeGreaterThan(0);
      expect(metricValue(m, 'rxporter_sink_last_success_timestamp_seconds{sink="vmagent"}')).toBeGreaterThan(Date.now() / 1000 - 30);
    } finally {
      await agent?.stop();
      await vmagent.stop();
    }
  });
});
