import { rmSync } from 'node:fs';
import { join } from 'node:path';
import { writeKubeconfig } from '../support/kubeconfig';
import { startKubeApiServer } from '../support/kubeApiServer';
import { poll } from '../support/servers';
import { BARE_ID, POD_UID, podInfoCgroupTree, startPodInfoServer, type PodInfoServer } from '../support/podInfoFixture';
import { startAgent, tempDir, type AgentProcess } from './pushSupport';

/**
 * The built CLI with the container collector in its worker thread: the pod-info cache lives in
 * that worker and labels /metrics from the fixture cgroup tree.
 */
describe('container collector with --collector.container.pod-info-url in the daemon (worker thread)', () => {
  let server: PodInfoServer;
  let root: string;
  let agent: AgentProcess | undefined;
  beforeAll(async () => {
    server = await startPodInfoServer();
    root = podInfoCgroupTree();
  });
  afterAll(async () => {
    if (agent?.proc.exitCode === null) await agent.stop();
    await server.close();
    rmSync(join(root, '..'), { recursive: true, force: true });
  });

  /** Starts a node daemon on the fixture tree asking `url` for node n1's pods. */
  const nodeAgent = (url: string) =>
    startAgent([
      '--collector.container',
      `--collector.container.pod-info-url=${url}`,
      '--collector.container.pod-info-refresh=1s',
      '--global.node-name=n1',
      `--path.sysfs=${join(root, 'sys')}`,
      `--path.procfs=${join(root, 'proc')}`,
      `--path.rootfs=${root}`,
    ]);
  /** Polls /metrics for the BARE_ID container's container_last_seen line labelled with `pod`. */
  const labelled = (a: AgentProcess, pod: string) =>
    poll(
      async () => (await a.metrics()).split('\n').find((l) => l.startsWith('container_last_seen{') && l.includes(`cri-containerd-${BARE_ID}.scope`) && l.includes(`pod="${pod}"`)),
      20_000,
      `pod ${pod} in /metrics`,
    );

  it('fills pod, namespace and container from the endpoint, asked for this node', async () => {
    agent = await nodeAgent(server.url);
    const line = await labelled(agent, 'batch-7');
    expect(line).toContain('container="worker"');
    expect(line).toContain('namespace="jobs"');
    const pod = (await agent.metrics()).split('\n').find((l) => l.startsWith('container_last_seen{') && l.includes(`pod${POD_UID.replace(/-/g, '_')}.slice"`));
    expect(pod).toContain('pod="batch-7"');
    expect(server.queries[0]).toBe('/v1/ksm/getPodInfoByNodeName?nodeName=n1');
  });

  it("fills them from the ksm collector's real endpoint (a second daemon watching the fixture API server)", async () => {
    const kube = await startKubeApiServer();
    const dir = tempDir('podinfo-ksm');
    let ksm: AgentProcess | undefined;
    let node: AgentProcess | undefined;
    try {
      kube.put('pods', {
        metadata: { name: 'batch-8', namespace: 'jobs', uid: POD_UID, ownerReferences: [{ kind: 'Job', name: 'batch-1', controller: true }] },
        spec: { nodeName: 'n1', containers: [{ name: 'worker', image: 'busybox:1' }] },
        status: { phase: 'Running', containerStatuses: [{ name: 'worker', image: 'busybox:1', containerID: `containerd://${BARE_ID}`, restartCount: 0, ready: true, state: { running: {} } }] },
      });
      ksm = await startAgent(['--collector.ksm', '--kube.config', writeKubeconfig(dir, kube.url)]);
      node = await nodeAgent(`http://127.0.0.1:${ksm.port}/v1/ksm/getPodInfoByNodeName`);
      const line = await labelled(node, 'batch-8');
      expect(line).toContain('container="worker"');
      expect(line).toContain('namespace="jobs"');
    } finally {
      await node?.stop();
      await ksm?.stop();
      await kube.close();
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
