import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, unlinkSync, writeFileSync } from 'node:fs';
import { request as httpRequest } from 'node:http';
import { request as httpsRequest } from 'node:https';
import { connect as netConnect } from 'node:net';
import { connect as tlsConnect, type PeerCertificate, type TLSSocket } from 'node:tls';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { of } from 'rxjs';
import { startDaemon, type Daemon } from '../../src/cli/daemon';
import type { Collector } from '../../src/collectors/types';
import { loadConfig } from '../../src/config/load';
import { RxporterError } from '../../src/errors';
import { silentLog } from '../../src/log/types';
import { gauge } from '../../src/model/family';
import { startAgent } from '../../src/agent';
import { createWebGate } from '../../src/server/webGate';
import { compare } from 'bcryptjs';
import { recordingLog } from '../support/neFixtures';
import { cliPath } from '../support/paths';
import { poll } from '../support/servers';
import { htpasswdHash, makeTlsFiles, type TlsFiles } from '../support/tlsFiles';

const one: Collector = { name: 'one', defaultEnabled: true, collect: () => of(gauge('node_one', 'One.', [{ labels: {}, value: 1 }])) };

interface Reply {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  body: string;
  /** SHA-256 fingerprint of the server's certificate. */
  served?: string;
}

const basic = (user: string, password: string) => `Basic ${Buffer.from(`${user}:${password}`).toString('base64')}`;

/** GET over HTTPS on a fresh connection, trusting `ca`, with an optional client certificate and Authorization. */
const get = (port: number, o: { ca: string; cert?: string; key?: string; auth?: string; path?: string }) =>
  new Promise<Reply>((resolve, reject) => {
    const req = httpsRequest(
      {
        host: '127.0.0.1',
        port,
        path: o.path ?? '/metrics',
        agent: false,
        ca: readFileSync(o.ca),
        ...(o.cert && o.key ? { cert: readFileSync(o.cert), key: readFileSync(o.key) } : {}),
        headers: o.auth ? { Authorization: o.auth } : {},
      },
      (res) => {
        const served = ((res.socket as TLSSocket).getPeerCertificate() as PeerCertificate).fingerprint256;
        let body = '';
        res.on('data', (c: Buffer) => (body += c.toString()));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body, served }));
      },
    );
    req.on('error', reject);
    req.end();
  });

/** GET over plain HTTP on a fresh connection. */
const plainGet = (port: number, path = '/metrics') =>
  new Promise<Reply>((resolve, reject) => {
    const req = httpRequest({ host: '127.0.0.1', port, path, agent: false }, (res) => {
      let body = '';
      res.on('data', (c: Buffer) => (body += c.toString()));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body }));
    });
    req.on('error', reject);
    req.end();
  });

const fingerprint = (pemFile: string) => new (require('node:crypto') as typeof import('node:crypto')).X509Certificate(readFileSync(pemFile)).fingerprint256;

const root = mkdtempSync(join(tmpdir(), 'rxp-webgate-'));
let pem: TlsFiles;
let alice: string;
beforeAll(() => {
  pem = makeTlsFiles(root);
  alice = htpasswdHash('wonderland');
});
afterAll(() => rmSync(root, { recursive: true, force: true }));

const start = (webFile: string, log = silentLog, web: Record<string, unknown> = {}) =>
  startDaemon(
    loadConfig({ values: { global: { appName: 't' }, web: { listenAddress: '127.0.0.1:0', configFile: webFile, ...web }, collect: { interval: '1h' } } }),
    log,
    { collectors: [one] },
  );

describe('TLS and basic auth from --web.config.file', () => {
  let d: Daemon;
  const log = recordingLog();
  let webFile: string;
  const yml = (users: string, cert = 'server.pem', key = 'server.key') =>
    `tls_server_config:\n  cert_file: ${cert}\n  key_file: ${key}\nhttp_server_config:\n  headers:\n    X-Frame-Options: deny\n    Strict-Transport-Security: max-age=31536000\nbasic_auth_users:\n${users}`;
  beforeAll(async () => {
    webFile = join(root, 'web.yml');
    writeFileSync(webFile, yml(`  alice: ${alice}\n`));
    d = await start(webFile, log);
  });
  afterAll(() => d.shutdown(2000));

  it('serves /metrics over TLS to the right password, with the configured headers', async () => {
    const r = await get(d.port, { ca: pem.ca, auth: basic('alice', 'wonderland') });
    expect(r.status).toBe(200);
    expect(r.body).toContain('node_one 1\n');
    expect(r.body).toContain('rxporter_web_config_last_reload_successful 1\n');
    expect(r.headers['x-frame-options']).toBe('deny');
    expect(r.headers['strict-transport-security']).toBe('max-age=31536000');
    expect(r.served).toBe(fingerprint(pem.serverCert));
  });

  it('answers a wrong password, an unknown user and no credentials with 401 and WWW-Authenticate: Basic', async () => {
    for (const auth of [basic('alice', 'wrong'), basic('mallory', 'wonderland'), undefined, 'Basic !!!', 'Bearer x']) {
      const r = await get(d.port, { ca: pem.ca, auth });
      expect([auth, r.status, r.headers['www-authenticate']]).toEqual([auth, 401, 'Basic']);
      // The headers of the file are on every answer, as exporter-toolkit sets them before the auth check.
      expect(r.headers['x-frame-options']).toBe('deny');
      expect(r.body).not.toContain('node_one');
    }
    expect((await get(d.port, { ca: pem.ca, auth: basic('alice', 'wrong'), path: '/' })).status).toBe(401);
  });

  it('checks an unknown user against the costliest configured hash, caches each result, and misses the cache for a new hash', async () => {
    const calls: string[] = [];
    const gate = await createWebGate({
      file: webFile,
      log: silentLog,
      compare: async (password, hash) => {
        calls.push(`${hash === alice ? 'alice' : 'other'}:${password}`);
        return compare(password, hash);
      },
    });
    const users = gate.current().users;
    expect(await gate.auth.check(users, basic('nobody', 'x'))).toBe(false);
    expect(await gate.auth.check(users, basic('alice', 'nope'))).toBe(false);
    expect(await gate.auth.check(users, basic('alice', 'wonderland'))).toBe(true);
    expect(await gate.auth.check(users, basic('alice', 'wonderland'))).toBe(true);
    expect(await gate.auth.check(users, basic('alice', 'nope'))).toBe(false);
    expect(calls).toEqual(['alice:x', 'alice:nope', 'alice:wonderland']);
    // A new hash of the same password misses the cache.
    expect(await gate.auth.check({ alice: htpasswdHash('wonderland', 4) }, basic('alice', 'wonderland'))).toBe(true);
    expect(calls).toHaveLength(4);
    await gate.close();
  });

  it('refuses plain HTTP on the TLS port', async () => {
    await expect(plainGet(d.port)).rejects.toThrow(/socket hang up|ECONNRESET|Parse Error/);
  });

  it('takes new users and a renewed certificate from an edited file without a restart', async () => {
    const renewed = join(root, 'renewed');
    mkdirSync(renewed, { recursive: true });
    const pem2 = makeTlsFiles(renewed);
    writeFileSync(webFile, yml(`  alice: ${alice}\n  bob: ${htpasswdHash('builder')}\n`, 'renewed/server.pem', 'renewed/server.key'));
    const r = await get(d.port, { ca: pem2.ca, auth: basic('bob', 'builder') });
    expect(r.status).toBe(200);
    expect(r.served).toBe(fingerprint(pem2.serverCert));
    await expect(get(d.port, { ca: pem.ca, auth: basic('bob', 'builder') })).rejects.toThrow(/self.signed|unable to verify|certificate/i);
    expect(log.lines.filter((l) => l.message === 'web config reloaded')).toHaveLength(1);
    // Back to the first certificate for the tests that follow.
    writeFileSync(webFile, yml(`  alice: ${alice}\n`));
    expect((await get(d.port, { ca: pem.ca, auth: basic('alice', 'wonderland') })).status).toBe(200);
    expect((await get(d.port, { ca: pem.ca, auth: basic('bob', 'builder') })).status).toBe(401);
  });

  it('keeps the last good config when an edit breaks the file or a certificate, and logs it once', async () => {
    const errors = () => log.lines.filter((l) => l.level === 'error' && l.message === 'web config not reloaded, the last good one stays in force');
    writeFileSync(webFile, `${yml(`  alice: ${alice}\n`)}  eve: [not, a, hash\n`);
    for (let i = 0; i < 3; i++) expect((await get(d.port, { ca: pem.ca, auth: basic('alice', 'wonderland') })).status).toBe(200);
    expect(errors()).toHaveLength(1);
    expect(String(errors()[0].meta?.error)).toMatch(/web config file .*web\.yml: not valid YAML/);
    const r = await get(d.port, { ca: pem.ca, auth: basic('alice', 'wonderland') });
    expect(r.body).toContain('rxporter_web_config_last_reload_successful 0\n');

    // An unreadable certificate at re-read: the certificate in force stays.
    const gone = join(root, 'gone');
    mkdirSync(gone, { recursive: true });
    writeFileSync(join(gone, 'server.pem'), readFileSync(pem.serverCert));
    writeFileSync(join(gone, 'server.key'), readFileSync(pem.serverKey));
    writeFileSync(webFile, yml(`  alice: ${alice}\n`, 'gone/server.pem', 'gone/server.key'));
    expect((await get(d.port, { ca: pem.ca, auth: basic('alice', 'wonderland') })).status).toBe(200);
    unlinkSync(join(gone, 'server.pem'));
    for (let i = 0; i < 2; i++) expect((await get(d.port, { ca: pem.ca, auth: basic('alice', 'wonderland') })).status).toBe(200);
    expect(errors()).toHaveLength(2);
    expect(String(errors()[1].meta?.error)).toMatch(/tls_server_config\.cert_file: must be a readable PEM file \(no such file\): value was ".*gone\/server\.pem"/);
    writeFileSync(webFile, yml(`  alice: ${alice}\n`));
    expect((await get(d.port, { ca: pem.ca, auth: basic('alice', 'wonderland') })).body).toContain('rxporter_web_config_last_reload_successful 1\n');
  });
});

describe('a certificate named before it exists', () => {
  it('is picked up when it appears, with no further edit of the web config file', async () => {
    const log = recordingLog();
    const f = join(root, 'later.yml');
    writeFileSync(f, 'tls_server_config: {cert_file: server.pem, key_file: server.key}\n');
    const d = await start(f, log);
    try {
      const later = join(root, 'later');
      mkdirSync(later, { recursive: true });
      const pem3 = makeTlsFiles(later);
      const soon = join(root, 'soon');
      mkdirSync(soon, { recursive: true });
      writeFileSync(f, 'tls_server_config: {cert_file: soon/server.pem, key_file: soon/server.key}\n');
      for (let i = 0; i < 2; i++) expect((await get(d.port, { ca: pem.ca })).served).toBe(fingerprint(pem.serverCert));
      expect(log.lines.filter((l) => l.level === 'error')).toHaveLength(1);
      writeFileSync(join(soon, 'server.key'), readFileSync(pem3.serverKey));
      writeFileSync(join(soon, 'server.pem'), readFileSync(pem3.serverCert));
      expect((await get(d.port, { ca: pem3.ca })).served).toBe(fingerprint(pem3.serverCert));
    } finally {
      await d.shutdown(2000);
    }
  });
});

describe('client certificates', () => {
  const policy = async (clientAuth: string, body: (port: number) => Promise<void>) => {
    const f = join(root, `${clientAuth}.yml`);
    writeFileSync(f, `tls_server_config: {cert_file: server.pem, key_file: server.key, client_ca_file: ca.pem, client_auth_type: ${clientAuth}}\n`);
    const d = await start(f);
    try {
      await body(d.port);
    } finally {
      await d.shutdown(2000);
    }
  };
  const refused = /certificate required|alert|socket hang up|ECONNRESET|EPIPE/i;

  it('RequireAndVerifyClientCert refuses a client without a certificate or with one of another CA, and serves one with a certificate of client_ca_file', () =>
    policy('RequireAndVerifyClientCert', async (port) => {
      await expect(get(port, { ca: pem.ca })).rejects.toThrow(refused);
      await expect(get(port, { ca: pem.ca, cert: pem.strangerCert, key: pem.strangerKey })).rejects.toThrow(refused);
      expect((await get(port, { ca: pem.ca, cert: pem.clientCert, key: pem.clientKey })).status).toBe(200);
    }));

  it('VerifyClientCertIfGiven serves a client without a certificate but refuses an unverified one', () =>
    policy('VerifyClientCertIfGiven', async (port) => {
      expect((await get(port, { ca: pem.ca })).status).toBe(200);
      await expect(get(port, { ca: pem.ca, cert: pem.strangerCert, key: pem.strangerKey })).rejects.toThrow(refused);
      expect((await get(port, { ca: pem.ca, cert: pem.clientCert, key: pem.clientKey })).status).toBe(200);
    }));

  it('RequireAnyClientCert wants a certificate, verified or not', () =>
    policy('RequireAnyClientCert', async (port) => {
      await expect(get(port, { ca: pem.ca })).rejects.toThrow(refused);
      expect((await get(port, { ca: pem.ca, cert: pem.strangerCert, key: pem.strangerKey })).status).toBe(200);
    }));
});

describe('bad web config at start', () => {
  it('stops startAgent with RXP_CONFIG naming the file, key and value, before anything listens', async () => {
    const f = join(root, 'bad.yml');
    writeFileSync(f, 'tls_server_config: {cert_file: server.pem, key_file: server.key, min_version: TLS9}\n');
    const e = await start(f).then(
      () => undefined,
      (x: unknown) => x,
    );
    expect(e).toBeInstanceOf(RxporterError);
    expect((e as RxporterError).message).toBe(`web config file ${f}: tls_server_config.min_version: must be one of TLS10, TLS11, TLS12, TLS13: value was "TLS9"`);
  });

  it.each([
    ['malformed YAML', 'basic_auth_users: {alice: "x\n', /web config file .*cli-bad\.yml: not valid YAML/],
    ['an unreadable certificate', 'tls_server_config: {cert_file: nowhere.pem, key_file: server.key}\n', /tls_server_config\.cert_file: must be a readable PEM file \(no such file\): value was \\".*nowhere\.pem\\"/],
  ])('makes the CLI exit non-zero on %s, naming the key', (_what, text, message) => {
    const f = join(root, 'cli-bad.yml');
    writeFileSync(f, text);
    const r = spawnSync(process.execPath, [cliPath(), '--global.app-name', 't', '--web.listen-address', '127.0.0.1:0', '--web.config.file', f], {
      encoding: 'utf8',
      env: { PATH: process.env.PATH },
      timeout: 30_000,
    });
    expect(r.status).toBe(1);
    expect(r.stderr).toMatch(/invalid configuration/);
    expect(r.stderr).toMatch(message);
    expect(r.stderr).not.toMatch(/msg=listening/);
  });
});

describe('slow clients', () => {
  /** Opens a connection that sends a request's headers one byte every 100 ms; resolves when the server closes it, with what it had sent. */
  const slowLoris = (connect: () => import('node:net').Socket) =>
    new Promise<{ sent: number; reply: string }>((resolve) => {
      const s = connect();
      const text = 'GET /metrics HTTP/1.1\r\nHost: 127.0.0.1\r\nX-Padding: ' + 'a'.repeat(200) + '\r\n\r\n';
      let sent = 0;
      let reply = '';
      const t = setInterval(() => {
        if (sent < text.length && s.writable) s.write(text[sent++]);
      }, 100);
      s.on('data', (b: Buffer) => (reply += b.toString()));
      s.on('error', () => undefined);
      s.on('close', () => {
        clearInterval(t);
        resolve({ sent, reply });
      });
    });

  it('cuts off a client that dribbles its headers while others get /metrics', async () => {
    const d = await startDaemon(
      loadConfig({ values: { global: { appName: 't' }, web: { listenAddress: '127.0.0.1:0', readHeaderTimeout: '500ms' }, collect: { interval: '1h' } } }),
      silentLog,
      { collectors: [one] },
    );
    try {
      let open = true;
      const loris = slowLoris(() => netConnect(d.port, '127.0.0.1')).finally(() => (open = false));
      const served: number[] = [];
      while (open) {
        served.push((await plainGet(d.port)).status);
        await new Promise((r) => setTimeout(r, 100));
      }
      const l = await loris;
      expect(l.sent).toBeLessThan(60); // cut off long before its headers were complete
      expect(l.reply).toMatch(/^HTTP\/1\.1 408 /);
      expect(served.length).toBeGreaterThan(0);
      expect(served.every((s) => s === 200)).toBe(true);
    } finally {
      await d.shutdown(2000);
    }
  });

  it('cuts off a TLS client that stalls in the handshake or in its headers', async () => {
    const f = join(root, 'loris.yml');
    writeFileSync(f, 'tls_server_config: {cert_file: server.pem, key_file: server.key}\n');
    const d = await start(f, silentLog, { readHeaderTimeout: '500ms' });
    try {
      // Connects and never says hello.
      const silent = new Promise<void>((resolve) => netConnect(d.port, '127.0.0.1').on('error', () => undefined).on('close', () => resolve()));
      const loris = slowLoris(() => tlsConnect({ host: '127.0.0.1', port: d.port, ca: readFileSync(pem.ca) }));
      expect((await get(d.port, { ca: pem.ca })).status).toBe(200);
      await silent;
      expect((await loris).sent).toBeLessThan(60);
    } finally {
      await d.shutdown(2000);
    }
  });
});

describe('startAgent', () => {
  it('exposes the gate, whose forced refresh rejects a broken file and keeps the config in force', async () => {
    const f = join(root, 'force.yml');
    writeFileSync(f, `basic_auth_users: {alice: "${alice}"}\n`);
    const config = loadConfig({ values: { global: { appName: 't' }, web: { listenAddress: '127.0.0.1:0', configFile: f }, collect: { interval: '1h' } } });
    const s = await startAgent({ config, collectors: [one] });
    try {
      writeFileSync(f, 'basic_auth_users: {alice: plain}\n');
      await expect(s.web?.refresh({ force: true })).rejects.toThrow(/basic_auth_users\.alice: must be a bcrypt hash/);
      expect(s.web?.current().users).toEqual({ alice });
      expect((await plainGet(s.port)).status).toBe(401);
      expect((await plainGet(s.port)).headers['www-authenticate']).toBe('Basic');
    } finally {
      await s.agent.stop(1000);
      await new Promise((r) => s.server.close(r));
    }
  });
});

describe('TLS parameters and the rest of the file', () => {
  const withFile = async (name: string, text: string, body: (port: number) => Promise<void>) => {
    const f = join(root, name);
    writeFileSync(f, text);
    const d = await start(f);
    try {
      await body(d.port);
    } finally {
      await d.shutdown(2000);
    }
  };
  /** Completes a handshake and returns what was negotiated. */
  const handshake = (port: number, o: { maxVersion?: 'TLSv1.2' | 'TLSv1.3'; cert?: string; key?: string } = {}) =>
    new Promise<{ protocol: string | null; cipher: string; group?: string }>((resolve, reject) => {
      const s = tlsConnect(
        { host: '127.0.0.1', port, ca: readFileSync(pem.ca), maxVersion: o.maxVersion, ...(o.cert && o.key ? { cert: readFileSync(o.cert), key: readFileSync(o.key) } : {}) },
        () => {
          const r = { protocol: s.getProtocol(), cipher: s.getCipher().name, group: (s.getEphemeralKeyInfo() as { name?: string } | null)?.name };
          s.end();
          resolve(r);
        },
      );
      s.on('error', reject);
    });

  it('negotiates only the cipher suites and curves of the file, in TLS 1.2 and 1.3', () =>
    withFile(
      'ciphers.yml',
      'tls_server_config: {cert_file: server.pem, key_file: server.key, cipher_suites: [TLS_ECDHE_ECDSA_WITH_AES_256_GCM_SHA384], curve_preferences: [CurveP384]}\n',
      async (port) => {
        expect(await handshake(port, { maxVersion: 'TLSv1.2' })).toEqual({ protocol: 'TLSv1.2', cipher: 'ECDHE-ECDSA-AES256-GCM-SHA384', group: 'secp384r1' });
        // TLS 1.3 stays available (Go offers every 1.3 suite whatever cipher_suites says).
        expect((await handshake(port)).protocol).toBe('TLSv1.3');
      },
    ));

  it('refuses a client below min_version', () =>
    withFile('min.yml', 'tls_server_config: {cert_file: server.pem, key_file: server.key, min_version: TLS13}\n', async (port) => {
      await expect(handshake(port, { maxVersion: 'TLSv1.2' })).rejects.toThrow(/protocol version|alert/i);
      expect((await handshake(port)).protocol).toBe('TLSv1.3');
    }));

  it('refuses a client certificate without one of client_allowed_sans', () =>
    withFile(
      'sans.yml',
      'tls_server_config: {cert_file: server.pem, key_file: server.key, client_ca_file: ca.pem, client_auth_type: RequireAndVerifyClientCert, client_allowed_sans: [other.test]}\n',
      async (port) => {
        await expect(get(port, { ca: pem.ca, cert: pem.clientCert, key: pem.clientKey })).rejects.toThrow(/socket hang up|ECONNRESET/);
        writeFileSync(join(root, 'sans.yml'), 'tls_server_config: {cert_file: server.pem, key_file: server.key, client_ca_file: ca.pem, client_auth_type: RequireAndVerifyClientCert, client_allowed_sans: [other.test, scraper.test]}\n');
        expect((await get(port, { ca: pem.ca, cert: pem.clientCert, key: pem.clientKey })).status).toBe(200);
      },
    ));

  it('answers 429 beyond rate_limit\'s burst, before the headers and the auth check', () =>
    withFile('rate.yml', 'tls_server_config: {cert_file: server.pem, key_file: server.key}\nrate_limit: {interval: 1h, burst: 2}\nhttp_server_config: {headers: {X-Content-Type-Options: nosniff}}\n', async (port) => {
      const rs = [];
      for (let i = 0; i < 3; i++) rs.push(await get(port, { ca: pem.ca }));
      expect(rs.map((r) => r.status)).toEqual([200, 200, 429]);
      expect(rs[0].headers['x-content-type-options']).toBe('nosniff');
      expect(rs[2].headers['x-content-type-options']).toBeUndefined();
    }));
});
