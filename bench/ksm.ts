/**
 * ksm collector benchmark (issue 12's targets): a fixture cluster of 5 000 pods on 100 nodes
 * (with their ReplicaSets and Deployments) served by test/support/kubeApiServer.ts in a child
 * process; this process runs an agent with only the ksm collector and reports the RSS its
 * caches add once synced, the /metrics time (median) and the pod-info answer time for one node
 * (p50), both over HTTP on 127.0.0.1, and the CPU milliseconds this process spends per scrape
 * (median; steadier than the wall time on a busy machine). Figures, not assertions:
 * `node dist/bench/ksm.js [--pods N] [--nodes N] [--runs N]` (`--expose-gc` makes the RSS steadier).
 */
import { spawn } from 'node:child_process';
import { get } from 'node:http';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { firstValueFrom } from 'rxjs';
import type { KubeObject } from '../src/ksm/types';

const arg = (name: string, def: number): number => {
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 ? Number(process.argv[i + 1]) : def;
};
const PODS = arg('pods', 5000);
const NODES = arg('nodes', 100);
const RUNS = arg('runs', 20);

/** A pod as a kubelet reports it: two containers with statuses, labels, a ReplicaSet owner, requests and limits. */
function pod(i: number): KubeObject {
  const app = `app-${i % 250}`;
  const ns = `ns-${i % 50}`;
  const container = (name: string) => ({
    name,
    image: `registry.example/${app}/${name}:1.${i % 7}`,
    resources: { requests: { cpu: '100m', memory: '128Mi' }, limits: { cpu: '500m', memory: '256Mi' } },
    ports: [{ containerPort: 8080, protocol: 'TCP' }],
  });
  const status = (name: string) => ({
    name,
    containerID: `containerd://${i.toString(16).padStart(8, '0')}${name.padEnd(56, '0')}`,
    image: `registry.example/${app}/${name}:1.${i % 7}`,
    imageID: `registry.example/${app}/${name}@sha256:${'a'.repeat(64)}`,
    ready: true,
    restartCount: i % 3,
    started: true,
    state: { running: { startedAt: '2026-11-01T10:00:00Z' } },
  });
  return {
    metadata: {
      name: `${app}-5d8f9c-${i}`,
      namespace: ns,
      uid: `00000000-0000-0000-0000-${String(i).padStart(12, '0')}`,
      labels: { app, 'pod-template-hash': '5d8f9c', team: `t${i % 9}` },
      annotations: { 'kubectl.kubernetes.io/restartedAt': '2026-11-01T10:00:00Z' },
      ownerReferences: [{ apiVersion: 'apps/v1', kind: 'ReplicaSet', name: `${app}-5d8f9c`, uid: `rs-${app}`, controller: true }],
      creationTimestamp: '2026-11-01T09:59:00Z',
    },
    spec: { nodeName: `node-${i % NODES}`, containers: [container('main'), container('sidecar')], serviceAccountName: 'default', priorityClassName: '' },
    status: {
      phase: 'Running',
      podIP: `10.${(i >> 16) & 255}.${(i >> 8) & 255}.${i & 255}`,
      hostIP: `192.168.${Math.floor((i % NODES) / 250)}.${(i % NODES) % 250}`,
      qosClass: 'Burstable',
      startTime: '2026-11-01T09:59:01Z',
      conditions: ['Initialized', 'Ready', 'ContainersReady', 'PodScheduled'].map((type) => ({ type, status: 'True', lastTransitionTime: '2026-11-01T10:00:00Z' })),
      containerStatuses: [status('main'), status('sidecar')],
    },
  };
}

/** Child mode: serve the fixture cluster, print the URL, run until stdin closes. */
async function serve(): Promise<void> {
  const { startKubeApiServer } = await import('../test/support/kubeApiServer');
  const api = await startKubeApiServer({ bookmarkMs: 60_000 });
  for (let n = 0; n < NODES; n++) {
    api.put('nodes', { metadata: { name: `node-${n}`, labels: { 'kubernetes.io/hostname': `node-${n}` } }, status: { capacity: { cpu: '8', memory: '32Gi', pods: '110' }, allocatable: { cpu: '7800m', memory: '30Gi', pods: '110' }, conditions: [{ type: 'Ready', status: 'True' }] } });
  }
  for (let ns = 0; ns < 50; ns++) api.put('namespaces', { metadata: { name: `ns-${ns}` }, status: { phase: 'Active' } });
  for (let a = 0; a < 250; a++) {
    const app = `app-${a}`;
    for (const ns of new Set(Array.from({ length: Math.ceil(PODS / 250) }, (_, k) => `ns-${(a + k * 250) % 50}`))) {
      api.put('deployments', { metadata: { name: app, namespace: ns }, spec: { replicas: 20 }, status: { replicas: 20, readyReplicas: 20 } });
      api.put('replicasets', { metadata: { name: `${app}-5d8f9c`, namespace: ns, ownerReferences: [{ kind: 'Deployment', name: app, controller: true }] }, spec: { replicas: 20 }, status: { replicas: 20 } });
    }
  }
  for (let i = 0; i < PODS; i++) api.put('pods', pod(i));
  process.stdout.write(`${api.url}\n`);
  process.stdin.resume();
  process.stdin.on('end', () => void api.close().then(() => process.exit(0)));
}

const rssMb = (): number => {
  (globalThis as { gc?: () => void }).gc?.();
  return process.memoryUsage().rss / 2 ** 20;
};
const percentile = (xs: number[], p: number): number => xs.slice().sort((a, b) => a - b)[Math.min(xs.length - 1, Math.floor(xs.length * p))];

/** GETs `url` as Prometheus does (gzip accepted) with node:http, counting the bytes without decoding them: the client costs next to nothing. */
function timed(url: string): Promise<{ ms: number; cpuMs: number; bytes: number; status: number }> {
  const t = performance.now();
  const cpu = process.cpuUsage();
  return new Promise((resolve, reject) => {
    get(url, { headers: { 'accept-encoding': 'gzip' } }, (res) => {
      let bytes = 0;
      res.on('data', (c: Buffer) => (bytes += c.length));
      res.on('end', () => {
        const d = process.cpuUsage(cpu);
        resolve({ ms: performance.now() - t, cpuMs: (d.user + d.system) / 1000, bytes, status: res.statusCode ?? 0 });
      });
      res.on('error', reject);
    }).on('error', reject);
  });
}

async function main(): Promise<void> {
  const child = spawn(process.execPath, [__filename, '--serve', '--pods', String(PODS), '--nodes', String(NODES)], { stdio: ['pipe', 'pipe', 'inherit'] });
  const url = await new Promise<string>((resolve) => child.stdout.once('data', (c: Buffer) => resolve(c.toString().trim())));
  const dir = mkdtempSync(join(tmpdir(), 'rxp-bench-ksm-'));
  const kubeconfig = join(dir, 'kubeconfig');
  writeFileSync(kubeconfig, `apiVersion: v1\nkind: Config\ncurrent-context: b\nclusters: [{name: c, cluster: {server: "${url}"}}]\nusers: [{name: u, user: {}}]\ncontexts: [{name: b, context: {cluster: c, user: u}}]\n`);
  try {
    const { loadConfig } = await import('../src/config/load');
    const { startAgent } = await import('../src/agent');
    const config = loadConfig({
      values: { global: { appName: 'bench' }, web: { listenAddress: '127.0.0.1:0' }, kube: { config: kubeconfig }, collect: { timeout: '60s' } },
      args: ['--collector.disable-defaults', '--collector.ksm'],
    });
    // undici and the stores' code loaded before the baseline, so the difference is the caches.
    require('undici');
    require('../src/ksm/stores');
    const base = rssMb();
    const t0 = performance.now();
    const serving = await startAgent({ config, run: 'in-thread' });
    const first = await firstValueFrom(serving.agent.scrape());
    const syncMs = performance.now() - t0;
    const ksm = first.results.find((r) => r.collector === 'ksm');
    const synced = rssMb();
    const metrics = `http://127.0.0.1:${serving.port}${config.web.telemetryPath}`;
    const podInfo = `http://127.0.0.1:${serving.port}/v1/ksm/getPodInfoByNodeName?nodeName=node-7`;
    await timed(metrics); // warm-up
    const m = [];
    for (let i = 0; i < RUNS; i++) m.push(await timed(metrics));
    const p = [];
    for (let i = 0; i < RUNS * 10; i++) p.push(await timed(podInfo));
    const after = rssMb();
    console.log(`fixture: ${PODS} pods on ${NODES} nodes (+ replicasets, deployments, namespaces); ksm success ${ksm?.success ? 1 : 0}`);
    console.log(`first LISTs + first collection: ${syncMs.toFixed(0)} ms`);
    console.log(`RSS: ${base.toFixed(0)} MB before, ${synced.toFixed(0)} MB synced (caches +${(synced - base).toFixed(0)} MB), ${after.toFixed(0)} MB after the scrapes`);
    console.log(`/metrics: ${m[0].bytes} bytes gzipped, p50 ${percentile(m.map((x) => x.ms), 0.5).toFixed(1)} ms, max ${Math.max(...m.map((x) => x.ms)).toFixed(1)} ms (${RUNS} scrapes); CPU of this process p50 ${percentile(m.map((x) => x.cpuMs), 0.5).toFixed(1)} ms per scrape (less sensitive to a busy machine)`);
    console.log(`pod-info node-7: ${p[0].bytes} bytes, p50 ${percentile(p.map((x) => x.ms), 0.5).toFixed(2)} ms, p99 ${percentile(p.map((x) => x.ms), 0.99).toFixed(2)} ms (${p.length} requests)`);
    await serving.agent.stop(500);
    serving.server.closeAllConnections();
    serving.server.close();
  } finally {
    child.stdin.end();
    rmSync(dir, { recursive: true, force: true });
  }
}

if (process.argv.includes('--serve')) void serve();
else
  main().catch((e: unknown) => {
    console.error(e);
    process.exit(1);
  });
