import { startAgent as startInProcess } from '../../src/agent';
import { loadConfig } from '../../src/config/load';
import { silentLog } from '../../src/log/types';
import { createServer } from 'node:http';
import { listen } from '../../src/server/http';
import { NEVER } from 'rxjs';
import type { ActorHandle } from '../../src/actors/pool';
import { actorThreads, createPprofServer, parseSeconds } from '../../src/server/pprof';
import { startAgent, type AgentProcess } from '../integration/pushSupport';
import { freePort, poll } from '../support/servers';

interface CpuProfile {
  nodes: { id: number; callFrame: { functionName: string; url: string } }[];
  samples: number[];
  timeDeltas: number[];
  startTime: number;
  endTime: number;
}

describe('parseSeconds', () => {
  it.each([
    [null, 30],
    ['1', 1],
    ['300', 300],
  ])('takes %p as %p', (raw, n) => expect(parseSeconds(raw)).toBe(n));

  it.each(['abc', '', '0', '301', '1.5', '-1', '10s', ' 5', '1e2'])('refuses %p with a message naming the bounds', (raw) => {
    expect(parseSeconds(raw)).toEqual({ error: `seconds must be a whole number from 1 to 300: got ${JSON.stringify(raw)}` });
  });
});

describe('pprof listener', () => {
  it('is off by default: startAgent opens no profiling listener', async () => {
    const config = loadConfig({ values: { global: { appName: 't' }, web: { listenAddress: '127.0.0.1:0' }, collect: { interval: '1h' } } });
    expect(config.global.pprof).toEqual({ enable: false, listenAddress: '127.0.0.1:6060' });
    const s = await startInProcess({ config, log: silentLog, collectors: [] });
    try {
      expect(s.pprof).toBeUndefined();
    } finally {
      await s.agent.stop(500);
      s.server.close();
    }
  });
});

describe('pprof listener start', () => {
  it('fails the start with the listen error when its address is taken, and closes the metrics server', async () => {
    const taken = createServer();
    const port = await listen(taken, '127.0.0.1:0');
    try {
      const web = await freePort();
      const config = loadConfig({
        values: { global: { appName: 't', pprof: { enable: true, listenAddress: `127.0.0.1:${port}` } }, web: { listenAddress: `127.0.0.1:${web}` }, collect: { interval: '1h' } },
      });
      await expect(startInProcess({ config, log: silentLog, collectors: [] })).rejects.toThrow(/EADDRINUSE/);
      // The metrics listener it had opened is closed again: its port is free.
      const again = createServer();
      await listen(again, `127.0.0.1:${web}`);
      again.close();
    } finally {
      taken.close();
    }
  });
});

describe('pprof with a worker stuck in a system call', () => {
  it('fails that thread\'s profile after the wait (500 with the reason) and frees the lock', async () => {
    const stuck: ActorHandle = { post: () => undefined, replies$: NEVER, running: () => undefined, terminate: () => undefined, inspect: () => NEVER };
    const server = createPprofServer({ threads: () => actorThreads([stuck], { cpuGraceMs: 300, heapMs: 300 }), log: silentLog });
    const port = await listen(server, '127.0.0.1:0');
    try {
      const cpu = await fetch(`http://127.0.0.1:${port}/debug/pprof/profile?seconds=1&thread=collectors`);
      expect(cpu.status).toBe(500);
      expect(await cpu.text()).toBe('profile failed: thread collectors did not answer within 1.3 s (stuck in a system call?)\n');
      const heap = await fetch(`http://127.0.0.1:${port}/debug/pprof/heap?thread=collectors`);
      expect(heap.status).toBe(500);
      expect(await heap.text()).toBe('profile failed: thread collectors did not answer within 0.3 s (stuck in a system call?)\n');
    } finally {
      server.close();
    }
  });
});

describe('pprof endpoints of the daemon', () => {
  let agent: AgentProcess;
  let base: string;
  beforeAll(async () => {
    const port = await freePort();
    agent = await startAgent(['--collector.cpu', '--collector.stat', '--collector.loadavg', '--global.pprof.enable', `--global.pprof.listen-address=127.0.0.1:${port}`]);
    base = `http://127.0.0.1:${port}/debug/pprof`;
  });
  afterAll(async () => {
    await agent.stop();
  });

  it('lists the profiles and the threads, main and the collector worker', async () => {
    const r = await fetch(`${base}/`);
    expect(r.status).toBe(200);
    const page = await r.text();
    expect(page).toContain('profile?seconds=30&amp;thread=main');
    expect(page).toContain('heap?thread=main');
    expect(page).toContain('heap?thread=collectors');
    expect(page).toContain('collector worker');
  });

  it('is a listener of its own: no profiles on the metrics address, no metrics on the profiling one', async () => {
    expect((await fetch(`http://127.0.0.1:${agent.port}/debug/pprof/`)).status).toBe(404);
    expect((await fetch(base.replace('/debug/pprof', '/metrics'))).status).toBe(404);
    expect((await fetch(`${base}/heap`, { method: 'POST' })).status).toBe(405);
  });

  it('stops a profile whose client left, so the next one runs', async () => {
    const ac = new AbortController();
    const left = fetch(`${base}/profile?seconds=300`, { signal: ac.signal }).catch((e: Error) => e.name);
    for (let i = 0; i < 50 && !(await (await fetch(`${base}/`)).text()).includes('running now'); i++);
    ac.abort();
    expect(await left).toBe('AbortError');
    const status = await poll(
      async () => {
        const r = await fetch(`${base}/profile?seconds=1`);
        return r.status === 409 ? undefined : r.status;
      },
      5000,
      'the profiler freed',
      50,
    );
    expect(status).toBe(200);
  });

  it('answers seconds=abc, out-of-range seconds and an unknown thread with 400 and the reason', async () => {
    for (const q of ['seconds=abc', 'seconds=0', 'seconds=301']) {
      const r = await fetch(`${base}/profile?${q}`);
      expect(r.status).toBe(400);
      expect(await r.text()).toMatch(/^seconds must be a whole number from 1 to 300: got "/);
    }
    const r = await fetch(`${base}/heap?thread=nope`);
    expect(r.status).toBe(400);
    expect(await r.text()).toBe('unknown thread "nope": threads are main, collectors\n');
  });

  it('takes a 1 s CPU profile of the main thread in the .cpuprofile format, and 409 for a second one meanwhile', async () => {
    const first = fetch(`${base}/profile?seconds=1`);
    // The first request is being served once the index says so.
    for (let i = 0; i < 50 && !(await (await fetch(`${base}/`)).text()).includes('running now'); i++);
    const second = await fetch(`${base}/profile?seconds=1&thread=collectors`);
    expect(second.status).toBe(409);
    expect(await second.text()).toContain('a profile is running (cpu profile of main, 1 s)');
    const r = await first;
    expect(r.status).toBe(200);
    expect(r.headers.get('content-disposition')).toMatch(/^attachment; filename="rxporter-main-.*\.cpuprofile"$/);
    const p = (await r.json()) as CpuProfile;
    expect(p.nodes.length).toBeGreaterThan(0);
    expect(p.samples.length).toBe(p.timeDeltas.length);
    expect(p.endTime - p.startTime).toBeGreaterThanOrEqual(1_000_000 * 0.9);
    expect(p.nodes.some((n) => n.callFrame.url.includes('collectorWorker'))).toBe(false);
  });

  it('profiles the collector worker inside its own thread: its profile shows the collectors', async () => {
    const profile = fetch(`${base}/profile?seconds=1&thread=collectors`);
    // Scrapes make the worker collect while it is profiled.
    const until = Date.now() + 1200;
    while (Date.now() < until) await agent.metrics();
    const r = await profile;
    expect(r.status).toBe(200);
    const p = (await r.json()) as CpuProfile;
    const urls = new Set(p.nodes.map((n) => n.callFrame.url));
    expect([...urls].some((u) => u.endsWith('/actors/collectorWorker.js'))).toBe(true);
    expect([...urls].some((u) => /\/collectors\/(cpu|stat|loadavg|meminfo)\.js$/.test(u))).toBe(true);
    expect([...urls].some((u) => u.endsWith('/server/http.js'))).toBe(false);
  });

  it.each(['main', 'collectors'])('streams a heap snapshot of the %s thread that parses', async (thread) => {
    const r = await fetch(`${base}/heap?thread=${thread}`);
    expect(r.status).toBe(200);
    expect(r.headers.get('content-disposition')).toMatch(new RegExp(`^attachment; filename="rxporter-${thread}-.*\\.heapsnapshot"$`));
    const text = await r.text();
    expect(Number(r.headers.get('content-length'))).toBe(Buffer.byteLength(text));
    const snap = JSON.parse(text) as { snapshot: { meta: { node_fields: string[] }; node_count: number }; nodes: number[] };
    expect(snap.snapshot.meta.node_fields).toContain('self_size');
    expect(snap.nodes.length).toBe(snap.snapshot.node_count * snap.snapshot.meta.node_fields.length);
    // The agent goes on serving after it.
    expect(await agent.metrics()).toContain('node_load1 ');
  });
});
