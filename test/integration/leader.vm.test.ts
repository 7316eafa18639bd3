import { rmSync } from 'node:fs';
import { writeKubeconfig } from '../support/kubeconfig';
import { startKubeApiServer, type KubeApiServer } from '../support/kubeApiServer';
import { poll, startVictoriaMetrics, type RealServer } from '../support/servers';
import { metricValue, points, startAgent, tempDir, vmExport, waitPoints, type AgentProcess } from './pushSupport';

/**
 * Two replicas of the built CLI elect a leader on the fixture API server's Lease and push to a
 * real VictoriaMetrics every second; only the leader's samples may arrive, and the two
 * replicas' push time ranges never overlap.
 */
describe('leader election: two replicas, one pusher (fixture API server, real VictoriaMetrics)', () => {
  let kube: KubeApiServer;
  let vm: RealServer;
  let dir: string;
  const agents: AgentProcess[] = [];
  beforeEach(async () => {
    kube = await startKubeApiServer();
    vm = await startVictoriaMetrics();
    dir = tempDir('leader');
  });
  afterEach(async () => {
    for (const a of agents.splice(0)) if (a.proc.exitCode === null && a.proc.signalCode === null) await a.kill9();
    await vm.stop();
    await kube.close();
    rmSync(dir, { recursive: true, force: true });
  });

  const replica = async (node: string, election: string[]) => {
    const a = await startAgent([
      '--push.vm.url',
      vm.url,
      '--global.node-name',
      node,
      '--kube.config',
      writeKubeconfig(dir, kube.url),
      '--kube.leader-elect',
      `--kube.leader-elect.identity=${node}`,
      ...election,
    ]);
    agents.push(a);
    return a;
  };
  const leads = async (a: AgentProcess) => metricValue(await a.metrics(), 'rxporter_leader{lease="rxp/rxporter"}');
  const timestamps = async (node: string) => {
    const [s] = await vmExport(vm, `rxporter_collections_total{nodeName="${node}"}`);
    return s ? points(s).map(([t]) => t) : [];
  };
  /** The two replicas' push time ranges do not overlap: every sample of `first` is older than every sample of `second`. */
  const expectNoOverlap = async (first: string, second: string) => {
    const [a, b] = [await timestamps(first), await timestamps(second)];
    expect(a.length).toBeGreaterThan(0);
    expect(b.length).toBeGreaterThan(0);
    expect(Math.max(...a)).toBeLessThan(Math.min(...b));
  };

  it('a kill -9 of the leader lets the standby push within lease-duration + a few seconds', async () => {
    const short = ['--kube.leader-elect.lease-duration=3s', '--kube.leader-elect.renew-deadline=2s', '--kube.leader-elect.retry-period=500ms'];
    const a = await replica('a', short);
    await poll(async () => ((await leads(a)) === 1 ? true : undefined), 15_000, 'a leads');
    const b = await replica('b', short);
    expect(await leads(b)).toBe(0);
    await waitPoints(vm, 'rxporter_collections_total{nodeName="a"}', 3);
    expect(await timestamps('b')).toEqual([]);
    const killedAt = Date.now();
    await a.kill9();
    const bPoints = await waitPoints(vm, 'rxporter_collections_total{nodeName="b"}', 3);
    // The bound: lease duration (3 s) + a few seconds.
    expect(bPoints[0][0] - killedAt).toBeLessThanOrEqual(3000 + 5000);
    expect(await leads(b)).toBe(1);
    expect(kube.object('leases', 'rxp', 'rxporter')?.spec).toMatchObject({ holderIdentity: 'b', leaseTransitions: 1 });
    await expectNoOverlap('a', 'b');
  });

  it('a SIGTERM of the leader pushes its last batch, then releases the Lease: the standby takes over without waiting for it', async () => {
    // A 60 s lease: a takeover within the 30 s of waitPoints can only come from the release.
    const long = ['--kube.leader-elect.lease-duration=60s', '--kube.leader-elect.renew-deadline=40s', '--kube.leader-elect.retry-period=500ms'];
    const c = await replica('c', long);
    await poll(async () => ((await leads(c)) === 1 ? true : undefined), 15_000, 'c leads');
    const d = await replica('d', long);
    await waitPoints(vm, 'rxporter_collections_total{nodeName="c"}', 3);
    expect(await leads(d)).toBe(0);
    const { code } = await c.stop();
    expect(code).toBe(0);
    expect(c.output()).toContain('leader election: released the lease');
    await waitPoints(vm, 'rxporter_collections_total{nodeName="d"}', 2);
    expect(await leads(d)).toBe(1);
    expect(kube.object('leases', 'rxp', 'rxporter')?.spec).toMatchObject({ holderIdentity: 'd', leaseTransitions: 1 });
    await expectNoOverlap('c', 'd');
  });
});
