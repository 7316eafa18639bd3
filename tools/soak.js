// Soak: the built agent (dist/) with the default collectors, 1 s interval, 5 scrapes/s with gzip over keep-alive; prints RSS every 30 s.
// Usage: npm run build && node tools/soak.js [MINUTES=5] [PORT=19177]
const { spawn } = require('node:child_process');
const http = require('node:http');
const fs = require('node:fs');
const root = require('node:path').resolve(__dirname, '..');
const minutes = Number(process.argv[2] || 5);
const port = Number(process.argv[3] || 19177);
const p = spawn(process.execPath, ['--max-semi-space-size=2', '--heap-growing-percent=30', `${root}/dist/src/cli/main.js`, '--global.app-name=soak', `--web.listen-address=127.0.0.1:${port}`, '--collect.interval=1s', '--log.level=error'], { stdio: 'ignore' });
const rss = () => Number(/VmRSS:\s+(\d+)/.exec(fs.readFileSync(`/proc/${p.pid}/status`, 'utf8'))[1]) / 1024;
const agent = new http.Agent({ keepAlive: true });
const scrape = () => new Promise((r) => http.get({ host: '127.0.0.1', port, path: '/metrics', agent, headers: { 'accept-encoding': 'gzip' } }, (res) => { res.resume(); res.on('end', r); }).on('error', r));
const t0 = Date.now();
let n = 0;
setTimeout(async () => {
  const iv = setInterval(() => { void scrape().then(() => n++); }, 200);
  const log = setInterval(() => console.log(`t=${((Date.now() - t0) / 1000).toFixed(0)}s rss=${rss().toFixed(1)}MB scrapes=${n}`), 30_000);
  console.log(`t=start rss=${rss().toFixed(1)}MB`);
  setTimeout(() => { clearInterval(iv); clearInterval(log); console.log(`t=end rss=${rss().toFixed(1)}MB scrapes=${n}`); p.kill('SIGTERM'); process.exit(0); }, minutes * 60_000);
}, 3000);
