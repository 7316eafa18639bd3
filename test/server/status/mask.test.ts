import { loadConfig } from '../../../src/config/load';
import { configSchema } from '../../../src/config/schema';
import { maskConfig, maskUrl, SECRET } from '../../../src/server/status/mask';

describe('maskUrl', () => {
  it.each([
    ['http://user:hunter2@vm:8428/x', `http://user:${SECRET}@vm:8428/x`],
    ['https://ghp_abc@host/api', `https://${SECRET}@host/api`],
    ['http://vm:8428/api/v1/write?token=abc&db=x', `http://vm:8428/api/v1/write?token=${SECRET}&db=x`],
    ['http://vm:8428/?api_key=k1#frag', `http://vm:8428/?api_key=${SECRET}#frag`],
    ['http://vm:8428/path@with-at', 'http://vm:8428/path@with-at'],
    ['http://vm:8428/', 'http://vm:8428/'],
    ['http://vm:8428/?%zz=1&pass%77ord=2', `http://vm:8428/?%zz=1&pass%77ord=${SECRET}`],
    ['not a url?token=1', 'not a url?token=1'],
  ])('%s -> %s', (url, masked) => expect(maskUrl(url)).toBe(masked));
});

describe('maskConfig', () => {
  it('masks the remote-write password and bearer token of a real config, keeps user names, paths and unset values', () => {
    const config = loadConfig({
      values: {
        global: { appName: 'a' },
        exporter: {
          remoteWrite: {
            url: 'https://writer:s3cret@prom:9090/api/v1/write',
            basicAuth: { username: 'writer', password: 'p4ss' },
            bearerToken: 'tok-123',
            headers: { Authorization: 'Bearer xyz', 'X-Scope-OrgID': 'team-a' },
          },
          vmagent: { url: 'http://vm:8429' },
        },
      },
    });
    const m = maskConfig(config, configSchema()) as typeof config;
    const rw = m.exporter.remoteWrite;
    expect(rw.url).toBe(`https://writer:${SECRET}@prom:9090/api/v1/write`);
    expect(rw.basicAuth).toEqual({ username: 'writer', password: SECRET, usernameFile: '', passwordFile: '' });
    expect(rw.bearerToken).toBe(SECRET);
    expect(rw.headers).toEqual({ Authorization: SECRET, 'X-Scope-OrgID': 'team-a' });
    expect(m.exporter.vmagent.url).toBe('http://vm:8429');
    expect(m.global.appName).toBe('a');
    const json = JSON.stringify(m);
    for (const secret of ['s3cret', 'p4ss', 'tok-123', 'xyz']) expect(json).not.toContain(secret);
    // Not set stays visibly not set.
    const plain = maskConfig(loadConfig({ values: { global: { appName: 'a' } } }), configSchema()) as typeof config;
    expect(plain.exporter.remoteWrite.bearerToken).toBe('');
  });

  it('masks schema-sensitive leaves whatever their name', () => {
    const schema = { x: { plain: { format: String, default: '', sensitive: true } } };
    expect(maskConfig({ x: { plain: 'v' } }, schema)).toEqual({ x: { plain: SECRET } });
  });

  it('keeps *_file paths (never reads them) and masks basic_auth_users hashes and bcrypt-like values', () => {
    const web = {
      tls_server_config: { cert_file: '/etc/tls/c.pem', key_file: '/etc/tls/k.pem' },
      basic_auth_users: { alice: '$2y$10$abcdefghijklmnopqrstuv', bob: 'plain' },
      http_server_config: { headers: { 'Strict-Transport-Security': 'max-age=1' } },
      sink: { password_file: '/run/secrets/pw', bearerTokenFile: '/run/secrets/tok', stray: '$2b$12$xyz' },
    };
    expect(maskConfig(web)).toEqual({
      tls_server_config: { cert_file: '/etc/tls/c.pem', key_file: '/etc/tls/k.pem' },
      basic_auth_users: { alice: SECRET, bob: SECRET },
      http_server_config: { headers: { 'Strict-Transport-Security': 'max-age=1' } },
      sink: { password_file: '/run/secrets/pw', bearerTokenFile: '/run/secrets/tok', stray: SECRET },
    });
  });

  it('masks secret keys inside lists and numbers under secret keys', () => {
    expect(maskConfig({ tokens: ['a', 'b'], apiKey: 42, enabled: true })).toEqual({ tokens: [SECRET, SECRET], apiKey: SECRET, enabled: true });
  });
});
