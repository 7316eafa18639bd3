import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { cliPath, repoRoot } from '../support/paths';
import { freePort, poll, promQuery, startPrometheus, type RealServer } from '../support/servers';

const memTotalBytes = (): number => Number(/^MemTotal:\s+(\d+) kB$/m.exec(readFileSync('/proc/meminfo', 'utf8'))![1]) * 1024;

describe('a real Prometheus scraping rxporter', () => {
  let agent: ChildProcess;
  let port: number;
  let prom: RealServer;
  let stderr = '';

  beforeAll(async () => {
    port = await freePort();
    agent = spawn(process.execPath, [cliPath(), '--config', join(repoRoot(), 'config', 'rxporter.example.yaml'), `--web.listen-address=127.0.0.1:${port}`], {
      stdio: ['ignore', 'ignore', 'pipe'],
    });
    agent.stderr?.on('data', (b: Buffer) => (stderr += b.toString()));
    await poll(async () => ((await fetch(`http://127.0.0.1:${port}/metrics`)).ok ? true : undefined), 15_000, 'rxporter up');
    prom = await startPrometheus({ targets: [`127.0.0.1:${port}`] });
  });

  afterAll(async () => {
    await prom?.stop();
    agent?.kill('SIGTERM');
  });

  it('shows the target up and node_memory_MemTotal_bytes with this machine\'s value', async () => {
    const up = await poll(
      async () => {
        const r = await promQuery(prom, `up{instance="127.0.0.1:${port}"}`);
        return r.length > 0 && r[0].value[1] === '1' ? r : undefined;
      },
      30_000,
      'up == 1 in Prometheus',
      500,
    );
    expect(up[0].metric.job).toBe('rx');
    const mem = await promQuery(prom, 'node_memory_MemTotal_bytes');
    expect(mem).toHaveLength(1);
    expect(Number(mem[0].value[1])).toBe(memTotalBytes());
    const ok = await promQuery(prom, 'node_scrape_collector_success');
    expect(ok.map((s) => [s.metric.collector, s.value[1]]).sort()).toEqual(expect.arrayContaining([['filesystem', '1'], ['meminfo', '1']]));
  }, 60_000);

  it('serves an exposition that promtool check metrics accepts (no parse errors)', async () => {
    const body = await (await fetch(`http://127.0.0.1:${port}/metrics`)).text();
    const r = spawnSync('promtool', ['check', 'metrics'], { input: body, encoding: 'utf8' });
    expect(r.error).toBeUndefined();
    // Exit 1 = parse errors. Exit 3 = lint only, which node_exporter's own meminfo names (camelCase) also trigger.
    expect(r.status === 0 || r.status === 3).toBe(true);
    const lint = (r.stderr + r.stdout).split('\n').filter((l) => l.trim() !== '');
    // node_exporter's own names trip these lints (camelCase meminfo/netstat fields, *_bits): same names, same lints.
    const unexpected = lint.filter((l) => !/snake_case|use base unit/.test(l));
    expect(unexpected).toEqual([]);
  });

  it('is scraped in OpenMetrics, which Prometheus asks for first, with every sample ingested', async () => {
    // Prometheus 2.42 sends Accept: application/openmetrics-text;version=1.0.0,…,text/plain;version=0.0.4;q=0.5
    const scraped = await promQuery(prom, `scrape_samples_scraped{instance="127.0.0.1:${port}"}`);
    const body = await (await fetch(`http://127.0.0.1:${port}/metrics`, { headers: { Accept: 'application/openmetrics-text; version=1.0.0' } })).text();
    const samples = body.split('\n').filter((l) => l !== '' && !l.startsWith('#')).length;
    // the sample count may move by a few between two scrapes (mounts, devices): compare loosely
    expect(Math.abs(Number(scraped[0].value[1]) - samples)).toBeLessThanOrEqual(Math.ceil(samples * 0.02));
  });
});
