import { existsSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { dirname, join } from 'node:path';
import { asyncScheduler, interval, map, merge, Subscription, type SchedulerLike } from 'rxjs';
import type { Agent } from '../../agent';
import { createStatusModel, type StatusModel, type StatusPush } from './model';
import { sseClient } from './sse';

/** Options of createStatusRoutes. */
export interface StatusRoutesOptions {
  readonly agent: Agent;
  /** The push side (src/sinks createPush), when a sink is enabled. */
  readonly push?: StatusPush;
  readonly scheduler?: SchedulerLike;
  /** Period of the `sinks` events (default 1000 ms). */
  readonly sinksPeriodMs?: number;
  /** Period of the heartbeat comment on /api/v1/events (default 15000 ms). */
  readonly heartbeatMs?: number;
  /** Unsent bytes an events client may hold before its events are dropped (default 256 KiB). */
  readonly maxBufferedBytes?: number;
  /** Events dropped in a row before a client that does not read is cut off (default 120). */
  readonly maxDroppedInARow?: number;
  /** Directory of the page's files (default statusWebDir()). */
  readonly webDir?: string;
}

/** The status page's routes, for createMetricsServer. */
export interface StatusRoutes {
  /** True for the paths served here: `/`, `/status/*` assets, `/api/v1/status`, `/api/v1/events`. */
  handles(path: string): boolean;
  /** Serves a path handles() accepted (GET and HEAD; 405 otherwise). */
  serve(req: IncomingMessage, res: ServerResponse, path: string): void;
  /** Clients of /api/v1/events now. */
  clients(): number;
  /** Ends every events stream and stops following the agent (agent.stop() calls it). */
  close(): void;
}

/** Returns the directory of the page's files (web/status, next to package.json), from src/ or dist/src/. */
export function statusWebDir(): string {
  for (let dir = __dirname; dir !== dirname(dir); dir = dirname(dir)) {
    const web = join(dir, 'web', 'status');
    if (existsSync(join(web, 'index.html'))) return web;
  }
  throw new Error(`status page files (web/status/index.html) not found above ${__dirname}`);
}

/** The page's files: path → file and type. uPlot comes from node_modules (MIT; dist/uPlot.iife.min.js, 51 kB, 22 kB gzip'd). */
const assets = (web: string): Map<string, { file: string; type: string }> =>
  new Map([
    ['/', { file: join(web, 'index.html'), type: 'text/html; charset=utf-8' }],
    ['/status/status.js', { file: join(web, 'status.js'), type: 'text/javascript; charset=utf-8' }],
    ['/status/status.css', { file: join(web, 'status.css'), type: 'text/css; charset=utf-8' }],
    ['/status/uPlot.iife.min.js', { file: require.resolve('uplot/dist/uPlot.iife.min.js'), type: 'text/javascript; charset=utf-8' }],
    ['/status/uPlot.min.css', { file: require.resolve('uplot/dist/uPlot.min.css'), type: 'text/css; charset=utf-8' }],
  ]);

const FALLBACK_PAGE = `<!doctype html>
<html><head><title>rxporter</title></head>
<body><h1>rxporter</h1><p>Host metrics in the node_exporter format (the status page's files are missing).</p>
<ul><li><a href="__TELEMETRY_PATH__">Metrics</a></li><li><a href="api/v1/status">Status (JSON)</a></li></ul></body></html>
`;

const escapeHtml = (s: string): string => s.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);

/**
 * Returns the routes of the status page served by the agent itself: `/` (web/status/index.html,
 * with the metrics path filled in: the link node_exporter's landing page has), its script and
 * style, uPlot from node_modules, `GET /api/v1/status` (model.ts's Status as JSON) and
 * `GET /api/v1/events`, a Server-Sent Events stream: a `status` event at once, then `collection`
 * and `sinks` events from the agent's streams (one subscription per client, ended when the
 * client goes), a heartbeat comment every `heartbeatMs`, and at most `maxBufferedBytes` unsent
 * per client (sse.ts: a client that does not read loses events, not memory).
 */
export function createStatusRoutes(o: StatusRoutesOptions): StatusRoutes {
  const scheduler = o.scheduler ?? asyncScheduler;
  const model: StatusModel = createStatusModel({ agent: o.agent, push: o.push, scheduler, sinksPeriodMs: o.sinksPeriodMs });
  let files: Map<string, { file: string; type: string }>;
  try {
    const dir = o.webDir ?? statusWebDir();
    if (!existsSync(join(dir, 'index.html'))) throw new Error(`${join(dir, 'index.html')} not found`);
    files = assets(dir);
  } catch (e) {
    // A broken install costs the page, not the agent: `/` links to the metrics and the JSON.
    o.agent.log.error('status page files missing; serving a plain page', { error: e instanceof Error ? e.message : String(e) });
    files = new Map([['/', { file: '', type: 'text/html; charset=utf-8' }]]);
  }
  const cache = new Map<string, Buffer>();
  const streams = new Set<{ res: ServerResponse; sub: Subscription }>();
  const telemetryPath = o.agent.config.web.telemetryPath;

  const body = async (path: string): Promise<Buffer> => {
    const hit = cache.get(path);
    if (hit) return hit;
    const file = (files.get(path) as { file: string }).file;
    let data = file === '' ? Buffer.from(FALLBACK_PAGE) : await readFile(file);
    if (path === '/') data = Buffer.from(data.toString('utf8').replaceAll('__TELEMETRY_PATH__', escapeHtml(telemetryPath)));
    cache.set(path, data);
    return data;
  };

  const send = (req: IncomingMessage, res: ServerResponse, type: string, data: Buffer): void => {
    res.writeHead(200, { 'Content-Type': type, 'Content-Length': String(data.byteLength), 'Cache-Control': 'no-cache' });
    res.end(req.method === 'HEAD' ? undefined : data);
  };

  const events = (req: IncomingMessage, res: ServerResponse): void => {
    res.writeHead(200, { 'Content-Type': 'text/event-stream; charset=utf-8', 'Cache-Control': 'no-cache', Connection: 'keep-alive', 'X-Accel-Buffering': 'no' });
    if (req.method === 'HEAD') {
      res.end();
      return;
    }
    res.socket?.setNoDelay(true);
    const client = sseClient(res, { maxBufferedBytes: o.maxBufferedBytes ?? 256 * 1024, maxDroppedInARow: o.maxDroppedInARow ?? 120 });
    // EventSource reconnects after `retry` ms when the stream ends (agent restart, client cut off).
    res.write('retry: 2000\n\n');
    const entry = { res, sub: new Subscription() };
    streams.add(entry);
    client.send('status', model.status(streams.size));
    entry.sub.add(
      merge(model.events$, interval(o.heartbeatMs ?? 15_000, scheduler).pipe(map(() => undefined))).subscribe((e) => {
        if (e) client.send(e.type, e.data);
        else client.comment('heartbeat');
      }),
    );
    res.on('close', () => {
      entry.sub.unsubscribe();
      streams.delete(entry);
    });
  };

  return {
    handles: (path) => files.has(path) || path === '/api/v1/status' || path === '/api/v1/events',
    serve(req, res, path) {
      if (req.method !== 'GET' && req.method !== 'HEAD') {
        res.writeHead(405, { Allow: 'GET, HEAD', 'Content-Type': 'text/plain; charset=utf-8' }).end('405 method not allowed\n');
        return;
      }
      if (path === '/api/v1/events') {
        events(req, res);
        return;
      }
      if (path === '/api/v1/status') {
        send(req, res, 'application/json', Buffer.from(JSON.stringify(model.status(streams.size))));
        return;
      }
      const type = (files.get(path) as { type: string }).type;
      body(path).then(
        (data) => send(req, res, type, data),
        (e: unknown) => {
          o.agent.log.error('status page file unreadable', { path, error: e instanceof Error ? e.message : String(e) });
          if (!res.headersSent) res.writeHead(500, { 'Content-Type': 'text/plain; charset=utf-8' });
          res.end('500 internal error\n');
        },
      );
    },
    clients: () => streams.size,
    close() {
      model.close();
      for (const s of streams) {
        s.sub.unsubscribe();
        s.res.end();
      }
      streams.clear();
    },
  };
}
