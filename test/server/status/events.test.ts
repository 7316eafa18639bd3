import { request, type ClientRequest, type IncomingMessage, type Server } from 'node:http';
import { connect } from 'node:net';
import { BehaviorSubject, defer, map, Observable, timer } from 'rxjs';
import { createAgent, type Agent } from '../../../src/agent';
import type { Collector } from '../../../src/collectors/types';
import { loadConfig } from '../../../src/config/load';
import { silentLog } from '../../../src/log/types';
import { gauge, type Snapshot } from '../../../src/model/family';
import type { PayloadQueue } from '../../../src/pipeline/payloadQueue';
import { createMetricsServer, listen } from '../../../src/server/http';
import { createStatusRoutes, type StatusRoutes, type StatusRoutesOptions } from '../../../src/server/status/routes';
import type { CollectionStatus, Status } from '../../../src/server/status/model';
import { SinkStats } from '../../../src/sinks/metrics';
import { poll } from '../../support/servers';

const quick: Collector = {
  name: 'quick',
  defaultEnabled: true,
  collect: () => defer(() => timer(5).pipe(map(() => gauge('node_quick', 'Quick.', [{ labels: {}, value: 1 }])))),
};
const failing: Collector = { name: 'broken', defaultEnabled: true, collect: () => new Observable((s) => s.error(new Error('garbled line "x y"'))) };

/** An agent whose snapshots$ counts its subscribers. */
function counted(agent: Agent): { agent: Agent; subscribers: () => number } {
  let n = 0;
  const snapshots$ = new Observable<Snapshot>((sub) => {
    n++;
    const s = agent.snapshots$.subscribe(sub);
    return () => {
      n--;
      s.unsubscribe();
    };
  });
  return { agent: { ...agent, snapshots$ }, subscribers: () => n };
}

interface SseEvent {
  event: string;
  data: unknown;
}

/** Opens /api/v1/events and collects its events. */
function openEvents(port: number): Promise<{ req: ClientRequest; res: IncomingMessage; events: SseEvent[]; comments: string[] }> {
  return new Promise((resolve, reject) => {
    const events: SseEvent[] = [];
    const comments: string[] = [];
    const req = request({ host: '127.0.0.1', port, path: '/api/v1/events', agent: false }, (res) => {
      let buf = '';
      res.on('data', (c: Buffer) => {
        buf += c.toString();
        let i;
        while ((i = buf.indexOf('\n\n')) >= 0) {
          const frame = buf.slice(0, i);
          buf = buf.slice(i + 2);
          const ev = /^event: (.*)$/m.exec(frame);
          const data = /^data: (.*)$/m.exec(frame);
          if (ev && data) events.push({ event: ev[1], data: JSON.parse(data[1]) });
          else if (frame.startsWith(': ')) comments.push(frame.slice(2));
        }
      });
      resolve({ req, res, events, comments });
    });
    req.on('error', reject);
    req.end();
  });
}

describe('status events (SSE) and /api/v1/status', () => {
  let agent: Agent;
  let server: Server;
  let routes: StatusRoutes;
  let port: number;
  let subscribers: () => number;
  const start = async (o: Partial<StatusRoutesOptions> = {}, collectors: Collector[] = [quick, failing]) => {
    const config = loadConfig({ values: { global: { appName: 't' }, web: { listenAddress: '127.0.0.1:0' }, collect: { interval: '1s' } } });
    agent = createAgent({ config, log: silentLog, collectors });
    const c = counted(agent);
    subscribers = c.subscribers;
    routes = createStatusRoutes({ agent: c.agent, heartbeatMs: 200, ...o });
    server = createMetricsServer(agent, { telemetryPath: '/metrics', baseLabels: false, status: routes });
    port = await listen(server, '127.0.0.1:0');
    agent.start();
  };
  afterEach(async () => {
    routes.close();
    await agent.stop(1000);
    server.closeAllConnections();
    await new Promise((r) => server.close(r));
  });

  it('sends the status at once, then a collection event per snapshot and heartbeats; a closed client is unsubscribed', async () => {
    await start();
    expect(subscribers()).toBe(1); // the model's own, for the last collection
    const s = await openEvents(port);
    expect(s.res.headers['content-type']).toBe('text/event-stream; charset=utf-8');
    await poll(async () => (s.events.filter((e) => e.event === 'collection').length >= 2 && s.comments.includes('heartbeat') ? true : undefined), 10_000, 'two collections');
    expect(s.events[0].event).toBe('status');
    const status = s.events[0].data as Status;
    expect(status.collectors.map((c) => c.name)).toEqual(['quick', 'broken']);
    expect(status.role).toBe('none');
    const c = s.events.find((e) => e.event === 'collection')?.data as CollectionStatus;
    expect(c.collectors.find((x) => x.name === 'quick')).toMatchObject({ success: true });
    expect(c.collectors.find((x) => x.name === 'broken')).toMatchObject({ success: false, error: expect.stringContaining('garbled line "x y"') });
    expect(subscribers()).toBe(2);
    expect(routes.clients()).toBe(1);
    s.req.destroy();
    await poll(async () => (subscribers() === 1 ? true : undefined), 5000, 'unsubscribed');
    expect(routes.clients()).toBe(0);
    const j = (await (await fetch(`http://127.0.0.1:${port}/api/v1/status`)).json()) as Status;
    expect(j.eventClients).toBe(0);
    expect(j.collection?.seq).toBeGreaterThanOrEqual(2);
    expect(j.collectors.find((x) => x.name === 'quick')?.durationSeconds).toBeGreaterThan(0);
  });

  it('answers 405 to other methods and serves the page and its files', async () => {
    await start();
    const post = await fetch(`http://127.0.0.1:${port}/api/v1/events`, { method: 'POST' });
    expect(post.status).toBe(405);
    expect(post.headers.get('allow')).toBe('GET, HEAD');
    for (const [path, type] of [
      ['/', 'text/html; charset=utf-8'],
      ['/status/status.js', 'text/javascript; charset=utf-8'],
      ['/status/uPlot.iife.min.js', 'text/javascript; charset=utf-8'],
      ['/status/uPlot.min.css', 'text/css; charset=utf-8'],
    ]) {
      const r = await fetch(`http://127.0.0.1:${port}${path}`);
      expect([path, r.status, r.headers.get('content-type')]).toEqual([path, 200, type]);
    }
    expect((await fetch(`http://127.0.0.1:${port}/status/nope.js`)).status).toBe(404);
  });

  it('serves a plain page linking to the metrics when the page files are missing, and logs it', async () => {
    const lines: string[] = [];
    const config = loadConfig({ values: { global: { appName: 't' }, web: { listenAddress: '127.0.0.1:0', telemetryPath: '/m<x>' }, collect: { interval: '1h' } } });
    const log = { ...silentLog, error: (m: string, f?: Record<string, unknown>) => void lines.push(`${m} ${JSON.stringify(f)}`) };
    agent = createAgent({ config, log, collectors: [quick] });
    routes = createStatusRoutes({ agent, webDir: '/nonexistent/web' });
    server = createMetricsServer(agent, { telemetryPath: '/m<x>', baseLabels: false, status: routes });
    port = await listen(server, '127.0.0.1:0');
    const page = await (await fetch(`http://127.0.0.1:${port}/`)).text();
    expect(page).toContain('<a href="/m&#60;x&#62;">Metrics</a>');
    expect(lines).toEqual([expect.stringContaining('status page files missing; serving a plain page {"error":"/nonexistent/web/index.html not found"}')]);
    expect(((await (await fetch(`http://127.0.0.1:${port}/api/v1/status`)).json()) as Status).collectors).toEqual([{ name: 'quick', success: null, durationSeconds: null }]);
  });

  it('ends every stream on close() (a shutdown does not wait for the status pages)', async () => {
    await start();
    const s = await openEvents(port);
    await poll(async () => (s.events.length > 0 ? true : undefined), 5000, 'status event');
    const ended = new Promise((r) => s.res.on('end', r));
    routes.close();
    await ended;
    expect(subscribers()).toBe(0);
  });

  it('cuts off a client that never reads instead of buffering for it', async () => {
    // Big sinks events, often: the kernel's socket buffers fill, then the per-client bound holds.
    const queue = { length: 3, bytes: 1234 } as unknown as PayloadQueue;
    const stats = Array.from({ length: 300 }, (_, i) => new SinkStats(`sink-${i}-${'x'.repeat(60)}`, queue));
    await start({ push: { stats, standby$: new BehaviorSubject(false) }, sinksPeriodMs: 2, maxBufferedBytes: 64 * 1024, maxDroppedInARow: 20 }, [quick]);
    // A raw client that sends the request and never reads. (Its stream may be cut off before a
    // poll sees it open, so wait for the server to have taken the request, not for the count of 1.)
    let taken = false;
    server.on('request', (req: { url?: string }) => void (req.url === '/api/v1/events' && (taken = true)));
    const sock = connect(port, '127.0.0.1');
    sock.write(`GET /api/v1/events HTTP/1.1\r\nHost: x\r\n\r\n`);
    sock.pause();
    await poll(async () => (taken ? true : undefined), 5000, 'client connected');
    await poll(async () => (routes.clients() === 0 ? true : undefined), 60_000, 'client cut off', 100);
    expect(subscribers()).toBe(1);
    // The server ended the connection: reading what is buffered reaches its close.
    let closed = false;
    sock.on('close', () => (closed = true)).on('error', () => undefined);
    sock.resume();
    await poll(async () => (closed ? true : undefined), 30_000, 'connection closed by the server', 100);
    // Others are still served.
    const s = await openEvents(port);
    await poll(async () => (s.events.some((e) => e.event === 'sinks') ? true : undefined), 5000, 'sinks event');
    const sinks = s.events.find((e) => e.event === 'sinks')?.data as { role: string; sinks: { queueBatches: number }[] };
    expect(sinks.role).toBe('leader');
    expect(sinks.sinks[0].queueBatches).toBe(3);
    s.req.destroy();
  });
});
