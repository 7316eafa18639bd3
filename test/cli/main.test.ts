import { spawn, spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync, copyFileSync } from 'node:fs';
import { createServer } from 'node:net';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { cliPath, fixture, repoRoot } from '../support/paths';

const run = (args: string[], env: NodeJS.ProcessEnv = {}) =>
  spawnSync(process.execPath, [cliPath(), ...args], { encoding: 'utf8', env: { PATH: process.env.PATH, ...env }, timeout: 30_000 });

/** Starts the built CLI as a daemon; resolves once it logs "listening", with its port. */
async function startCli(args: string[]) {
  const child = spawn(process.execPath, [cliPath(), ...args], { env: { PATH: process.env.PATH }, stdio: ['ignore', 'pipe', 'pipe'] });
  let err = '';
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  const checks: (() => void)[] = [];
  child.stderr.on('data', (b: Buffer) => {
    err += b.toString();
    for (const check of checks) check();
  });
  /** Resolves with the first match of `re` in stderr; rejects if the process exits first. */
  const waitFor = (re: RegExp) =>
    new Promise<RegExpExecArray>((resolve, reject) => {
      const check = () => {
        const m = re.exec(err);
        if (m) resolve(m);
      };
      checks.push(check);
      check();
      void exited.then((code) => reject(new Error(`exited ${code}: ${err}`)));
    });
  const port = Number((await waitFor(/msg=listening .*port=(\d+)/))[1]);
  return { child, port, exited, waitFor, stderr: () => err };
}

const dir = mkdtempSync(join(tmpdir(), 'rxp-cli-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('rxporter CLI', () => {
  it('--version prints the package version', () => {
    const r = run(['--version']);
    expect(r.status).toBe(0);
    expect(r.stdout).toMatch(/^rxporter \d+\.\d+\.\d+ \(node /);
  });

  it('--help lists flags with their env variables and defaults', () => {
    const r = run(['--help']);
    expect(r.status).toBe(0);
    for (const s of ['--config FILE', '--once', '--web.listen-address', 'RXPORTER_WEB_LISTEN_ADDRESS', '--path.procfs', '--collect.interval', '"30s"', '--global.app-name', 'RXPORTER_APP_NAME', '--log.format']) {
      expect(r.stdout).toContain(s);
    }
  });

  it('--help shows each range and which flags repeat', () => {
    const r = run(['--help']);
    for (const s of ['(default "30s", range 1s to 24d)', '--collector.sysctl.include (repeatable)', 'env RXPORTER_COLLECTOR_SYSCTL_INCLUDE (comma-separated, or a JSON array)']) {
      expect(r.stdout).toContain(s);
    }
  });

  it('--once prints the exposition of a captured /proc to stdout', () => {
    const r = run(['--once', '--global.app-name=t', '--collector.disable-defaults', '--collector.meminfo', '--path.procfs', fixture('hosts', 'dev-vm-1', 'proc')]);
    expect(r.status).toBe(0);
    expect(r.stdout).toMatch(/^node_memory_MemTotal_bytes \d\.\d+e\+\d\d$/m);
    expect(r.stdout).toContain('node_scrape_collector_success{collector="meminfo"} 1');
    expect(r.stdout).not.toContain('node_filesystem_');
  });

  it('--once exits 0 when a collector fails, with success 0 on stdout and a log line on stderr', () => {
    const proc = join(dir, 'garbled');
    mkdirSync(proc, { recursive: true });
    copyFileSync(fixture('edge', 'meminfo', 'non-number'), join(proc, 'meminfo'));
    const r = run(['--once', '--collector.disable-defaults', '--collector.meminfo', `--path.procfs=${proc}`], { RXPORTER_APP_NAME: 'env-app' });
    expect(r.status).toBe(0);
    expect(r.stdout).toContain('node_scrape_collector_success{collector="meminfo"} 0');
    expect(r.stderr).toMatch(/level=warn msg="collector failed" collector=meminfo code=RXP_PROC_PARSE error=".*MemFree/);
  });

  it('--once with a missing /proc file marks only that collector failed', () => {
    const r = run(['--once', '--global.app-name=t', '--collector.disable-defaults', '--collector.meminfo', '--collector.filesystem', `--path.procfs=${join(dir, 'nope')}`, '--log.format=json']);
    expect(r.status).toBe(0);
    expect(r.stdout).toContain('node_scrape_collector_success{collector="meminfo"} 0');
    expect(r.stdout).toContain('node_scrape_collector_success{collector="filesystem"} 0');
    const lines = r.stderr.trim().split('\n').map((l) => JSON.parse(l) as Record<string, string>);
    expect(lines.filter((l) => l.message === 'collector failed').map((l) => [l.collector, l.code]).sort()).toEqual([
      ['filesystem', 'RXP_PROC_MISSING'],
      ['meminfo', 'RXP_PROC_MISSING'],
    ]);
  });

  it('exits 1 with "global.appName must be set" when no app name is given anywhere', () => {
    const r = run(['--once']);
    expect(r.status).toBe(1);
    expect(r.stderr).toContain('global.appName must be set');
    expect(r.stdout).toBe('');
  });

  it.each([
    ['an unknown key in the file', 'global:\n  appName: a\nweb:\n  port: 1\n', /web\.port: unknown key.*value was 1/],
    ['a bad duration in the file', 'global:\n  appName: a\ncollect:\n  interval: soon\n', /collect\.interval: must be a duration.*value was \\"soon\\"/],
  ])('exits 1 naming the key and value for %s', (_n, text, msg) => {
    const f = join(dir, 'bad.yaml');
    writeFileSync(f, text);
    const r = run(['--once', '--config', f]);
    expect(r.status).toBe(1);
    expect(r.stderr).toMatch(msg);
  });

  it('exits 1 on an unknown flag', () => {
    const r = run(['--once', '--global.app-name=a', '--web.listen-adress=:1']);
    expect(r.status).toBe(1);
    expect(r.stderr).toContain('unknown flag --web.listen-adress');
  });

  it.each([
    [['--global.node-name=a', '--global.node-name=b'], 'flag --global.node-name given twice (--global.node-name=a, then --global.node-name=b)'],
    [['--collector.meminfo', '--no-collector.meminfo'], 'flag --collector.meminfo given twice (--collector.meminfo, then --no-collector.meminfo)'],
    [['--collect.interval=30d'], 'collect.interval: must be between 1s and 24d: value was \\"30d\\"'],
    [['--collect.interval=0'], 'collect.interval: must be between 1s and 24d (a number without a unit is milliseconds): value was \\"0\\"'],
  ])('exits 1 with a log line for %j', (args, msg) => {
    const r = run(['--once', '--global.app-name=a', ...args]);
    expect(r.status).toBe(1);
    expect(r.stdout).toBe('');
    expect(r.stderr).toMatch(/^ts=\S+ level=error msg="invalid configuration" code=RXP_CONFIG error=".*"\n$/);
    expect(r.stderr).toContain(msg);
  });

  it('exits 1 when --config is given twice, naming both files', () => {
    const r = run(['--once', '--global.app-name=a', '--config', 'a.yaml', '--config=b.yaml']);
    expect(r.status).toBe(1);
    expect(r.stderr).toContain('error="--config given twice (a.yaml, then b.yaml): give one file"');
  });

  it('exits 1 naming the directory given as the config file', () => {
    const r = run(['--once', '--config', dir]);
    expect(r.status).toBe(1);
    expect(r.stderr).toContain(`error="config file ${dir}: is a directory; --config takes a YAML or JSON file"`);
  });

  it('logs each config problem as its own line, in JSON when --log.format=json asks for it', () => {
    const r = run(['--once', '--log.format=json', '--collect.interval=30d', '--push.queue.max-bytes=0'], { RXPORTER_APP_NAME: 'a' });
    expect(r.status).toBe(1);
    const lines = r.stderr.trim().split('\n').map((l) => JSON.parse(l) as Record<string, string>);
    expect(lines.map((l) => [l.level, l.message, l.code, l.error.split(':')[0]])).toEqual([
      ['error', 'invalid configuration', 'RXP_CONFIG', 'collect.interval'],
      ['error', 'invalid configuration', 'RXP_CONFIG', 'exporter.queue.maxBytes'],
    ]);
  });

  it('logs a config error found after loading (a sink URL) as a log line, not a bare one', () => {
    const r = run(['--global.app-name=a', '--web.listen-address=127.0.0.1:0', '--push.pushgateway.url=pg:9091']);
    expect(r.status).toBe(1);
    expect(r.stderr).toMatch(/^ts=\S+ level=error msg="invalid configuration" code=RXP_CONFIG error="exporter\.pushgateway\.url: must be an http/m);
    expect(r.stderr).not.toMatch(/^rxporter:/m);
  });

  it('logs a startup failure (the port in use) as a log line and exits 1', async () => {
    const blocker = createServer();
    await new Promise<void>((resolve) => blocker.listen(0, '127.0.0.1', resolve));
    try {
      const { port } = blocker.address() as AddressInfo;
      const r = run(['--global.app-name=a', `--web.listen-address=127.0.0.1:${port}`]);
      expect(r.status).toBe(1);
      expect(r.stderr).toMatch(/^ts=\S+ level=error msg="startup failed" code=EADDRINUSE error=".*EADDRINUSE/m);
    } finally {
      blocker.close();
    }
  });

  it('reloads the config file on SIGHUP (flags still win over it) and refuses an invalid one, keeping the running config', async () => {
    const file = join(dir, 'hup.yaml');
    writeFileSync(file, 'collectors:\n  disableDefaults: true\n  loadavg: {enabled: true}\n');
    // The flag keeps loadavg on whatever the file says.
    const d = await startCli(['--config', file, '--global.app-name=hup', '--web.listen-address=127.0.0.1:0', '--collector.loadavg']);
    const metrics = async () => (await fetch(`http://127.0.0.1:${d.port}/metrics`)).text();
    try {
      expect(await metrics()).not.toContain('node_memory_MemTotal_bytes ');
      // Without --web.enable-lifecycle only the signal reloads.
      const post = await fetch(`http://127.0.0.1:${d.port}/-/reload`, { method: 'POST' });
      expect([post.status, await post.text()]).toEqual([403, 'Lifecycle API is not enabled.\n']);
      writeFileSync(file, 'collectors:\n  disableDefaults: true\n  loadavg: {enabled: false}\n  meminfo: {enabled: true}\n');
      d.child.kill('SIGHUP');
      await d.waitFor(/level=info msg="configuration reloaded" collectors=loadavg,meminfo /);
      let text = await metrics();
      expect(text).toContain('node_memory_MemTotal_bytes ');
      expect(text).toContain('node_load1 ');
      expect(text).toMatch(/^rxporter_config_last_reload_successful 1$/m);
      // Two problems: two log lines, each naming its key; the running config stays.
      writeFileSync(file, 'collect:\n  interval: soon\nbogus: 1\ncollectors:\n  meminfo: {enabled: false}\n');
      d.child.kill('SIGHUP');
      await d.waitFor(/level=error msg="reload refused: invalid configuration" code=RXP_CONFIG error="collect\.interval: must be a duration/);
      await d.waitFor(/level=error msg="reload refused: invalid configuration" code=RXP_CONFIG error="bogus: unknown key/);
      text = await metrics();
      expect(text).toMatch(/^rxporter_config_last_reload_successful 0$/m);
      expect(text).toContain('node_memory_MemTotal_bytes ');
      expect(d.child.exitCode).toBeNull();
      d.child.kill('SIGTERM');
      expect(await d.exited).toBe(0);
    } finally {
      d.child.kill('SIGKILL');
    }
  });

  it('survives SIGHUP after its terminal is gone (stderr has no reader) and serves on', async () => {
    const d = await startCli(['--global.app-name=hup', '--web.listen-address=127.0.0.1:0', '--collector.disable-defaults', '--collector.loadavg']);
    try {
      d.child.stderr.destroy();
      d.child.kill('SIGHUP'); // its log line now fails with EPIPE
      const r = await fetch(`http://127.0.0.1:${d.port}/metrics`);
      expect(r.status).toBe(200);
      // Signals are handled in order: a clean exit on SIGTERM shows SIGHUP did not end it.
      d.child.kill('SIGTERM');
      expect(await d.exited).toBe(0);
    } finally {
      d.child.kill('SIGKILL');
    }
  });

  it('serves /metrics and exits 0 on SIGTERM within 5 s', async () => {
    const d = await startCli(['--config', join(repoRoot(), 'config', 'rxporter.example.yaml'), '--web.listen-address=127.0.0.1:0']);
    const r = await fetch(`http://127.0.0.1:${d.port}/metrics`);
    expect(r.status).toBe(200);
    expect(await r.text()).toContain('node_memory_MemTotal_bytes');
    const t0 = Date.now();
    d.child.kill('SIGTERM');
    expect(await d.exited).toBe(0);
    expect(Date.now() - t0).toBeLessThan(5000);
    expect(d.stderr()).toContain('msg="shutting down" signal=SIGTERM');
  });
});
