// Reload latency: the built agent (dist/) with --web.enable-lifecycle; times POST /-/reload (request to 200) N times each
// for a config that toggles a collector (the worker pool is rebuilt) and one that changes only a base label.
// Usage: npm run build && node tools/reload-latency.js [N=10] [PORT=19178]
const { spawn } = require('node:child_process');
const fs = require('node:fs');
const { join, resolve } = require('node:path');
const os = require('node:os');
const root = resolve(__dirname, '..');
const n = Number(process.argv[2] || 10);
const port = Number(process.argv[3] || 19178);
const file = join(fs.mkdtempSync(join(os.tmpdir(), 'rxp-reload-latency-')), 'rxporter.json');
fs.writeFileSync(file, '{}');
const args = [`${root}/dist/src/cli/main.js`, '--config', file, '--global.app-name=reload', `--web.listen-address=127.0.0.1:${port}`, '--web.enable-lifecycle', '--collector.disable-defaults', '--collector.meminfo', '--log.level=error'];
const p = spawn(process.execPath, args, { stdio: 'ignore' });
const url = (path) => `http://127.0.0.1:${port}${path}`;
const timed = async (config) => {
  fs.writeFileSync(file, JSON.stringify(config));
  const t = performance.now();
  const r = await fetch(url('/-/reload'), { method: 'POST' });
  await r.text();
  if (r.status !== 200) throw new Error(`reload answered ${r.status}`);
  return performance.now() - t;
};
const median = (a) => [...a].sort((x, y) => x - y)[a.length >> 1];
(async () => {
  for (let i = 0; ; i++) {
    try {
      if ((await fetch(url('/metrics'))).ok) break;
    } catch {
      if (i > 150) throw new Error('agent did not start');
      await new Promise((r) => setTimeout(r, 100));
    }
  }
  const rebuilt = [];
  const labelOnly = [];
  for (let i = 0; i < n; i++) {
    const collectors = { loadavg: { enabled: i % 2 === 0 } };
    rebuilt.push(await timed({ collectors }));
    await fetch(url('/metrics')); // the next collection starts the new workers
    labelOnly.push(await timed({ collectors, global: { labels: { run: String(i) } } }));
  }
  const f = (a) => `median ${median(a).toFixed(1)} ms, max ${Math.max(...a).toFixed(1)} ms`;
  console.log(`reload, collectors changed (worker pool rebuilt): ${f(rebuilt)}`);
  console.log(`reload, base label changed only:                 ${f(labelOnly)}`);
  p.kill('SIGTERM');
})().catch((e) => {
  console.error(e);
  p.kill('SIGKILL');
  process.exit(1);
});
