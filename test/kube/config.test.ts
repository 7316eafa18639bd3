import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadKubeConnection } from '../../src/kube/config';
import { rejection } from '../support/thrown';

let dir: string;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'rxp-kubeconfig-'));
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

const file = (name: string, text: string): string => {
  const p = join(dir, name);
  writeFileSync(p, text);
  return p;
};

const PEM = '-----BEGIN CERTIFICATE-----\nMIIB\n-----END CERTIFICATE-----\n';
const b64 = (s: string) => Buffer.from(s).toString('base64');

const kubeconfig = (cluster: string, user: string, ctx = 'namespace: team-a') => `apiVersion: v1
kind: Config
current-context: prod
contexts:
- name: dev
  context: {cluster: nowhere, user: nobody}
- name: prod
  context:
    cluster: c1
    user: u1
    ${ctx}
clusters:
- name: c1
  cluster:
${cluster}
users:
- name: u1
  user:
${user}
`;

describe('loadKubeConnection from a kubeconfig', () => {
  it('takes the current context: server, namespace, token and inline CA and client certificate', async () => {
    const p = file(
      'config',
      kubeconfig(
        `    server: https://10.0.0.1:6443/\n    certificate-authority-data: ${b64(PEM)}`,
        `    token: abc\n    client-certificate-data: ${b64('CERT')}\n    client-key-data: ${b64('KEY')}`,
      ),
    );
    const c = await loadKubeConnection({ configPath: p, env: {} });
    expect(c).toMatchObject({ server: 'https://10.0.0.1:6443', namespace: 'team-a', token: 'abc', insecureSkipTlsVerify: false, source: `kubeconfig ${p}, context prod` });
    expect(c.ca?.toString()).toBe(PEM);
    expect(c.cert?.toString()).toBe('CERT');
    expect(c.key?.toString()).toBe('KEY');
  });

  it('reads certificate files and the tokenFile relative to the kubeconfig, and plain http servers', async () => {
    mkdirSync(join(dir, 'pki'));
    file('pki/ca.crt', PEM);
    file('pki/me.crt', 'CERT');
    file('pki/me.key', 'KEY');
    const p = file(
      'config',
      kubeconfig(
        '    server: http://127.0.0.1:8001\n    certificate-authority: pki/ca.crt\n    insecure-skip-tls-verify: true',
        '    tokenFile: pki/token\n    client-certificate: pki/me.crt\n    client-key: pki/me.key',
        '',
      ),
    );
    const c = await loadKubeConnection({ configPath: p, env: {} });
    expect(c).toMatchObject({ server: 'http://127.0.0.1:8001', namespace: undefined, tokenFile: join(dir, 'pki/token'), insecureSkipTlsVerify: true });
    expect(c.ca?.toString()).toBe(PEM);
    expect(c.cert?.toString()).toBe('CERT');
  });

  it('uses $KUBECONFIG when kube.config is empty, merging a list with the first file winning', async () => {
    const a = file('a', 'current-context: prod\n');
    const b = file('b', kubeconfig('    server: https://b:443', '    token: t'));
    const c = await loadKubeConnection({ configPath: '', env: { KUBECONFIG: `${a}:${b}` } });
    expect(c).toMatchObject({ server: 'https://b:443', token: 't', source: `kubeconfig ${a}, context prod` });
  });

  it.each([
    ['not YAML', 'a: [', /kubeconfig .*config: not YAML/],
    ['a list at the top', '- a', /expected a mapping/],
    ['no current-context', 'contexts: []', /current-context: expected the name of a context/],
    ['an unknown current context', 'current-context: x\ncontexts: []', /current-context: no context named "x"/],
    ['a context without cluster', 'current-context: x\ncontexts:\n- name: x\n  context: {user: u}', /contexts\[name=x\]\.context\.cluster: expected the name of a cluster/],
    ['a missing cluster', 'current-context: x\ncontexts:\n- name: x\n  context: {cluster: c}', /no cluster named "c" in clusters/],
    ['a server that is no URL', 'current-context: x\ncontexts:\n- name: x\n  context: {cluster: c}\nclusters:\n- name: c\n  cluster: {server: "10.0.0.1"}', /clusters\[name=c\]\.cluster\.server: expected an http:\/\/ or https:\/\/ URL, got "10\.0\.0\.1"/],
    ['contexts not a list', 'current-context: x\ncontexts: {x: 1}', /contexts: expected a list/],
    ['a token that is a number', kubeconfig('    server: https://a', '    token: 5'), /users\[name=u1\]\.token: expected a string/],
    ['a lone client key', kubeconfig('    server: https://a', `    client-key-data: ${b64('K')}`), /client-certificate and client-key go together/],
    ['an exec plugin', kubeconfig('    server: https://a', '    exec: {command: aws}'), /user\.exec: credential plugins are not supported/],
    ['bad base64', kubeconfig('    server: https://a\n    certificate-authority-data: "%%%"', '    token: t'), /certificate-authority-data: expected base64 PEM/],
    ['a missing CA file', kubeconfig('    server: https://a\n    certificate-authority: nope.crt', '    token: t'), /clusters\[name=c1\]\.certificate-authority: cannot read .*nope\.crt: ENOENT/],
    ['a boolean that is a string', kubeconfig('    server: https://a\n    insecure-skip-tls-verify: "yes"', '    token: t'), /insecure-skip-tls-verify: expected true or false/],
  ])('refuses %s, naming file and key', async (_what, text, message) => {
    const p = file('config', text);
    const e = await rejection(loadKubeConnection({ configPath: p, env: {} }));
    expect(e).toMatchObject({ code: 'RXP_CONFIG' });
    expect((e as Error).message).toMatch(message);
    expect((e as Error).message).toContain(p);
  });

  it('names a kubeconfig file that cannot be read', async () => {
    const e = await rejection(loadKubeConnection({ configPath: join(dir, 'absent'), env: {} }));
    expect((e as Error).message).toMatch(/kubeconfig .*absent: cannot read .*absent: ENOENT/);
  });
});

describe('loadKubeConnection in a cluster', () => {
  it('uses KUBERNETES_SERVICE_HOST/PORT and the service account token, CA and namespace', async () => {
    file('token', 'sa-token\n');
    file('ca.crt', PEM);
    file('namespace', 'monitoring\n');
    const c = await loadKubeConnection({ env: { KUBERNETES_SERVICE_HOST: 'fd00::1', KUBERNETES_SERVICE_PORT: '443' }, serviceAccountDir: dir });
    expect(c).toMatchObject({ server: 'https://[fd00::1]:443', namespace: 'monitoring', tokenFile: join(dir, 'token'), source: 'in-cluster' });
    expect(c.token).toBeUndefined();
    expect(c.ca?.toString()).toBe(PEM);
  });

  it('says how to configure it outside a pod, and names a missing token file', async () => {
    expect(((await rejection(loadKubeConnection({ env: {}, serviceAccountDir: dir }))) as Error).message).toMatch(/not in a pod; give --kube\.config or \$KUBECONFIG/);
    const e = await rejection(loadKubeConnection({ env: { KUBERNETES_SERVICE_HOST: 'h', KUBERNETES_SERVICE_PORT: '1' }, serviceAccountDir: dir }));
    expect((e as Error).message).toMatch(/in-cluster service account .*: cannot read .*token: ENOENT/);
  });
});
