import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { repoRoot } from './paths';
import { requireBinary, startServer } from './servers';

describe('test servers', () => {
  it('refuse at once, naming the package, when a binary is not installed (no 20 s wait)', async () => {
    expect(() => requireBinary('victoria-metrics')).not.toThrow();
    const t0 = performance.now();
    await expect(startServer({ name: 'x', bin: 'rxp-no-such-server', args: () => [], readyPath: '/' })).rejects.toThrow(
      /rxp-no-such-server is not on PATH: install Debian's rxp-no-such-server package/,
    );
    expect(performance.now() - t0).toBeLessThan(5_000);
  });
});

describe('tools/test-deps.sh (npm pretest)', () => {
  let bin: string;
  beforeAll(() => {
    bin = mkdtempSync(join(tmpdir(), 'rxp-testdeps-'));
    for (const tool of ['bash', 'sort']) symlinkSync(spawnSync('bash', ['-c', `command -v ${tool}`], { encoding: 'utf8' }).stdout.trim(), join(bin, tool));
  });
  afterAll(() => rmSync(bin, { recursive: true, force: true }));

  const run = (env: Record<string, string>) =>
    spawnSync(join(bin, 'bash'), [join(repoRoot(), 'tools', 'test-deps.sh')], { encoding: 'utf8', env: { PATH: bin, ...env }, timeout: 10_000 });

  it('stops at once with one line naming every missing package when it may not install (not root)', () => {
    writeFileSync(join(bin, 'id'), '#!/bin/sh\necho 1000\n', { mode: 0o755 });
    const r = run({});
    expect(r.status).toBe(1);
    const lines = r.stderr.trim().split('\n');
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatch(/apt-get install apache2-utils chromium openssl prometheus prometheus-node-exporter prometheus-process-exporter prometheus-pushgateway runc victoria-metrics$/);
  });

  it('stops the same way as root on a host without apt-get', () => {
    writeFileSync(join(bin, 'id'), '#!/bin/sh\necho 0\n', { mode: 0o755 });
    const r = run({});
    expect(r.status).toBe(1);
    expect(r.stderr.trim().split('\n')).toHaveLength(1);
    expect(r.stderr).toContain('npm test needs these Debian packages');
  });

  it('passes when every binary is there (this machine after the pretest step)', () => {
    const r = spawnSync('bash', [join(repoRoot(), 'tools', 'test-deps.sh')], { encoding: 'utf8', timeout: 600_000 });
    expect(r.stderr).toBe('');
    expect(r.status).toBe(0);
  });
});
