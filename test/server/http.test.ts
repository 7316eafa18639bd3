import { gunzipSync } from 'node:zlib';
import { request } from 'node:http';
import { defer, timer, map } from 'rxjs';
import { startDaemon, type Daemon } from '../../src/cli/daemon';
import type { Collector } from '../../src/collectors/types';
import { loadConfig } from '../../src/config/load';
import { silentLog } from '../../src/log/types';
import { gauge } from '../../src/model/family';

/** A collector whose scrape takes `ms` and counts its runs. */
const slowCollector = (ms: number, runs: { n: number }): Collector => ({
  name: 'slow',
  defaultEnabled: true,
  collect: () =>
    defer(() => {
      runs.n++;
      return timer(ms).pipe(map(() => gauge('node_slow', 'Slow "thing"\\.', [{ labels: { a: 'x\ny' }, value: 1.5e10 }])));
    }),
});

const raw = (port: number, method: string, path: string, headers: Record<string, string> = {}, fresh = false) =>
  new Promise<{ status: number; headers: Record<string, string | string[] | undefined>; body: Buffer }>((resolve, reject) => {
    const req = request({ host: '127.0.0.1', port, method, path, headers, ...(fresh ? { agent: false } : {}) }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body: Buffer.concat(chunks) }));
    });
    req.on('error', reject);
    req.end();
  });

describe('metrics HTTP server', () => {
  let d: Daemon;
  const runs = { n: 0 };
  beforeAll(async () => {
    const config = loadConfig({ values: { global: { appName: 't', nodeName: 'n1' }, web: { listenAddress: '127.0.0.1:0' }, collect: { interval: '1h' } } });
    d = await startDaemon(config, silentLog, { collectors: [slowCollector(300, runs)] });
    await new Promise((r) => setTimeout(r, 400)); // let the startup collection finish
  });
  afterAll(async () => {
    await d.shutdown(2000);
  });

  it('serves the text format 0.0.4 on GET /metrics', async () => {
    const r = await raw(d.port, 'GET', '/metrics');
    expect(r.status).toBe(200);
    expect(r.headers['content-type']).toBe('text/plain; version=0.0.4; charset=utf-8');
    const body = r.body.toString();
    expect(body).toContain('# HELP node_slow Slow "thing"\\\\.\n# TYPE node_slow gauge\nnode_slow{a="x\\ny"} 1.5e+10\n');
    expect(body).toContain('node_scrape_collector_success{collector="slow"} 1');
    expect(body).toContain('# TYPE rxporter_collections_skipped_total counter');
    expect(body).toContain('promhttp_metric_handler_requests_in_flight 1\n');
    expect(body).toMatch(/promhttp_metric_handler_requests_total\{code="200"\} \d+\n/);
    expect(body).not.toContain('nodeName');
  });

  it('serves OpenMetrics when the Accept header asks for it', async () => {
    const r = await raw(d.port, 'GET', '/metrics', { Accept: 'application/openmetrics-text;version=1.0.0,text/plain;q=0.5' });
    expect(r.headers['content-type']).toBe('application/openmetrics-text; version=1.0.0; charset=utf-8');
    const body = r.body.toString();
    expect(body.endsWith('# EOF\n')).toBe(true);
    expect(body).toContain('# TYPE rxporter_collections_skipped counter\n');
    expect(body).toContain('rxporter_collections_skipped_total ');
  });

  it('gzips when the client accepts it', async () => {
    const r = await raw(d.port, 'GET', '/metrics', { 'Accept-Encoding': 'gzip' });
    expect(r.headers['content-encoding']).toBe('gzip');
    expect(Number(r.headers['content-length'])).toBe(r.body.length);
    expect(gunzipSync(r.body).toString()).toContain('node_slow{a="x\\ny"} 1.5e+10');
  });

  it('answers HEAD with the headers and no body', async () => {
    const r = await raw(d.port, 'HEAD', '/metrics');
    expect(r.status).toBe(200);
    expect(Number(r.headers['content-length'])).toBeGreaterThan(0);
    expect(r.body.length).toBe(0);
  });

  it('has a landing page linking to /metrics, 404 elsewhere and 405 for other methods', async () => {
    const home = await raw(d.port, 'GET', '/');
    expect(home.status).toBe(200);
    expect(home.body.toString()).toContain('<a href="/metrics">');
    expect((await raw(d.port, 'GET', '/nope')).status).toBe(404);
    const post = await raw(d.port, 'POST', '/metrics');
    expect(post.status).toBe(405);
    expect(post.headers.allow).toBe('GET, HEAD');
  });

  it('lets concurrent scrapes share one collection', async () => {
    const before = runs.n;
    const rs = await Promise.all([1, 2, 3, 4].map(() => raw(d.port, 'GET', '/metrics')));
    expect(rs.map((r) => r.status)).toEqual([200, 200, 200, 200]);
    expect(runs.n - before).toBe(1);
  });
});

describe('daemon shutdown', () => {
  it('lets a response in flight finish, then closes the server', async () => {
    const config = loadConfig({ values: { global: { appName: 't' }, web: { listenAddress: '127.0.0.1:0' }, collect: { interval: '1h' } } });
    const runs = { n: 0 };
    const d = await startDaemon(config, silentLog, { collectors: [slowCollector(500, runs)] });
    await new Promise((r) => setTimeout(r, 600));
    const inFlight = raw(d.port, 'GET', '/metrics');
    await new Promise((r) => setTimeout(r, 100));
    const done = await d.shutdown(4000);
    const r = await inFlight;
    expect(done).toBe(true);
    expect(r.status).toBe(200);
    expect(r.body.toString()).toContain('node_slow');
    await expect(raw(d.port, 'GET', '/metrics', {}, true)).rejects.toThrow(/ECONNREFUSED/);
  });

  it('adds the base labels to /metrics when web.baseLabels is on', async () => {
    const config = loadConfig({
      values: { global: { appName: 't', nodeName: 'node-7', masterIp: '10.1.2.3' }, web: { listenAddress: '127.0.0.1:0', baseLabels: true }, collect: { interval: '1h' } },
    });
    const d = await startDaemon(config, silentLog, { collectors: [slowCollector(1, { n: 0 })] });
    const r = await raw(d.port, 'GET', '/metrics');
    await d.shutdown(2000);
    expect(r.body.toString()).toContain('node_slow{a="x\\ny",masterIp="10.1.2.3",nodeName="node-7"} 1.5e+10');
  });
});
