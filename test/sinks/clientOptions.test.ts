import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { firstValueFrom } from 'rxjs';
import { loadConfig } from '../../src/config/load';
import { RxporterError } from '../../src/errors';
import { enabledSinks } from '../../src/sinks/enabled';
import { clientFiles, clientOptionProblems, NO_CLIENT_OPTIONS, redactUrl, type SinkClientOptions } from '../../src/sinks/clientOptions';
import { createHttpClient, HttpError, type HttpClient } from '../../src/sinks/http';
import { startTestReceiver, type TestReceiver } from '../support/testReceiver';
import { makePki, startConnectProxy, type ConnectProxy, type Pki } from '../support/tls';

const none = NO_CLIENT_OPTIONS;
const opts = (o: {
  tls?: Partial<SinkClientOptions['tls']>;
  basicAuth?: Partial<SinkClientOptions['basicAuth']>;
  bearerToken?: string;
  bearerTokenFile?: string;
  proxyUrl?: string;
  noProxy?: string;
  headers?: Record<string, string>;
}): SinkClientOptions => ({ ...none, ...o, tls: { ...none.tls, ...o.tls }, basicAuth: { ...none.basicAuth, ...o.basicAuth } });

describe('clientOptionProblems', () => {
  const K = 'exporter.vmagent';
  it('accepts no options and each kind of auth alone', () => {
    expect(clientOptionProblems(none, K)).toEqual([]);
    expect(clientOptionProblems(opts({ basicAuth: { username: 'u', passwordFile: '/p' } }), K)).toEqual([]);
    expect(clientOptionProblems(opts({ basicAuth: { usernameFile: '/u' } }), K)).toEqual([]);
    expect(clientOptionProblems(opts({ bearerTokenFile: '/t', proxyUrl: 'http://proxy:3128', noProxy: 'localhost', headers: { 'X-Scope-OrgID': 't1' } }), K)).toEqual([]);
  });

  it.each([
    ['a password and its file', { basicAuth: { username: 'u', password: 'p', passwordFile: '/p' } }, /exporter\.vmagent\.basicAuth\.password and exporter\.vmagent\.basicAuth\.passwordFile are both set/],
    ['a user name and its file', { basicAuth: { username: 'u', usernameFile: '/u' } }, /basicAuth\.username and exporter\.vmagent\.basicAuth\.usernameFile are both set/],
    ['a token and its file', { bearerToken: 't', bearerTokenFile: '/t' }, /exporter\.vmagent\.bearerToken and exporter\.vmagent\.bearerTokenFile are both set/],
    ['basic auth and a bearer token', { basicAuth: { username: 'u' }, bearerToken: 't' }, /exporter\.vmagent\.basicAuth\.username and exporter\.vmagent\.bearerToken are both set: a request carries one Authorization/],
    ['basic auth from files and a token file', { basicAuth: { usernameFile: '/u' }, bearerTokenFile: '/t' }, /basicAuth\.usernameFile and exporter\.vmagent\.bearerTokenFile are both set/],
    ['a password without a user name', { basicAuth: { passwordFile: '/p' } }, /basicAuth\.passwordFile is set but .*usernameFile are empty/],
    ['a certificate without its key', { tls: { certFile: '/c' } }, /exporter\.vmagent\.tls\.certFile is set but exporter\.vmagent\.tls\.keyFile is empty/],
    ['a key without its certificate', { tls: { keyFile: '/k' } }, /tls\.keyFile is set but exporter\.vmagent\.tls\.certFile is empty/],
    ['an unknown TLS version', { tls: { minVersion: 'SSL3' } }, /tls\.minVersion: must be one of TLS10, TLS11, TLS12, TLS13 or empty: value was "SSL3"/],
    ['a proxy URL that is not http(s)', { proxyUrl: 'socks5://p:1080' }, /exporter\.vmagent\.proxyUrl: must be an http:\/\/ or https:\/\/ URL: value was "socks5:\/\/p:1080"/],
    ['a proxy URL that does not parse', { proxyUrl: 'proxy:3128' }, /proxyUrl: must be an http/],
    ['noProxy without a proxy', { noProxy: 'localhost' }, /exporter\.vmagent\.noProxy is set but exporter\.vmagent\.proxyUrl is empty/],
    ['an Authorization header', { headers: { authorization: 'Bearer x' } }, /exporter\.vmagent\.headers: header "authorization" is reserved .*\(use basicAuth or bearerToken\)/],
    ['a Content-Type header', { headers: { 'Content-Type': 'text/plain' } }, /header "Content-Type" is reserved/],
    ['a Content-Encoding header', { headers: { 'Content-Encoding': 'br' } }, /header "Content-Encoding" is reserved/],
    ['the remote-write version header', { headers: { 'X-Prometheus-Remote-Write-Version': '2.0' } }, /is reserved/],
    ['a header name with a space', { headers: { 'X Org': '1' } }, /"X Org" is not a valid header name/],
    ['a header value with a line break', { headers: { 'X-Org': 'a\r\nHost: evil' } }, /the value of "X-Org" holds a line break/],
  ])('refuses %s, naming the keys', (_n, o, msg) => {
    const p = clientOptionProblems(opts(o), K);
    expect(p).toHaveLength(1);
    expect(p[0]).toMatch(msg);
  });

  it('never shows a proxy password', () => {
    expect(redactUrl('ftp://user:pw@proxy:1')).toBe('ftp://user:xxxxx@proxy:1');
    expect(redactUrl('http://user:p%40ss@proxy:1/x')).toBe('http://user:xxxxx@proxy:1/x');
    expect(redactUrl('http://proxy:1')).toBe('http://proxy:1');
    expect(clientOptionProblems(opts({ proxyUrl: 'ftp://user:pw@proxy:1' }), K)[0]).not.toContain('pw');
  });

  it('is checked for every sink when the sinks are built, one line per problem', () => {
    const c = loadConfig({
      args: ['--global.app-name', 'x', '--push.pushgateway.url', 'http://pg:9091', '--push.pushgateway.tls.cert-file', '/c'],
      env: { RXPORTER_EXPORTER_REMOTE_WRITE_BEARER_TOKEN: 't', RXPORTER_EXPORTER_REMOTE_WRITE_BEARER_TOKEN_FILE: '/t' },
    });
    let err: unknown;
    try {
      enabledSinks(c);
    } catch (e) {
      err = e;
    }
    expect(err).toBeInstanceOf(RxporterError);
    expect((err as RxporterError).code).toBe('RXP_CONFIG');
    expect((err as Error).message.split('\n')).toEqual([
      expect.stringMatching(/^exporter\.pushgateway\.tls\.certFile is set but exporter\.pushgateway\.tls\.keyFile is empty/),
      expect.stringMatching(/^exporter\.remoteWrite\.bearerToken and exporter\.remoteWrite\.bearerTokenFile are both set/),
    ]);
  });
});

describe('client options in the config', () => {
  const base = ['--global.app-name', 'x'];
  it('takes flags for every sink, and secrets only from the file or environment', () => {
    const c = loadConfig({
      args: [
        ...base,
        '--push.vm.tls.ca-file', '/ca.pem',
        '--push.vm.tls.insecure-skip-verify',
        '--push.vm.tls.min-version', 'TLS13',
        '--push.pushgateway.basic-auth.username', 'u',
        '--push.pushgateway.basic-auth.password-file', '/p',
        '--push.remote-write.bearer-token-file', '/t',
        '--push.remote-write.proxy-url', 'http://proxy:3128',
        '--push.remote-write.no-proxy', 'localhost,.svc',
        '--push.remote-write.tls.server-name', 'prom.example',
      ],
      env: { RXPORTER_EXPORTER_VMAGENT_BASIC_AUTH_PASSWORD: 'pw', RXPORTER_EXPORTER_PUSHGATEWAY_HEADERS: '{"X-Org":"1"}' },
    }).exporter;
    expect(c.vmagent.tls).toEqual({ caFile: '/ca.pem', certFile: '', keyFile: '', serverName: '', insecureSkipVerify: true, minVersion: 'TLS13' });
    expect(c.vmagent.basicAuth.password).toBe('pw');
    expect(c.pushgateway.basicAuth).toEqual({ username: 'u', usernameFile: '', password: '', passwordFile: '/p' });
    expect(c.pushgateway.headers).toEqual({ 'X-Org': '1' });
    expect(c.remoteWrite).toMatchObject({ bearerTokenFile: '/t', proxyUrl: 'http://proxy:3128', noProxy: 'localhost,.svc', tls: { serverName: 'prom.example' } });
    expect(() => loadConfig({ args: [...base, '--push.vm.basic-auth.password', 'pw'] })).toThrow(/unknown flag --push\.vm\.basic-auth\.password /);
    expect(() => loadConfig({ args: [...base, '--push.vm.bearer-token', 't'] })).toThrow(/unknown flag --push\.vm\.bearer-token /);
  });

  it('refuses an unknown TLS version naming the key, and never prints a secret in an error', () => {
    expect(() => loadConfig({ args: [...base, '--push.vm.tls.min-version', 'TLS9'] })).toThrow(/exporter\.vmagent\.tls\.minVersion.*TLS9/);
    let msg = '';
    try {
      loadConfig({ args: base, values: { exporter: { vmagent: { basicAuth: { password: 42 } } } } });
    } catch (e) {
      msg = (e as Error).message;
    }
    expect(msg).toMatch(/exporter\.vmagent\.basicAuth\.password/);
    expect(msg).not.toContain('42');
  });
});

describe('clientFiles', () => {
  let dir: string;
  let pki: Pki;
  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), 'rxp-clientfiles-'));
    pki = makePki(dir);
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));
  const file = (name: string, text: string) => {
    const f = join(dir, name);
    writeFileSync(f, text);
    return f;
  };
  const K = 'exporter.remoteWrite';

  it('builds Basic from a user name and a password file (trimmed), and Bearer from a token file', async () => {
    const pass = file('pass', 'p\n');
    expect(clientFiles(opts({ basicAuth: { username: 'u', passwordFile: pass } }), K).readSync().authorization).toBe(`Basic ${Buffer.from('u:p').toString('base64')}`);
    const tok = file('tok', '  abc \n');
    const f = clientFiles(opts({ bearerTokenFile: tok }), K);
    expect(f.readSync().authorization).toBe('Bearer abc');
    writeFileSync(tok, 'def');
    expect((await f.read()).authorization).toBe('Bearer def');
    expect(clientFiles(opts({ bearerToken: 'lit' }), K).readSync().authorization).toBe('Bearer lit');
    expect(clientFiles(none, K).readSync()).toEqual({ authorization: undefined, tls: { ca: undefined, cert: undefined, key: undefined } });
  });

  it.each([
    ['a missing file', () => opts({ bearerTokenFile: join(dir, 'missing') }), /^exporter\.remoteWrite\.bearerTokenFile: cannot read ".*missing": no such file$/],
    ['a directory', () => opts({ tls: { caFile: dir } }), /^exporter\.remoteWrite\.tls\.caFile: cannot read ".*": not a regular file$/],
    ['a FIFO (never read: it would block)', () => {
      const fifo = join(dir, 'fifo');
      rmSync(fifo, { force: true });
      execFileSync('mkfifo', [fifo]);
      return opts({ basicAuth: { username: 'u', passwordFile: fifo } });
    }, /basicAuth\.passwordFile: cannot read ".*fifo": not a regular file/],
    ['a CA file without a certificate', () => opts({ tls: { caFile: file('garbage.pem', 'not a certificate\n') } }), /^exporter\.remoteWrite\.tls\.caFile: unusable TLS material/],
    ['a key that is not the certificate\'s', () => opts({ tls: { certFile: pki.clientCert, keyFile: pki.serverKey } }), /tls\.certFile, exporter\.remoteWrite\.tls\.keyFile: unusable TLS material: .*key values mismatch/],
  ])('refuses %s at start with RXP_CONFIG naming the key and path', (_n, o, msg) => {
    let err: unknown;
    try {
      clientFiles(o(), K).readSync();
    } catch (e) {
      err = e;
    }
    expect((err as RxporterError).code).toBe('RXP_CONFIG');
    expect((err as Error).message).toMatch(msg);
  });

  it('reads the CA, certificate and key as they are now', async () => {
    const ca = file('ca-copy.pem', '');
    execFileSync('cp', [pki.caCert, ca]);
    const f = clientFiles(opts({ tls: { caFile: ca, certFile: pki.clientCert, keyFile: pki.clientKey } }), K);
    const first = f.readSync().tls;
    expect(first.ca?.toString()).toContain('BEGIN CERTIFICATE');
    execFileSync('cp', [pki.serverCert, ca]);
    expect((await f.read()).tls.ca?.equals(first.ca!)).toBe(false);
  });
});

describe('createHttpClient with client options', () => {
  let rx: TestReceiver | undefined;
  let client: HttpClient | undefined;
  let dir: string;
  beforeAll(() => (dir = mkdtempSync(join(tmpdir(), 'rxp-clienthttp-'))));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));
  afterEach(async () => {
    await client?.close();
    await rx?.close();
    client = undefined;
    rx = undefined;
  });
  const post = (c: HttpClient, url: string, headers?: Record<string, string>) =>
    firstValueFrom(c.request({ method: 'POST', url, headers, body: new Uint8Array(1) }));

  // The test receiver shows the headers as they arrive, which the real receivers do not.
  it('sends the extra headers, the sink\'s own and the Authorization of the token file as it is at each request', async () => {
    rx = await startTestReceiver();
    const tok = join(dir, 'tok');
    writeFileSync(tok, 'one\n');
    client = createHttpClient({
      timeoutMs: 5000,
      userAgent: 'rxporter/test',
      client: { options: opts({ bearerTokenFile: tok, headers: { 'X-Scope-OrgID': 't1' } }), key: 'exporter.remoteWrite' },
    });
    await post(client, rx.url, { 'content-type': 'application/x-protobuf' });
    writeFileSync(tok, 'two\n');
    await post(client, rx.url);
    expect(rx.requests.map((r) => [r.headers.authorization, r.headers['x-scope-orgid'], r.headers['user-agent']])).toEqual([
      ['Bearer one', 't1', 'rxporter/test'],
      ['Bearer two', 't1', 'rxporter/test'],
    ]);
    expect(rx.requests[0].headers['content-type']).toBe('application/x-protobuf');
  });

  it('fails a request whose secret file became unreadable as retryable, counted as "error", without sending it, and recovers when it is back', async () => {
    rx = await startTestReceiver();
    const pass = join(dir, 'pass');
    writeFileSync(pass, 'pw');
    const outcomes: string[] = [];
    client = createHttpClient({
      timeoutMs: 5000,
      userAgent: 'rxporter/test',
      onOutcome: (c) => outcomes.push(c),
      client: { options: opts({ basicAuth: { username: 'u', passwordFile: pass } }), key: 'exporter.vmagent' },
    });
    rmSync(pass);
    const err = await post(client, rx.url).then(
      () => undefined,
      (e: unknown) => e,
    );
    expect(err).toBeInstanceOf(HttpError);
    expect((err as HttpError).retryable).toBe(true);
    expect((err as HttpError).message).toMatch(/exporter\.vmagent\.basicAuth\.passwordFile: cannot read ".*pass": no such file/);
    expect(rx.requests).toHaveLength(0);
    writeFileSync(pass, 'pw2');
    await expect(post(client, rx.url)).resolves.toBe(204);
    expect(rx.requests[0].headers.authorization).toBe(`Basic ${Buffer.from('u:pw2').toString('base64')}`);
    expect(outcomes).toEqual(['error', '204']);
  });

  it('goes through the proxy except for the hosts of noProxy, and never through one from the environment', async () => {
    rx = await startTestReceiver();
    const proxy: ConnectProxy = await startConnectProxy();
    const saved = process.env.http_proxy;
    process.env.http_proxy = proxy.url;
    try {
      const port = new URL(rx.url).port;
      const via = (proxyUrl: string, noProxy: string) =>
        createHttpClient({ timeoutMs: 5000, userAgent: 'x', client: { options: opts({ proxyUrl, noProxy }), key: 'exporter.vmagent' } });
      for (const [c, n] of [
        [via(proxy.url, ''), 1],
        [via(proxy.url, 'localhost'), 2],
        [via(proxy.url, `127.0.0.1:${port}`), 2],
        [via('', ''), 2],
      ] as const) {
        await post(c, rx.url);
        await c.close();
        expect(proxy.connects).toHaveLength(n);
      }
      expect(proxy.connects[0]).toBe(`127.0.0.1:${port}`);
      expect(rx.requests).toHaveLength(4);
    } finally {
      if (saved === undefined) delete process.env.http_proxy;
      else process.env.http_proxy = saved;
      await proxy.close();
    }
  });

  it('fails requests while a rotated CA file is garbled (retryable, naming the key) and goes on once it is whole', async () => {
    rx = await startTestReceiver();
    const pkiDir = join(dir, 'pki');
    execFileSync('mkdir', ['-p', pkiDir]);
    const pki = makePki(pkiDir);
    const ca = join(dir, 'ca.pem');
    execFileSync('cp', [pki.caCert, ca]);
    client = createHttpClient({ timeoutMs: 5000, userAgent: 'x', client: { options: opts({ tls: { caFile: ca } }), key: 'exporter.pushgateway' } });
    await expect(post(client, rx.url)).resolves.toBe(204);
    writeFileSync(ca, '-----BEGIN CERT');
    const err = await post(client, rx.url).then(
      () => undefined,
      (e: unknown) => e as HttpError,
    );
    expect(err?.retryable).toBe(true);
    expect(err?.message).toMatch(/exporter\.pushgateway\.tls\.caFile: unusable TLS material/);
    execFileSync('cp', [pki.selfCert, ca]);
    await expect(post(client, rx.url)).resolves.toBe(204);
    expect(rx.requests).toHaveLength(2);
  });

  it('throws RXP_CONFIG at creation when a file cannot be read', () => {
    expect(() =>
      createHttpClient({ timeoutMs: 1000, userAgent: 'x', client: { options: opts({ tls: { caFile: join(dir, 'nope.pem') } }), key: 'exporter.pushgateway' } }),
    ).toThrow(/exporter\.pushgateway\.tls\.caFile: cannot read ".*nope\.pem": no such file/);
  });
});
