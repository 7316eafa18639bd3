import { cpSync, mkdtempSync, rmSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { asyncScheduler, firstValueFrom, toArray } from 'rxjs';
import { containerDefinition, createContainerCollector } from '../../src/collectors/container';
import type { MetricFamily } from '../../src/model/family';
import { bareContainerId, indexPodInfo, lookupPodInfo, parsePodInfo } from '../../src/kube/podInfoSource';
import { recordingLog } from '../support/neFixtures';
import { fixture } from '../support/paths';
import { poll } from '../support/servers';
import { thrown } from '../support/thrown';

const POD_DIR = 'sys/fs/cgroup/kubepods.slice/kubepods-besteffort.slice/kubepods-besteffort-pod7a6b5c4d_3e2f_4a1b_9c8d_7e6f5a4b3c2d.slice';
const POD_UID = '7a6b5c4d-3e2f-4a1b-9c8d-7e6f5a4b3c2d';
/** A containerd container of that pod whose runtime files are absent: only the endpoint can name it. */
const BARE_ID = 'b0'.repeat(32);

/** The documented answer of GET /v1/ksm/getPodInfoByNodeName for node n1. */
const answer = {
  nodeName: 'n1',
  pods: [
    {
      name: 'batch-7',
      namespace: 'jobs',
      uid: POD_UID,
      phase: 'Running',
      podIP: '10.1.0.7',
      hostIP: '192.168.0.1',
      nodeName: 'n1',
      labels: { app: 'batch' },
      ownerKind: 'Job',
      ownerName: 'batch-28000000',
      workloadKind: 'CronJob',
      workloadName: 'batch',
      containers: [{ name: 'worker', image: 'busybox:1', containerId: `containerd://${BARE_ID}`, restartCount: 0, ready: true, state: 'running' }],
    },
  ],
};

describe('parsePodInfo', () => {
  it('reads the documented schema and ignores fields it does not need', () => {
    expect(parsePodInfo(JSON.stringify(answer))).toEqual({
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
    const look = lookupPodInfo(indexPodInfo(parsePodInfo(JSON.stringify(answer))));
    expect(look(POD_UID, BARE_ID)).toEqual({ pod: 'batch-7', namespace: 'jobs', container: 'worker' });
    expect(look(POD_UID, '')).toEqual({ pod: 'batch-7', namespace: 'jobs', container: '' });
    expect(look(POD_UID, 'ffff')).toEqual({ pod: 'batch-7', namespace: 'jobs', container: '' });
    expect(look('other', '')).toBeUndefined();
  });
});

describe('container collector with --collector.container.pod-info-url (fixture cgroup tree, an HTTP server of the documented schema)', () => {
  let server: Server;
  let url: string;
  let up = true;
  const queries: string[] = [];
  let root: string;
  beforeAll(async () => {
    server = createServer((req, res) => {
      queries.push(req.url ?? '');
      if (!up) {
        res.writeHead(503, { 'retry-after': '1' }).end('{"error":"not synced"}');
        return;
      }
      res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify(answer));
    });
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    url = `http://127.0.0.1:${(server.address() as { port: number }).port}/v1/ksm/getPodInfoByNodeName`;
    root = join(mkdtempSync(join(tmpdir(), 'rxp-podinfo-')), 'v2');
    cpSync(fixture('cgroup', 'v2'), root, { recursive: true, verbatimSymlinks: true });
    // A containerd container without runtime files next to the CRI-O one.
    cpSync(join(root, POD_DIR, `crio-${'c0ffee00'.repeat(8)}.scope`), join(root, POD_DIR, `cri-containerd-${BARE_ID}.scope`), { recursive: true });
  });
  const stops: (() => void)[] = [];
  afterAll(async () => {
    for (const s of stops) s();
    await new Promise((r) => server.close(r));
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
    const fromFlags = containerDefinition.create({ maxContainers: 1000, podInfoUrl: url, podInfoRefresh: 60_000 }, { isEnabled: () => true, nodeName: 'n2' }) as ReturnType<typeof createContainerCollector>;
    stops.push(() => fromFlags.stop());
    await firstValueFrom(fromFlags.collect(ctx).pipe(toArray()));
    await poll(async () => (queries.includes('/v1/ksm/getPodInfoByNodeName?nodeName=n2') ? true : undefined), 10_000, 'the query of n2');
    // Scrapes do not fetch: 20 collections in a row add only the refreshes of the time they took.
    const [before, t0] = [queries.length, Date.now()];
    for (let i = 0; i < 20; i++) await labelsOf('x');
    expect(queries.length - before).toBeLessThanOrEqual(Math.ceil((Date.now() - t0) / 1000) + 1);
    // The endpoint fails (503 before KSM's first LIST): the last answer holds, one warning.
    up = false;
    const failedAt = queries.length;
    await poll(async () => (queries.length >= failedAt + 2 ? true : undefined), 10_000, 'two failed refreshes');
    expect(await labelsOf(`cri-containerd-${BARE_ID}.scope`)).toMatchObject({ pod: 'batch-7', container: 'worker' });
    expect(log.lines.filter((l) => l.message === 'pod-info endpoint failed; keeping the last answer')).toHaveLength(1);
    up = true;
    await poll(async () => (log.lines.some((l) => l.message === 'pod-info endpoint answers again') ? true : undefined), 10_000, 'recovery logged');
  });
});
