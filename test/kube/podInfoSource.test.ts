import { rmSync } from 'node:fs';
import { join } from 'node:path';
import { asyncScheduler, firstValueFrom, toArray } from 'rxjs';
import { containerDefinition, createContainerCollector } from '../../src/collectors/container';
import type { MetricFamily } from '../../src/model/family';
import { loadConfig } from '../../src/config/load';
import { bareContainerId, indexPodInfo, lookupPodInfo, parsePodInfo } from '../../src/kube/podInfoSource';
import { recordingLog } from '../support/neFixtures';
import { BARE_ID, podInfoAnswer, podInfoCgroupTree, POD_UID, startPodInfoServer, type PodInfoServer } from '../support/podInfoFixture';
import { poll } from '../support/servers';
import { thrown } from '../support/thrown';

describe('parsePodInfo', () => {
  it('reads the documented schema and ignores fields it does not need', () => {
    expect(parsePodInfo(JSON.stringify(podInfoAnswer))).toEqual({
      nodeName: 'n1',
      pods: [{ name: 'batch-7', namespace: 'jobs', uid: POD_UID, containers: [{ name: 'worker', containerId: `containerd://${BARE_ID}` }] }],
    });
  });

  it.each([
    ['{', /not JSON/],
    ['{"nodeName":"n1"}', /no "pods" array/],
    ['{"pods":[{"name":"a","namespace":"b"}]}', /pods\[0\] needs string name, namespace and uid/],
    ['{"pods":[{"name":"a","namespace":"b","uid":"u","containers":[{"image":"x"}]}]}', /pods\[0\].containers\[0\] needs a string name/],
  ])('refuses %s with RXP_KUBE', (text, message) => {
    const e = thrown(() => parsePodInfo(text)) as { code?: string; message: string };
    expect(e.code).toBe('RXP_KUBE');
    expect(e.message).toMatch(message);
  });

  it.each([
    ['containerd://abc', 'abc'],
    ['cri-o://abc', 'abc'],
    ['docker://abc', 'abc'],
    ['abc', 'abc'],
  ])('strips the runtime prefix of %s', (id, bare) => expect(bareContainerId(id)).toBe(bare));

  it('looks up a container by id, else its pod by uid with container empty', () => {
    const look = lookupPodInfo(indexPodInfo(parsePodInfo(JSON.stringify(podInfoAnswer))));
    expect(look(POD_UID, BARE_ID)).toEqual({ pod: 'batch-7', namespace: 'jobs', container: 'worker' });
    expect(look(POD_UID, '')).toEqual({ pod: 'batch-7', namespace: 'jobs', container: '' });
    expect(look(POD_UID, 'ffff')).toEqual({ pod: 'batch-7', namespace: 'jobs', container: '' });
    expect(look('other', '')).toBeUndefined();
  });
});

describe('container collector with --collector.container.pod-info-url (fixture cgroup tree, an HTTP server of the documented schema)', () => {
  let server: PodInfoServer;
  let url: string;
  let queries: string[];
  let root: string;
  const stops: (() => void)[] = [];
  beforeAll(async () => {
    server = await startPodInfoServer();
    ({ url, queries } = server);
    root = podInfoCgroupTree();
  });
  afterAll(async () => {
    for (const s of stops) s();
    await server.close();
    rmSync(join(root, '..'), { recursive: true, force: true });
  });

  it('labels pod and container cgroups from the cached answer, fetched in the background and kept while the endpoint fails', async () => {
    const log = recordingLog();
    const collector = createContainerCollector({ maxContainers: 1000, podInfoEndpoint: { url, nodeName: 'n1', refreshMs: 1000 } });
    stops.push(() => collector.stop());
    const ctx = { procPath: join(root, 'proc'), sysPath: join(root, 'sys'), rootPath: root, udevDataPath: '', log, scheduler: asyncScheduler };
    const labelsOf = async (idPart: string) => {
      const fams: MetricFamily[] = await firstValueFrom(collector.collect(ctx).pipe(toArray()));
      return fams.find((f) => f.name === 'container_last_seen')?.samples.find((s) => s.labels.id.endsWith(idPart))?.labels;
    };
    const bare = await poll(async () => {
      const l = await labelsOf(`cri-containerd-${BARE_ID}.scope`);
      return l?.pod ? l : undefined;
    }, 10_000, 'pod labels of the bare container');
    expect(bare).toMatchObject({ pod: 'batch-7', namespace: 'jobs', container: 'worker' });
    expect(await labelsOf(`pod${POD_UID.replace(/-/g, '_')}.slice`)).toMatchObject({ pod: 'batch-7', namespace: 'jobs', container: '' });
    // The runtime's own files still win for the CRI-O container.
    expect(await labelsOf(`crio-${'c0ffee00'.repeat(8)}.scope`)).toMatchObject({ pod: 'cache-0', namespace: 'jobs', container: 'cache' });
    expect(queries[0]).toBe('/v1/ksm/getPodInfoByNodeName?nodeName=n1');
    // The registration passes global.node-name and the options through.
    const fromFlags = containerDefinition.create({ maxContainers: 1000, podInfoUrl: url, podInfoRefresh: 60_000 }, { isEnabled: () => true, config: loadConfig({ args: ['--global.app-name=x', '--global.node-name=n2'] }) }) as ReturnType<typeof createContainerCollector>;
    stops.push(() => fromFlags.stop());
    await firstValueFrom(fromFlags.collect(ctx).pipe(toArray()));
    await poll(async () => (queries.includes('/v1/ksm/getPodInfoByNodeName?nodeName=n2') ? true : undefined), 10_000, 'the query of n2');
    // Scrapes do not fetch: 20 collections in a row add only the refreshes of the time they took.
    const [before, t0] = [queries.length, Date.now()];
    for (let i = 0; i < 20; i++) await labelsOf('x');
    expect(queries.length - before).toBeLessThanOrEqual(Math.ceil((Date.now() - t0) / 1000) + 1);
    // The endpoint fails (503 before KSM's first LIST): the last answer holds, one warning.
    server.up = false;
    const failedAt = queries.length;
    await poll(async () => (queries.length >= failedAt + 2 ? true : undefined), 10_000, 'two failed refreshes');
    expect(await labelsOf(`cri-containerd-${BARE_ID}.scope`)).toMatchObject({ pod: 'batch-7', container: 'worker' });
    expect(log.lines.filter((l) => l.message === 'pod-info endpoint failed; keeping the last answer')).toHaveLength(1);
    server.up = true;
    await poll(async () => (log.lines.some((l) => l.message === 'pod-info endpoint answers again') ? true : undefined), 10_000, 'recovery logged');
  });
});
