import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { firstValueFrom } from 'rxjs';
import { startAgent, type ServingAgent } from '../../src/agent';
import { parseResources } from '../../src/collectors/ksm';
import { loadConfig } from '../../src/config/load';
import { encodeText } from '../../src/encode/text';
import { silentLog } from '../../src/log/types';
import { KSM_RESOURCES, type KubeObject } from '../../src/ksm/types';
import { startKubeApiServer, type KubeApiServer } from '../support/kubeApiServer';
import { writeKubeconfig } from '../support/kubeconfig';
import { cliPath } from '../support/paths';
import { thrown } from '../support/thrown';

/** A small cluster: a node, a namespace, a Deployment's pod, a CronJob's pod and a bare pod on n1, one pod on n2. */
function seed(api: KubeApiServer): void {
  api.put('nodes', { metadata: { name: 'n1' }, status: { conditions: [{ type: 'Ready', status: 'True' }] } });
  api.put('namespaces', { metadata: { name: 'shop' }, status: { phase: 'Active' } });
  api.put('deployments', { metadata: { name: 'web', namespace: 'shop' }, spec: { replicas: 1 }, status: { replicas: 1 } });
  api.put('replicasets', { metadata: { name: 'web-5d8f', namespace: 'shop', ownerReferences: [{ kind: 'Deployment', name: 'web', controller: true }] }, spec: { replicas: 1 } });
  api.put('cronjobs', { metadata: { name: 'nightly', namespace: 'shop' }, spec: { schedule: '0 3 * * *' } });
  api.put('jobs', { metadata: { name: 'nightly-2900', namespace: 'shop', ownerReferences: [{ kind: 'CronJob', name: 'nightly', controller: true }] }, spec: {} });
  const pod = (name: string, node: string, owner?: { kind: string; name: string }): KubeObject => ({
    metadata: { name, namespace: 'shop', uid: `uid-${name}`, labels: { app: name }, ownerReferences: owner ? [{ ...owner, controller: true }] : undefined },
    spec: { nodeName: node, containers: [{ name: 'main', image: `${name}:1` }] },
    status: {
      phase: 'Running',
      podIP: '10.1.0.5',
      hostIP: '192.168.0.1',
      containerStatuses: [{ name: 'main', containerID: `containerd://${name}`, restartCount: 2, ready: true, state: { running: { startedAt: '2026-01-01T00:00:00Z' } } }],
    },
  });
  api.put('pods', pod('web-5d8f-abcde', 'n1', { kind: 'ReplicaSet', name: 'web-5d8f' }));
  api.put('pods', pod('nightly-2900-xyz', 'n1', { kind: 'Job', name: 'nightly-2900' }));
  api.put('pods', pod('bare', 'n1'));
  api.put('pods', pod('other', 'n2', { kind: 'StatefulSet', name: 'db' }));
}

describe('ksm collector and the pod-info endpoint', () => {
  let api: KubeApiServer;
  let dir: string;
  let serving: ServingAgent | undefined;
  beforeEach(async () => {
    api = await startKubeApiServer();
    dir = mkdtempSync(join(tmpdir(), 'rxp-ksm-'));
  });
  afterEach(async () => {
    if (serving) {
      await serving.agent.stop(500);
      serving.server.closeAllConnections();
      await new Promise((r) => serving!.server.close(r));
      serving = undefined;
    }
    await api.close();
    rmSync(dir, { recursive: true, force: true });
  });

  const start = async (extra: Record<string, unknown> = {}) => {
    const config = loadConfig({
      values: { global: { appName: 't' }, web: { listenAddress: '127.0.0.1:0' }, kube: { config: writeKubeconfig(dir, api.url) }, ...extra },
      args: ['--collector.disable-defaults', '--collector.ksm', '--collector.loadavg'],
    });
    serving = await startAgent({ config, run: 'in-thread' });
    return serving;
  };
  const get = (path: string) => fetch(`http://127.0.0.1:${serving!.port}${path}`);
  const scrapeText = async () => encodeText(serving!.agent.exposition(await firstValueFrom(serving!.agent.scrape())));

  it('serves the families of every resource from the cache, and follows changes without calling the API on a scrape', async () => {
    seed(api);
    await start();
    const text = await scrapeText();
    expect(text).toContain('node_scrape_collector_success{collector="ksm"} 1\n');
    expect(text).toMatch(/kube_pod_info\{created_by_kind="",created_by_name="",.*,namespace="shop",node="n1",pod="bare",.*uid="uid-bare"\} 1\n/);
    expect(text).toContain('kube_deployment_spec_replicas{deployment="web",namespace="shop"} 1\n');
    expect(text).toContain('kube_node_status_condition{condition="Ready",node="n1",status="true"} 1\n');
    expect(text).toContain('# HELP kube_namespace_status_phase');
    const calls = api.requests.length;
    await scrapeText();
    expect(api.requests.length).toBe(calls); // the scrape read the cache only
    api.remove('pods', 'shop', 'bare');
    for (let i = 0; i < 100 && (await scrapeText()).includes('pod="bare"'); i++) await new Promise((r) => setTimeout(r, 50));
    expect(await scrapeText()).not.toContain('pod="bare"');
  });

  it('fails the cycle (success 0, one line) while a resource has not synced, and the other collectors go on', async () => {
    seed(api);
    api.hang(/^GET \/apis\/batch\/v1\/cronjobs/);
    await start({ collect: { timeout: '1s' }, kube: { config: writeKubeconfig(dir, api.url), requestTimeout: '300ms' } });
    const text = await scrapeText();
    expect(text).toContain('node_scrape_collector_success{collector="ksm"} 0\n');
    expect(text).toContain('node_scrape_collector_success{collector="loadavg"} 1\n');
    // The synced resources are still served.
    expect(text).toContain('kube_deployment_spec_replicas{deployment="web",namespace="shop"} 1\n');
    expect(text).not.toContain('kube_cronjob_info');
    api.hang(false);
    for (let i = 0; i < 100 && (await scrapeText()).includes('collector="ksm"} 0'); i++) await new Promise((r) => setTimeout(r, 100));
    expect(await scrapeText()).toContain('kube_cronjob_info{concurrency_policy="",cronjob="nightly",namespace="shop",schedule="0 3 * * *",timezone="local"} 1\n');
  });

  it('answers pod-info for a node with workloads resolved, [] for an unknown node, 400 without nodeName', async () => {
    seed(api);
    await start();
    await scrapeText(); // the first collection waits for the first LISTs
    const r = await get('/v1/ksm/getPodInfoByNodeName?nodeName=n1');
    expect(r.status).toBe(200);
    expect(r.headers.get('content-type')).toBe('application/json');
    const body = (await r.json()) as { nodeName: string; pods: Record<string, unknown>[] };
    expect(body.nodeName).toBe('n1');
    expect(body.pods.map((p) => [p.name, p.ownerKind, p.ownerName, p.workloadKind, p.workloadName])).toEqual([
      ['bare', '', '', '', ''],
      ['nightly-2900-xyz', 'Job', 'nightly-2900', 'CronJob', 'nightly'],
      ['web-5d8f-abcde', 'ReplicaSet', 'web-5d8f', 'Deployment', 'web'],
    ]);
    expect(body.pods[0]).toEqual({
      name: 'bare',
      namespace: 'shop',
      uid: 'uid-bare',
      phase: 'Running',
      podIP: '10.1.0.5',
      hostIP: '192.168.0.1',
      nodeName: 'n1',
      labels: { app: 'bare' },
      ownerKind: '',
      ownerName: '',
      workloadKind: '',
      workloadName: '',
      containers: [{ name: 'main', image: 'bare:1', containerId: 'containerd://bare', restartCount: 2, ready: true, state: 'running' }],
    });
    const unknown = await get('/v1/ksm/getPodInfoByNodeName?nodeName=nowhere');
    expect(unknown.status).toBe(200);
    expect(await unknown.json()).toEqual({ nodeName: 'nowhere', pods: [] });
    const bad = await get('/v1/ksm/getPodInfoByNodeName');
    expect(bad.status).toBe(400);
    expect(await bad.json()).toEqual({ error: 'missing query parameter nodeName' });
  });

  it('answers pod-info 503 with Retry-After until the first LIST of pods has completed', async () => {
    seed(api);
    api.hang(/^GET \/api\/v1\/pods/);
    await start({ collect: { timeout: '500ms' }, kube: { config: writeKubeconfig(dir, api.url), requestTimeout: '300ms' } });
    const r = await get('/v1/ksm/getPodInfoByNodeName?nodeName=n1');
    expect(r.status).toBe(503);
    expect(r.headers.get('retry-after')).toBe('5');
    expect(((await r.json()) as { error: string }).error).toMatch(/not synced/);
    api.hang(false);
    let status = 503;
    for (let i = 0; i < 100 && status === 503; i++) {
      status = (await get('/v1/ksm/getPodInfoByNodeName?nodeName=n1')).status;
      if (status === 503) await new Promise((res) => setTimeout(res, 50));
    }
    expect(status).toBe(200);
  });

  it('reports a kubeconfig that cannot be read as a failed cycle, not a dead agent', async () => {
    const config = loadConfig({
      values: { global: { appName: 't' }, web: { listenAddress: '127.0.0.1:0' }, kube: { config: join(dir, 'missing') } },
      args: ['--collector.disable-defaults', '--collector.ksm', '--collector.loadavg'],
    });
    const warnings: string[] = [];
    const log = { ...silentLog, warn: (m: string, f?: Record<string, unknown>) => void warnings.push(`${m} ${JSON.stringify(f)}`) };
    serving = await startAgent({ config, run: 'in-thread', log });
    const text = await scrapeText();
    expect(text).toContain('node_scrape_collector_success{collector="ksm"} 0\n');
    expect(text).toContain('node_scrape_collector_success{collector="loadavg"} 1\n');
    // Each cycle's log line names the cause (a retry started by the cycle used to hide it).
    await scrapeText();
    const failed = warnings.filter((w) => w.startsWith('collector failed') && w.includes('"collector":"ksm"'));
    expect(failed.length).toBeGreaterThanOrEqual(2);
    for (const w of failed) expect(w).toContain(`kubeconfig ${join(dir, 'missing')}: cannot read`);
  });

  it('prints the cluster with rxporter --once (waits for the first LISTs, runs the collector on the main thread)', async () => {
    seed(api);
    const kc = writeKubeconfig(dir, api.url);
    const child = spawn(process.execPath, [cliPath(), '--once', '--global.app-name=t', '--collector.disable-defaults', '--collector.ksm', '--collector.loadavg', `--kube.config=${kc}`], {
      env: { PATH: process.env.PATH },
    });
    let out = '';
    let err = '';
    child.stdout.on('data', (c: Buffer) => (out += c.toString()));
    child.stderr.on('data', (c: Buffer) => (err += c.toString()));
    const code = await new Promise<number | null>((resolve) => child.once('exit', resolve));
    expect({ code, err }).toEqual({ code: 0, err: expect.any(String) });
    expect(out).toContain('node_scrape_collector_success{collector="ksm"} 1\n');
    expect(out).toContain('node_scrape_collector_success{collector="loadavg"} 1\n'); // from the worker thread, merged
    expect(out).toMatch(/kube_pod_info\{.*,node="n2",pod="other",/);
  });
});

describe('parseResources', () => {
  it('keeps KSM order, ignores spaces and names an unknown resource', () => {
    expect(parseResources(' pods, nodes ,')).toEqual(['nodes', 'pods']);
    expect(thrown(() => parseResources('pods,ingresses'))).toMatchObject({ code: 'RXP_CONFIG', message: expect.stringMatching(/--collector\.ksm\.resources: unknown resource "ingresses"/) });
  });

  it('takes an empty list as the default set, as kube-state-metrics does (never a collector watching nothing)', () => {
    expect(parseResources('')).toEqual([...KSM_RESOURCES]);
    expect(parseResources(' , ')).toEqual([...KSM_RESOURCES]);
  });
});
