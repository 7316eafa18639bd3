import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadWebConfig, parseWebConfig } from '../../src/server/webConfig';
import { RxporterError } from '../../src/errors';
import { configError } from '../support/configError';
import { makeTlsFiles, type TlsFiles } from '../support/tlsFiles';

const dir = mkdtempSync(join(tmpdir(), 'rxp-webcfg-'));
let pem: TlsFiles;
beforeAll(() => {
  pem = makeTlsFiles(dir);
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const HASH = '$2y$10$mm646lPZ7dFCwTHwWglHuuriY0fOZfJV.3FsT4.ypPQGfwOroH.k2';
const F = '/etc/rxporter/web.yml';

describe('parseWebConfig', () => {
  it('reads exporter-toolkit\'s keys: Go cipher, curve and version names become OpenSSL\'s, relative paths the file\'s directory', () => {
    const c = parseWebConfig(
      [
        'tls_server_config:',
        '  cert_file: server.pem',
        '  key_file: /abs/server.key',
        '  client_auth_type: RequireAndVerifyClientCert',
        '  client_ca_file: ca.pem',
        '  min_version: TLS13',
        '  cipher_suites: [TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256, TLS_ECDHE_ECDSA_WITH_CHACHA20_POLY1305_SHA256]',
        '  prefer_server_cipher_suites: false',
        '  curve_preferences: [X25519, CurveP256]',
        'http_server_config:',
        '  http2: false',
        '  headers:',
        '    X-Frame-Options: deny',
        '    X-XSS-Protection: 0',
        '    Content-Security-Policy: ""',
        'basic_auth_users:',
        `  alice: ${HASH}`,
        'rate_limit: {interval: 1s, burst: 5}',
      ].join('\n'),
      F,
    );
    expect(c.tls).toEqual({
      cert: undefined,
      key: undefined,
      clientCa: undefined,
      certFile: '/etc/rxporter/server.pem',
      keyFile: '/abs/server.key',
      clientCaFile: '/etc/rxporter/ca.pem',
      clientAuthType: 'RequireAndVerifyClientCert',
      clientAllowedSans: undefined,
      minVersion: 'TLSv1.3',
      maxVersion: 'TLSv1.3',
      ciphers: 'ECDHE-RSA-AES128-GCM-SHA256:ECDHE-ECDSA-CHACHA20-POLY1305:TLS_AES_128_GCM_SHA256:TLS_AES_256_GCM_SHA384:TLS_CHACHA20_POLY1305_SHA256',
      honorCipherOrder: false,
      ecdhCurve: 'X25519:P-256',
    });
    expect(c.http2).toBe(false);
    // A blank header is unset, as in exporter-toolkit; "0" stays the text written.
    expect(c.headers).toEqual({ 'X-Frame-Options': 'deny', 'X-XSS-Protection': '0' });
    expect(c.users).toEqual({ alice: HASH });
    expect(c.rateLimit).toEqual({ intervalMs: 1000, burst: 5 });
  });

  it.each([
    ['', undefined],
    ['basic_auth_users:\n  bob: ' + HASH, undefined],
    ['tls_server_config:\n  client_auth_type: RequireClientCert\n  cert_file: c\n  key_file: k', 'RequireAnyClientCert'],
  ])('an empty file or one without TLS keys means plain HTTP (%#)', (text, auth) => {
    expect(parseWebConfig(text, F).tls?.clientAuthType).toBe(auth);
  });

  it.each([
    ['tls_server_config: {cert_file: c, key_file: k, min_version: TLS14}', 'tls_server_config.min_version: must be one of TLS10, TLS11, TLS12, TLS13: value was "TLS14"'],
    ['tls_server_config: {cert_file: c, key_file: k, client_auth_type: Always}', 'tls_server_config.client_auth_type: must be one of NoClientCert, RequestClientCert, RequireAnyClientCert, RequireClientCert, VerifyClientCertIfGiven, RequireAndVerifyClientCert: value was "Always"'],
    ['tls_server_config: {cert_file: c, key_file: k, cipher_suites: [TLS_RSA_WITH_RC4_128_SHA]}', 'tls_server_config.cipher_suites: unknown name "TLS_RSA_WITH_RC4_128_SHA"'],
    ['tls_server_config: {cert_file: c, key_file: k, curve_preferences: [CurveP224]}', 'tls_server_config.curve_preferences: unknown name "CurveP224"'],
    ['tls_server_config: {cert_file: c, key_file: k, min_version: TLS13, max_version: TLS12}', 'tls_server_config.min_version: must not be above max_version (TLS12): value was "TLS13"'],
    ['tls_server_config: {cert_file: c}', 'tls_server_config.key_file: TLS is configured: one of key_file or key (inline PEM) is required'],
    ['tls_server_config: {key_file: k}', 'tls_server_config.cert_file: TLS is configured: one of cert_file or cert (inline PEM) is required'],
    ['tls_server_config: {cert_file: c, key_file: k, client_ca_file: ca}', 'tls_server_config.client_auth_type: a client CA is configured: set a client auth policy'],
    ['tls_server_config: {cert_file: c, key_file: k, prefer_server_cipher_suites: yes}', 'tls_server_config.prefer_server_cipher_suites: must be true or false: value was "yes"'],
    ['tls_server_config: {certfile: c}', 'tls_server_config.certfile: unknown key (known: cert, key, client_ca, cert_file'],
    ['tls_config: {}', 'tls_config: unknown key (known: tls_server_config, http_server_config, basic_auth_users, rate_limit): value was {}'],
    ['http_server_config: {headers: {Server: rxporter}}', 'http_server_config.headers.Server: this header can not be configured (allowed: Strict-Transport-Security, X-Content-Type-Options, X-Frame-Options, X-XSS-Protection, Content-Security-Policy): value was "rxporter"'],
    ['http_server_config: {headers: {X-Frame-Options: allow}}', 'http_server_config.headers.X-Frame-Options: must be one of deny, sameorigin: value was "allow"'],
    ['http_server_config: {headers: {X-Content-Type-Options: sniff}}', 'http_server_config.headers.X-Content-Type-Options: must be one of nosniff: value was "sniff"'],
    ['http_server_config: {http2: 1}', 'http_server_config.http2: must be true or false: value was "1"'],
    ['basic_auth_users: {alice: s3cret}', 'basic_auth_users.alice: must be a bcrypt hash ($2y$10$… as htpasswd -nBC 10 "" writes it): value was "(hidden)"'],
    ['basic_auth_users: [alice]', 'basic_auth_users: must be a mapping of user names to bcrypt hashes: value was ["alice"]'],
    ['rate_limit: {interval: 1s, burst: -1}', 'rate_limit.burst: must be a whole number, 0 or more: value was "-1"'],
    ['rate_limit: {interval: soon, burst: 1}', 'rate_limit.interval: must be a duration such as 1s or 500ms: value was "soon"'],
    ['tls_server_config: [a]', 'tls_server_config: must be a mapping of keys: value was ["a"]'],
    ['- a\n- b', 'must hold a mapping of keys (e.g. "tls_server_config:"): value was ["a","b"]'],
    ['tls_server_config:\n  cert_file: a\n  cert_file: b', 'not valid YAML: Map keys must be unique'],
    ['basic_auth_users: {alice: "x', 'not valid YAML'],
  ])('refuses %s with the file, key, value and what was expected', (text, message) => {
    const e = configError(() => parseWebConfig(text, F));
    expect(e.message).toContain(`web config file ${F}: ${message}`);
  });

  it('reports a YAML syntax error on one line (without the parser\'s code frame)', () => {
    const e = configError(() => parseWebConfig('tls_server_config:\n  cert_file: [server.pem\n', F));
    expect(e.message.split('\n')).toEqual([expect.stringMatching(/^web config file .*: not valid YAML: .* at line \d+, column \d+:?$/)]);
  });

  it('reports every problem of a file, one line each, and never quotes a password', () => {
    const e = configError(() => parseWebConfig('basic_auth_users: {alice: hunter2}\ntls_server_config: {cert_file: c, key_file: k, max_version: TLS9}\nextra: 1', F));
    expect(e.message.split('\n')).toHaveLength(3);
    expect(e.message).not.toContain('hunter2');
  });
});

describe('loadWebConfig', () => {
  const web = (name: string, text: string) => {
    const p = join(dir, name);
    writeFileSync(p, text);
    return p;
  };

  it('reads the certificate, key and client CA files, relative to the web config file', async () => {
    const f = web('good.yml', 'tls_server_config: {cert_file: server.pem, key_file: server.key, client_ca_file: ca.pem, client_auth_type: RequireAndVerifyClientCert}');
    const c = await loadWebConfig(f);
    expect(c.files).toEqual([f, pem.serverCert, pem.serverKey, pem.ca]);
    expect(c.tlsOptions).toMatchObject({ requestCert: true, rejectUnauthorized: true, minVersion: 'TLSv1.2', maxVersion: 'TLSv1.3', honorCipherOrder: true });
    expect(c.tlsOptions?.cert.toString()).toContain('BEGIN CERTIFICATE');
    expect(c.digest).toMatch(/^[0-9a-f]{64}$/);
  });

  it('takes inline PEM (cert, key, client_ca)', async () => {
    const { readFileSync } = await import('node:fs');
    const ind = (p: string) => readFileSync(p, 'utf8').trim().split('\n').map((l) => `    ${l}`).join('\n');
    const f = web('inline.yml', `tls_server_config:\n  cert: |\n${ind(pem.serverCert)}\n  key: |\n${ind(pem.serverKey)}\n  client_ca: |\n${ind(pem.ca)}\n  client_auth_type: VerifyClientCertIfGiven\n`);
    const c = await loadWebConfig(f);
    expect(c.files).toEqual([f]);
    expect(c.tlsOptions).toMatchObject({ requestCert: true, rejectUnauthorized: false });
  });

  it.each([
    ['a missing web config file', () => join(dir, 'nope.yml'), /web config file .*nope\.yml: --web\.config\.file: must be a readable YAML file \(no such file\): value was ".*nope\.yml"$/],
    ['a missing cert file', () => web('m.yml', 'tls_server_config: {cert_file: gone.pem, key_file: server.key}'), /m\.yml: tls_server_config\.cert_file: must be a readable PEM file \(no such file\): value was ".*gone\.pem"$/],
    ['a key file that is a directory', () => (mkdirSync(join(dir, 'kdir'), { recursive: true }), web('d.yml', 'tls_server_config: {cert_file: server.pem, key_file: kdir}')), /d\.yml: tls_server_config\.key_file: must be a readable PEM file \(is a directory\): value was ".*kdir"$/],
    ['a cert file without a certificate', () => (writeFileSync(join(dir, 'junk.pem'), 'not a cert\n'), web('j.yml', 'tls_server_config: {cert_file: junk.pem, key_file: server.key}')), /j\.yml: tls_server_config\.cert_file: .*junk\.pem: holds no PEM certificate/],
    ['a key that is not the certificate\'s', () => web('x.yml', 'tls_server_config: {cert_file: server.pem, key_file: client.key}'), /x\.yml: tls_server_config\.key_file: must be the private key of the certificate .*server\.pem: .*: value was ".*client\.key"/],
    ['a client CA file without a certificate', () => web('c.yml', 'tls_server_config: {cert_file: server.pem, key_file: server.key, client_ca_file: server.key, client_auth_type: RequireAndVerifyClientCert}'), /c\.yml: tls_server_config\.client_ca_file: .*server\.key: holds no PEM certificate/],
  ])('refuses %s, naming the key and the file', async (_what, make, message) => {
    const e = await loadWebConfig(make()).then(
      () => undefined,
      (x: unknown) => x,
    );
    expect(e).toBeInstanceOf(RxporterError);
    expect((e as RxporterError).code).toBe('RXP_CONFIG');
    expect((e as RxporterError).message).toMatch(message);
  });
});
