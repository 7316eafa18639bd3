import { startPushgateway, startVictoriaMetrics, poll, type RealServer } from '../support/servers';
import { gapsOrDuplicates, points, startAgent, vmExport, wait, type AgentProcess } from './pushSupport';

interface PgwGroup {
  labels: Record<string, string>;
  [metric: string]: unknown;
}

const groups = async (pg: RealServer): Promise<PgwGroup[]> => ((await (await fetch(`${pg.url}/api/v1/metrics`)).json()) as { data: PgwGroup[] }).data;
const groupOf = async (pg: RealServer, nodeName: string) => (await groups(pg)).find((g) => g.labels.nodeName === nodeName);
const value = (g: PgwGroup, metric: string): number => Number((g[metric] as { metrics: { value: string }[] }).metrics[0].value);

describe('push to a Pushgateway (real server)', () => {
  let pg: RealServer | undefined;
  let agent: AgentProcess | undefined;
  afterEach(async () => {
    if (agent?.proc.exitCode === null) await agent.kill9();
    if (pg) process.kill(pg.proc.pid!, 'SIGCONT');
    await pg?.stop();
    agent = undefined;
    pg = undefined;
  });

  it('PUTs the group, replaces it on each push, and DELETEs it on SIGTERM', async () => {
    pg = await startPushgateway();
    // Something left in the group from before: a PUT replaces the whole group, so it must go.
    // The empty grouping label is left out of the group's key (see push.labels.test.ts).
    const seeded = await fetch(`${pg.url}/metrics/job/rxptest/nodeName/pgnode/path@base64/YS9i`, { method: 'POST', body: 'leftover_metric 1\n' });
    expect(seeded.status).toBe(200);
    agent = await startAgent(['--push.pushgateway.url', pg.url, '--global.node-name', 'pgnode', '--global.master-ip', '10.1.2.3'], {
      env: { RXPORTER_EXPORTER_PUSHGATEWAY_GROUPING_LABELS: '{"path":"a/b","empty":""}' },
    });
    const first = await poll(async () => {
      const g = await groupOf(pg!, 'pgnode');
      return g && g.node_memory_MemTotal_bytes ? g : undefined;
    }, 10_000, 'group in the Pushgateway');
    expect(first.labels).toEqual({ job: 'rxptest', nodeName: 'pgnode', path: 'a/b' });
    expect(first.leftover_metric).toBeUndefined();
    expect(first.last_push_successful).toBe(true);
    const mem = first.node_memory_MemTotal_bytes as { metrics: { labels: Record<string, string> }[] };
    expect(mem.metrics[0].labels.masterIp).toBe('10.1.2.3');
    const later = await poll(async () => {
      const g = await groupOf(pg!, 'pgnode');
      return g && value(g, 'push_time_seconds') > value(first, 'push_time_seconds') ? g : undefined;
    }, 10_000, 'a second push');
    expect(value(later, 'rxporter_collections_total')).toBeGreaterThan(value(first, 'rxporter_collections_total'));
    const { code, ms } = await agent.stop();
    expect(code).toBe(0);
    expect(ms).toBeLessThan(5000);
    expect(await groupOf(pg, 'pgnode')).toBeUndefined();
  });

  it('keeps pushing to VictoriaMetrics on time while the Pushgateway hangs, and still exits within 5 s', async () => {
    pg = await startPushgateway();
    const vm = await startVictoriaMetrics();
    try {
      agent = await startAgent(['--push.pushgateway.url', pg.url, '--push.vm.url', vm.url, '--global.node-name', 'hang', '--push.timeout', '3s']);
      await poll(async () => ((await groupOf(pg!, 'hang')) ? true : undefined), 10_000, 'first Pushgateway push');
      process.kill(pg.proc.pid!, 'SIGSTOP'); // a real hang: connections are accepted, nothing answers
      const hungAt = Date.now();
      await wait(5000);
      // /metrics answers promptly while a sink hangs
      const t = Date.now();
      const text = await agent.metrics();
      expect(Date.now() - t).toBeLessThan(1000);
      expect(text).toMatch(/rxporter_sink_requests_total\{code="timeout",sink="pushgateway"\}/);
      const [col] = await vmExport(vm, 'rxporter_collections_total{nodeName="hang"}');
      const ps = points(col);
      expect(gapsOrDuplicates(ps)).toBeUndefined();
      // every second of the hang reached VictoriaMetrics within the push interval plus a margin
      const during = ps.filter(([ts]) => ts >= hungAt && ts <= hungAt + 3500);
      expect(during.length).toBeGreaterThanOrEqual(3);
      const { code, ms } = await agent.stop();
      expect(code).toBe(0);
      expect(ms).toBeLessThan(5000);
    } finally {
      await vm.stop();
    }
  });
});
