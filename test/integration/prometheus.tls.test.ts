import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { cliPath, repoRoot } from '../support/paths';
import { freePort, poll, promQuery, startPrometheus, type RealServer } from '../support/servers';
import { htpasswdHash, makeTlsFiles } from '../support/tlsFiles';

/** up of a job, once Prometheus has scraped it. */
const upOf = (prom: RealServer, job: string) =>
  poll(
    async () => {
      const r = await promQuery(prom, `up{job="${job}"}`);
      return r.length > 0 ? r[0].value[1] : undefined;
    },
    30_000,
    `up{job="${job}"} in Prometheus`,
    500,
  );

describe('a real Prometheus scraping rxporter over TLS with a client certificate and basic auth', () => {
  const dir = mkdtempSync(join(tmpdir(), 'rxp-prom-tls-'));
  let agent: ChildProcess;
  let port: number;
  let prom: RealServer;
  let stderr = '';

  beforeAll(async () => {
    const pem = makeTlsFiles(dir);
    writeFileSync(
      join(dir, 'web.yml'),
      [
        'tls_server_config:',
        '  cert_file: server.pem',
        '  key_file: server.key',
        '  client_ca_file: ca.pem',
        '  client_auth_type: RequireAndVerifyClientCert',
        'basic_auth_users:',
        `  prometheus: ${htpasswdHash('scrape-secret')}`,
        '',
      ].join('\n'),
    );
    port = await freePort();
    agent = spawn(
      process.execPath,
      [cliPath(), '--config', join(repoRoot(), 'config', 'rxporter.example.yaml'), `--web.listen-address=127.0.0.1:${port}`, `--web.config.file=${join(dir, 'web.yml')}`],
      { stdio: ['ignore', 'ignore', 'pipe'] },
    );
    agent.stderr?.on('data', (b: Buffer) => (stderr += b.toString()));
    await poll(async () => (/msg=listening/.test(stderr) ? true : undefined), 15_000, 'rxporter listening');
    const tls = { ca_file: pem.ca, cert_file: pem.clientCert, key_file: pem.clientKey };
    const target = { static_configs: [{ targets: [`127.0.0.1:${port}`] }], scheme: 'https' };
    prom = await startPrometheus({
      scrapeConfigs: [
        { job_name: 'rx-tls', ...target, tls_config: tls, basic_auth: { username: 'prometheus', password: 'scrape-secret' } },
        { job_name: 'rx-wrong-password', ...target, tls_config: tls, basic_auth: { username: 'prometheus', password: 'guess' } },
        { job_name: 'rx-no-client-cert', ...target, tls_config: { ca_file: pem.ca }, basic_auth: { username: 'prometheus', password: 'scrape-secret' } },
        { job_name: 'rx-plain-http', static_configs: [{ targets: [`127.0.0.1:${port}`] }], basic_auth: { username: 'prometheus', password: 'scrape-secret' } },
      ],
    });
  }, 60_000);

  afterAll(async () => {
    await prom?.stop();
    agent?.kill('SIGTERM');
    rmSync(dir, { recursive: true, force: true });
  });

  it('is up with the right certificate and password, and its samples arrive', async () => {
    expect(await upOf(prom, 'rx-tls')).toBe('1');
    const mem = await poll(async () => {
      const r = await promQuery(prom, 'node_memory_MemTotal_bytes{job="rx-tls"}');
      return r.length ? r : undefined;
    }, 30_000, 'node_memory_MemTotal_bytes');
    expect(Number(mem[0].value[1])).toBeGreaterThan(0);
  }, 60_000);

  it('is down for a wrong password, a client without a certificate and plain HTTP', async () => {
    expect(await upOf(prom, 'rx-wrong-password')).toBe('0');
    expect(await upOf(prom, 'rx-no-client-cert')).toBe('0');
    expect(await upOf(prom, 'rx-plain-http')).toBe('0');
    const targets = (await (await fetch(`${prom.url}/api/v1/targets`)).json()) as { data: { activeTargets: { labels: { job: string }; lastError: string }[] } };
    const err = (job: string) => targets.data.activeTargets.find((t) => t.labels.job === job)?.lastError ?? '';
    expect(err('rx-wrong-password')).toMatch(/401/);
    expect(err('rx-tls')).toBe('');
    expect(stderr).not.toMatch(/web config not reloaded|metrics request failed/);
  }, 60_000);
});
