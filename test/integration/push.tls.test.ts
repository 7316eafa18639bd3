import { copyFileSync, mkdirSync, mkdtempSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { poll, startPrometheus, startPushgateway, startVictoriaMetrics, startVmauth, type RealServer } from '../support/servers';
import { bcryptHash, makePki, startConnectProxy, tlsRequest, type ConnectProxy, type Pki, type TlsClient } from '../support/tls';
import { firstValueFrom } from 'rxjs';
import { createHttpClient, HttpError } from '../../src/sinks/http';
import { NO_CLIENT_OPTIONS, type SinkClientOptions } from '../../src/sinks/clientOptions';
import { gapsOrDuplicates, metricValue, points, startAgent, wait, type AgentProcess, type VmSeries } from './pushSupport';

/** Exports the series of `match` from a VictoriaMetrics reached as `c`. */
async function vmExportAs(vm: RealServer, c: TlsClient, match: string): Promise<VmSeries[]> {
  await tlsRequest(`${vm.url}/internal/force_flush`, c);
  const r = await tlsRequest(`${vm.url}/api/v1/export`, c, {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
    body: `match[]=${encodeURIComponent(match)}&start=0`,
  });
  if (r.status !== 200) throw new Error(`export: HTTP ${r.status}: ${r.text}`);
  return r.text
    .split('\n')
    .filter((l) => l.trim() !== '')
    .map((l) => JSON.parse(l) as VmSeries);
}

/** Polls until VictoriaMetrics (reached as `c`) has at least `n` points of `match`; returns their count. */
const waitVmPoints = (vm: RealServer, c: TlsClient, match: string, n: number, what: string): Promise<number> =>
  poll(
    async () => {
      const [s] = await vmExportAs(vm, c, match);
      return s && s.values.length >= n ? s.values.length : undefined;
    },
    30_000,
    what,
    500,
  );

/** Returns the log lines (JSON) of an agent whose message is `msg`. */
const logLines = (agent: AgentProcess, msg: string): Record<string, unknown>[] =>
  agent
    .output()
    .split('\n')
    .filter((l) => l.startsWith('{'))
    .map((l) => JSON.parse(l) as Record<string, unknown>)
    .filter((l) => l.message === msg);

describe('push sinks over TLS with auth (real receivers)', () => {
  let dir: string;
  let pki: Pki;
  const servers: RealServer[] = [];
  let agent: AgentProcess | undefined;
  let proxy: ConnectProxy | undefined;
  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), 'rxp-sinktls-'));
    pki = makePki(dir);
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));
  afterEach(async () => {
    if (agent?.proc.exitCode === null) await agent.kill9();
    agent = undefined;
    await proxy?.close();
    proxy = undefined;
    for (const s of servers.splice(0)) await s.stop();
  });
  const secret = (name: string, text: string): string => {
    const f = join(dir, name);
    writeFileSync(f, text);
    return f;
  };

  it('imports into VictoriaMetrics over HTTPS with basic auth from a password file, verified by the CA, through a CONNECT proxy', async () => {
    const auth = { username: 'rx', password: 'vm-s3cret' };
    const vm = await startVictoriaMetrics({ tls: { certFile: pki.serverCert, keyFile: pki.serverKey, caFile: pki.caCert }, auth });
    servers.push(vm);
    proxy = await startConnectProxy();
    agent = await startAgent([
      '--push.vm.url',
      vm.url,
      '--push.vm.tls.ca-file',
      pki.caCert,
      '--push.vm.basic-auth.username',
      'rx',
      '--push.vm.basic-auth.password-file',
      secret('vm.pass', 'vm-s3cret\n'),
      '--push.vm.proxy-url',
      proxy.url,
      '--global.node-name',
      'tlsnode',
    ]);
    const c = { caFile: pki.caCert, basicAuth: auth };
    await waitVmPoints(vm, c, 'rxporter_collections_total{nodeName="tlsnode"}', 3, 'samples over TLS');
    expect(proxy.connects.length).toBeGreaterThanOrEqual(1);
    expect(new Set(proxy.connects)).toEqual(new Set([`127.0.0.1:${vm.port}`]));
    // Plain HTTP to the same receiver is refused: what arrived came over TLS.
    await expect(fetch(vm.url.replace('https:', 'http:') + '/health')).rejects.toThrow();
    const m = await agent.metrics();
    expect(metricValue(m, 'rxporter_sink_requests_total{code="204",sink="vmagent"}')).toBeGreaterThanOrEqual(1);
    expect(metricValue(m, 'rxporter_sink_requests_total{code="401",sink="vmagent"}')).toBeUndefined();
    expect((await agent.stop()).code).toBe(0);
  });

  it('reports a wrong password as rejected (401, not retried), counted and logged once per batch, and keeps serving', async () => {
    const vm = await startVictoriaMetrics({ tls: { certFile: pki.serverCert, keyFile: pki.serverKey, caFile: pki.caCert }, auth: { username: 'rx', password: 'right' } });
    servers.push(vm);
    agent = await startAgent(['--push.vm.url', vm.url, '--push.vm.tls.ca-file', pki.caCert, '--push.vm.basic-auth.username', 'rx'], {
      env: { RXPORTER_EXPORTER_VMAGENT_BASIC_AUTH_PASSWORD: 'wrong' },
    });
    const m = await poll(
      async () => {
        const text = await agent!.metrics();
        return (metricValue(text, 'rxporter_sink_requests_total{code="401",sink="vmagent"}') ?? 0) >= 3 ? text : undefined;
      },
      20_000,
      'three 401s',
    );
    const requests = metricValue(m, 'rxporter_sink_requests_total{code="401",sink="vmagent"}') ?? 0;
    expect(metricValue(m, 'rxporter_sink_retries_total{sink="vmagent"}')).toBe(0);
    expect(metricValue(m, 'rxporter_sink_batches_dropped_total{reason="rejected",sink="vmagent"}')).toBeGreaterThanOrEqual(requests - 1);
    expect(metricValue(m, 'rxporter_sink_samples_dropped_total{reason="rejected",sink="vmagent"}')).toBeGreaterThan(0);
    expect(metricValue(m, 'node_memory_MemTotal_bytes')).toBeGreaterThan(0);
    const dropped = logLines(agent, 'push batch dropped');
    expect(dropped.length).toBeGreaterThanOrEqual(2);
    for (const l of dropped) expect(l).toMatchObject({ sink: 'vmagent', status: 401, reason: 'rejected' });
    // One line per dropped batch, never one per attempt: batches dropped = lines logged.
    const seqs = dropped.map((l) => l.seq);
    expect(new Set(seqs).size).toBe(seqs.length);
    // The password never appears in the log.
    expect(agent.output()).not.toContain('wrong');
    expect((await agent.stop()).code).toBe(0);
  });

  it('pushes to a Pushgateway that requires a client certificate and bcrypt basic auth, and uses a rotated password file at the next push', async () => {
    const pass = secret('pgw.pass', 'first-pass\n');
    const webConfig = (password: string) =>
      [
        'tls_server_config:',
        `  cert_file: ${pki.serverCert}`,
        `  key_file: ${pki.serverKey}`,
        '  client_auth_type: RequireAndVerifyClientCert',
        `  client_ca_file: ${pki.caCert}`,
        'basic_auth_users:',
        `  rx: '${bcryptHash(password)}'`,
        '',
      ].join('\n');
    const client = (password: string): TlsClient => ({ caFile: pki.caCert, certFile: pki.clientCert, keyFile: pki.clientKey, basicAuth: { username: 'rx', password } });
    const pgw = await startPushgateway({ web: { yaml: webConfig('first-pass'), tls: client('first-pass'), readyAuth: { username: 'rx', password: 'first-pass' } } });
    servers.push(pgw);
    // Without a client certificate the handshake is refused.
    await expect(tlsRequest(`${pgw.url}/-/ready`, { caFile: pki.caCert, basicAuth: { username: 'rx', password: 'first-pass' } })).rejects.toThrow();
    agent = await startAgent([
      '--push.pushgateway.url',
      pgw.url,
      '--push.pushgateway.tls.ca-file',
      pki.caCert,
      '--push.pushgateway.tls.cert-file',
      pki.clientCert,
      '--push.pushgateway.tls.key-file',
      pki.clientKey,
      '--push.pushgateway.basic-auth.username',
      'rx',
      '--push.pushgateway.basic-auth.password-file',
      pass,
      '--global.node-name',
      'pgwnode',
    ]);
    const pushTime = async (password: string): Promise<number | undefined> => {
      const r = await tlsRequest(`${pgw.url}/metrics`, client(password));
      const line = r.text.split('\n').find((l) => l.startsWith('push_time_seconds{') && l.includes('nodeName="pgwnode"'));
      return line ? Number(line.split(' ').pop()) : undefined;
    };
    await poll(() => pushTime('first-pass'), 20_000, 'a push with the first password');
    // Rotate: the receiver takes only the new password (exporter-toolkit re-reads its web config per request), then the file changes.
    writeFileSync(join(pgw.dir, 'web.yml'), webConfig('second-pass'));
    writeFileSync(pass, 'second-pass\n');
    const rotatedAt = Date.now() / 1000;
    await poll(async () => ((await pushTime('second-pass')) ?? 0) > rotatedAt + 0.5 ? true : undefined, 20_000, 'a push with the rotated password');
    const m = await agent.metrics();
    expect(metricValue(m, 'rxporter_sink_requests_total{code="200",sink="pushgateway"}')).toBeGreaterThanOrEqual(2);
    expect((await agent.stop()).code).toBe(0);
    // The DELETE of the group on shutdown goes with the same certificate and credentials.
    expect(await pushTime('second-pass')).toBeUndefined();
  });

  it('remote-writes to Prometheus behind its web config (TLS, bcrypt basic auth) with insecureSkipVerify and a self-signed certificate', async () => {
    const auth = { username: 'rx', password: 'prom-pass' };
    const yaml = ['tls_server_config:', `  cert_file: ${pki.selfCert}`, `  key_file: ${pki.selfKey}`, 'basic_auth_users:', `  rx: '${bcryptHash(auth.password)}'`, ''].join('\n');
    const prom = await startPrometheus({ web: { yaml, tls: {}, readyAuth: auth } });
    servers.push(prom);
    agent = await startAgent([
      '--push.remote-write.url',
      `${prom.url}/api/v1/write`,
      '--push.remote-write.tls.insecure-skip-verify',
      '--push.remote-write.basic-auth.username',
      'rx',
      '--global.node-name',
      'rwnode',
    ], { env: { RXPORTER_EXPORTER_REMOTE_WRITE_BASIC_AUTH_PASSWORD: auth.password, RXPORTER_EXPORTER_REMOTE_WRITE_HEADERS: '{"X-Scope-OrgID":"t1"}' } });
    await poll(
      async () => {
        const r = await tlsRequest(`${prom.url}/api/v1/query?query=${encodeURIComponent('rxporter_collections_total{nodeName="rwnode"}')}`, { basicAuth: auth });
        const j = JSON.parse(r.text) as { data?: { result: unknown[] } };
        return j.data && j.data.result.length > 0 ? true : undefined;
      },
      30_000,
      'remote-written samples in Prometheus',
    );
    expect((await agent.stop()).code).toBe(0);
  });

  it('sends a bearer token from a file to vmauth and uses the rotated token at the next push', async () => {
    const vm = await startVictoriaMetrics();
    servers.push(vm);
    const users = (...tokens: string[]) => `users:\n${tokens.map((t) => `- bearer_token: "${t}"\n  url_prefix: "${vm.url}"\n`).join('')}`;
    const vmauth = await startVmauth(users('token-one'));
    servers.push(vmauth);
    const tokenFile = secret('bearer', 'token-one\n');
    agent = await startAgent(['--push.vm.url', vmauth.url, '--push.vm.bearer-token-file', tokenFile, '--global.node-name', 'bearernode']);
    const match = 'rxporter_collections_total{nodeName="bearernode"}';
    const before = await waitVmPoints(vm, {}, match, 2, 'samples with the first token');
    // Rotation as an operator does it: the receiver takes both tokens, the file changes, then the old token is revoked
    // (vmauth re-reads its config on SIGHUP). A push with the revoked token would be refused (this vmauth answers 400,
    // newer ones 401): rejected and counted.
    const authConfig = async (...tokens: string[]) => {
      writeFileSync(join(vmauth.dir, 'auth.yml'), users(...tokens));
      vmauth.proc.kill('SIGHUP');
      await wait(1000);
    };
    await authConfig('token-one', 'token-two');
    writeFileSync(tokenFile, 'token-two\n');
    await wait(2500);
    await authConfig('token-two');
    const revoked = await tlsRequest(`${vmauth.url}/api/v1/export`, {}, { headers: { authorization: 'Bearer token-one' } });
    expect(revoked.text).toMatch(/cannot find the provided auth token/);
    expect([400, 401]).toContain(revoked.status);
    const after = await waitVmPoints(vm, {}, match, before + 8, 'samples with the rotated token');
    expect(after).toBeGreaterThanOrEqual(before + 8);
    const m = await agent.metrics();
    expect(metricValue(m, 'rxporter_sink_samples_dropped_total{reason="rejected",sink="vmagent"}') ?? 0).toBe(0);
    expect((await agent.stop()).code).toBe(0);
  });

  it('fails pushes while the password file is gone (retryable, one log line naming key and path each) and loses nothing', async () => {
    const auth = { username: 'rx', password: 'pw' };
    const vm = await startVictoriaMetrics({ tls: { certFile: pki.serverCert, keyFile: pki.serverKey, caFile: pki.caCert }, auth });
    servers.push(vm);
    const pass = secret('gone.pass', 'pw\n');
    agent = await startAgent([
      '--push.vm.url', vm.url, '--push.vm.tls.ca-file', pki.caCert, '--push.vm.basic-auth.username', 'rx', '--push.vm.basic-auth.password-file', pass,
      '--global.node-name', 'gonenode',
    ]);
    const c = { caFile: pki.caCert, basicAuth: auth };
    const match = 'rxporter_collections_total{nodeName="gonenode"}';
    const before = await waitVmPoints(vm, c, match, 2, 'samples before the file goes');
    renameSync(pass, `${pass}.away`);
    await poll(async () => (logLines(agent!, 'push failed: batch kept at the head of the queue for the next push tick').length >= 2 ? true : undefined), 15_000, 'failed pushes');
    renameSync(`${pass}.away`, pass);
    const collected = await poll(async () => metricValue(await agent!.metrics(), 'rxporter_collections_total'), 5000, 'collections');
    await waitVmPoints(vm, c, match, Math.max(before + 3, collected), 'every snapshot after the file is back');
    const [series] = await vmExportAs(vm, c, match);
    expect(gapsOrDuplicates(points(series))).toBeUndefined();
    const failed = logLines(agent, 'push failed: batch kept at the head of the queue for the next push tick');
    for (const l of failed) expect(String(l.error)).toMatch(/exporter\.vmagent\.basicAuth\.passwordFile: cannot read ".*gone\.pass": no such file/);
    const m = await agent.metrics();
    expect(metricValue(m, 'rxporter_sink_requests_total{code="error",sink="vmagent"}')).toBeGreaterThanOrEqual(failed.length);
    expect(metricValue(m, 'rxporter_sink_samples_dropped_total{reason="rejected",sink="vmagent"}')).toBeUndefined();
    expect((await agent.stop()).code).toBe(0);
  });

  it('uses a rotated CA, client certificate and key at the next connection (Pushgateway restarted with a new PKI)', async () => {
    const pki2Dir = join(dir, 'pki2');
    mkdirSync(pki2Dir);
    const pki2 = makePki(pki2Dir);
    // The agent's files, replaced by renames as a secret mount does.
    const mine = { ca: join(dir, 'my-ca.pem'), cert: join(dir, 'my-client.pem'), key: join(dir, 'my-client.key') };
    const install = (p: Pki) => {
      for (const [from, to] of [[p.caCert, mine.ca], [p.clientCert, mine.cert], [p.clientKey, mine.key]]) {
        copyFileSync(from, `${to}.new`);
        renameSync(`${to}.new`, to);
      }
    };
    install(pki);
    const web = (p: Pki) => ({
      yaml: ['tls_server_config:', `  cert_file: ${p.serverCert}`, `  key_file: ${p.serverKey}`, '  client_auth_type: RequireAndVerifyClientCert', `  client_ca_file: ${p.caCert}`, ''].join('\n'),
      tls: { caFile: p.caCert, certFile: p.clientCert, keyFile: p.clientKey },
    });
    const pgw = await startPushgateway({ web: web(pki) });
    servers.push(pgw);
    agent = await startAgent([
      '--push.pushgateway.url', pgw.url, '--push.pushgateway.tls.ca-file', mine.ca, '--push.pushgateway.tls.cert-file', mine.cert, '--push.pushgateway.tls.key-file', mine.key,
      '--global.node-name', 'rotnode',
    ]);
    const pushTime = async (p: Pki, server: RealServer): Promise<number | undefined> => {
      const r = await tlsRequest(`${server.url}/metrics`, web(p).tls);
      const line = r.text.split('\n').find((l) => l.startsWith('push_time_seconds{') && l.includes('nodeName="rotnode"'));
      return line ? Number(line.split(' ').pop()) : undefined;
    };
    await poll(() => pushTime(pki, pgw), 20_000, 'a push with the first PKI');
    // The receiver comes back with certificates of another CA and trusts only client certificates of that CA: the old
    // connections are gone, and a new one works only with the new CA file and client certificate.
    await pgw.stop({ keepDir: true });
    install(pki2);
    const rotatedAt = Date.now() / 1000;
    const pgw2 = await startPushgateway({ dir: pgw.dir, port: pgw.port, web: web(pki2) });
    servers.push(pgw2);
    await poll(async () => ((await pushTime(pki2, pgw2)) ?? 0) > rotatedAt ? true : undefined, 20_000, 'a push with the rotated PKI');
    expect((await agent.stop()).code).toBe(0);
  });

  it('verifies the receiver: the system roots refuse the test CA, serverName is checked, insecureSkipVerify accepts anything', async () => {
    const vm = await startVictoriaMetrics({ tls: { certFile: pki.serverCert, keyFile: pki.serverKey, caFile: pki.caCert } });
    servers.push(vm);
    const tls = (t: Partial<SinkClientOptions['tls']>): SinkClientOptions => ({ ...NO_CLIENT_OPTIONS, tls: { ...NO_CLIENT_OPTIONS.tls, ...t } });
    const get = async (t: Partial<SinkClientOptions['tls']>): Promise<number | HttpError> => {
      const c = createHttpClient({ timeoutMs: 5000, userAgent: 'x', client: { options: tls(t), key: 'exporter.vmagent' } });
      try {
        return await firstValueFrom(c.request({ method: 'GET', url: `${vm.url}/health` }));
      } catch (e) {
        return e as HttpError;
      } finally {
        await c.close();
      }
    };
    const refused = (r: number | HttpError, msg: RegExp) => {
      expect(r).toBeInstanceOf(HttpError);
      expect((r as HttpError).retryable).toBe(true);
      expect((r as HttpError).message).toMatch(msg);
    };
    refused(await get({}), /self.signed|unable to (get|verify)/i);
    expect(await get({ caFile: pki.caCert })).toBe(200);
    expect(await get({ caFile: pki.caCert, serverName: 'localhost', minVersion: 'TLS13' })).toBe(200);
    refused(await get({ caFile: pki.caCert, serverName: 'vm.example' }), /ERR_TLS_CERT_ALTNAME_INVALID|does not match/);
    refused(await get({ caFile: pki.selfCert }), /self.signed|unable to (get|verify)|certificate/i);
    expect(await get({ insecureSkipVerify: true })).toBe(200);
    expect(await get({ insecureSkipVerify: true, serverName: 'vm.example' })).toBe(200);
  });

  it('exits non-zero naming the key and path when a secret file is missing at start', async () => {
    await expect(startAgent(['--push.vm.url', 'https://127.0.0.1:1', '--push.vm.bearer-token-file', join(dir, 'nope')])).rejects.toThrow(
      /rxporter exited 1:.*exporter\.vmagent\.bearerTokenFile: cannot read .*nope.*: no such file/,
    );
  });
});
