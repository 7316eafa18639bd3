import { request } from 'node:http';
import { of } from 'rxjs';
import { startDaemon, type Daemon } from '../../src/cli/daemon';
import type { Collector } from '../../src/collectors/types';
import { loadConfig, type RxporterConfig } from '../../src/config/load';
import { silentLog } from '../../src/log/types';
import { gauge } from '../../src/model/family';
import { RELOAD_MAX_BODY } from '../../src/server/lifecycle';

const one: Collector = { name: 'one', defaultEnabled: true, collect: () => of(gauge('node_one', 'One.', [{ labels: {}, value: 1 }])) };

/** Sends a request with `body` written as given (a declared Content-Length may promise more); resolves with the answer. */
const send = (port: number, method: string, o: { body?: Buffer; headers?: Record<string, string>; keepOpen?: boolean } = {}) =>
  new Promise<{ status: number; text: string; connection?: string }>((resolve, reject) => {
    const req = request({ host: '127.0.0.1', port, method, path: '/-/reload', headers: o.headers, agent: false }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => {
        resolve({ status: res.statusCode ?? 0, text: Buffer.concat(chunks).toString(), connection: res.headers.connection });
        req.destroy();
      });
    });
    req.on('error', reject);
    if (o.body) req.write(o.body);
    // keepOpen: the client never finishes its body; only an answer that does not wait for it arrives.
    if (!o.keepOpen) req.end();
  });

const values = (lifecycle: boolean, extra: Record<string, unknown> = {}) => ({
  global: { appName: 't', nodeName: 'n1' },
  web: { listenAddress: '127.0.0.1:0', enableLifecycle: lifecycle, ...extra },
  collect: { interval: '1h' },
});

describe('POST /-/reload', () => {
  let off: Daemon;
  let on: Daemon;
  let next: () => RxporterConfig;
  beforeAll(async () => {
    off = await startDaemon(loadConfig({ values: values(false) }), silentLog, { collectors: [one], loadConfig: () => loadConfig({ values: values(false) }) });
    next = () => loadConfig({ values: values(true) });
    on = await startDaemon(loadConfig({ values: values(true) }), silentLog, { collectors: [one], loadConfig: () => next() });
  });
  afterAll(async () => {
    await Promise.all([off.shutdown(2000), on.shutdown(2000)]);
  });

  it('answers 403 without web.enableLifecycle, as Prometheus does', async () => {
    expect(await send(off.port, 'POST')).toMatchObject({ status: 403, text: 'Lifecycle API is not enabled.\n' });
    expect(await send(off.port, 'PUT')).toMatchObject({ status: 403 });
  });

  it('answers 405 to a GET, enabled or not', async () => {
    for (const d of [off, on]) expect(await send(d.port, 'GET')).toMatchObject({ status: 405, text: 'Only POST or PUT requests allowed\n' });
  });

  it('reloads and answers 200; the server reads the reloaded web settings', async () => {
    const before = await (await fetch(`http://127.0.0.1:${on.port}/metrics`)).text();
    expect(before).not.toContain('nodeName="n1"');
    next = () => loadConfig({ values: values(true, { baseLabels: true }) });
    expect(await send(on.port, 'POST')).toEqual({ status: 200, text: '', connection: 'close' });
    const after = await (await fetch(`http://127.0.0.1:${on.port}/metrics`)).text();
    expect(after).toContain('node_one{masterIp="",nodeName="n1"} 1');
    expect(after).toMatch(/^rxporter_config_last_reload_successful\{masterIp="",nodeName="n1"\} 1$/m);
  });

  it('answers 500 with the error text for an invalid config and keeps the running one', async () => {
    next = () => loadConfig({ values: { ...values(true), collect: { interval: 'soon' } } });
    const r = await send(on.port, 'POST');
    expect(r.status).toBe(500);
    expect(r.text).toMatch(/^failed to reload config: collect\.interval: must be a duration such as 30s/);
    const text = await (await fetch(`http://127.0.0.1:${on.port}/metrics`)).text();
    expect(text).toMatch(/^rxporter_config_last_reload_successful\{masterIp="",nodeName="n1"\} 0$/m);
    expect(on.agent.config.collect.interval).toBe(3_600_000);
  });

  it('answers 413 to a declared oversized body without waiting for it', async () => {
    // 10 MB promised, 100 bytes sent, never finished: the answer comes anyway.
    const r = await send(on.port, 'POST', { headers: { 'Content-Length': String(10 << 20) }, body: Buffer.alloc(100), keepOpen: true });
    expect(r).toMatchObject({ status: 413, connection: 'close' });
    expect(r.text).toContain(`at most ${RELOAD_MAX_BODY} bytes`);
  });

  it('answers 413 to a chunked body once it passes the cap, without reading the rest', async () => {
    const r = await send(on.port, 'POST', { headers: { 'Transfer-Encoding': 'chunked' }, body: Buffer.alloc(RELOAD_MAX_BODY + 1), keepOpen: true });
    expect(r).toMatchObject({ status: 413, connection: 'close' });
  });

  it('accepts a small body', async () => {
    next = () => loadConfig({ values: values(true) });
    expect(await send(on.port, 'POST', { body: Buffer.from('{}'), headers: { 'Content-Type': 'application/json' } })).toMatchObject({ status: 200 });
  });
});
