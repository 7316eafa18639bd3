import { gzipSync } from 'node:zlib';
import { createServer, type IncomingMessage, type Server, type ServerOptions, type ServerResponse } from 'node:http';
import { createServer as createHttpsServer } from 'node:https';
import { firstValueFrom } from 'rxjs';
import type { Agent } from '../agent';
import { acceptsOpenMetrics, encodeOpenMetricsBytes, encodeTextBytes, OPENMETRICS_CONTENT_TYPE, TEXT_CONTENT_TYPE } from '../encode/text';
import type { WebGate } from './webGate';

/** Options of createMetricsServer. */
export interface MetricsServerOptions {
  readonly telemetryPath: string;
  /** Add the agent's base labels to every sample (off: output identical to node_exporter). */
  readonly baseLabels: boolean;
  /** The --web.config.file gate: TLS (an HTTPS server when it configures TLS), headers, basic auth. */
  readonly web?: WebGate;
  /** Connection limits against slow clients (web.readHeaderTimeout, web.requestTimeout, web.idleTimeout), in ms; Node's defaults when omitted. */
  readonly timeouts?: ServerTimeouts;
}

/** A connection's time limits, in ms. */
export interface ServerTimeouts {
  /** Until a request's headers (and, over TLS, the handshake) are in: Node's headersTimeout. */
  readonly readHeaderMs: number;
  /** Until a whole request is in: Node's requestTimeout. */
  readonly requestMs: number;
  /** An idle keep-alive connection is closed after it: Node's keepAliveTimeout. */
  readonly idleMs: number;
}

/**
 * Returns node:http server options for `t`. Node checks the header and request limits on a
 * timer (connectionsCheckingInterval, 30 s by default): a quarter of the shorter limit, within
 * 50 ms..1 s, so a slow-loris client is cut off close to its limit. headersTimeout may not
 * exceed requestTimeout (Node refuses it): the smaller wins.
 */
export function serverTimeoutOptions(t: ServerTimeouts): ServerOptions {
  const headersTimeout = Math.min(t.readHeaderMs, t.requestMs);
  return {
    headersTimeout,
    requestTimeout: t.requestMs,
    keepAliveTimeout: t.idleMs,
    connectionsCheckingInterval: Math.max(50, Math.min(1000, Math.floor(headersTimeout / 4))),
  };
}

/**
 * Node's built-in zlib, not fflate, for the scrape path: on a 56 kB exposition zlib.gzipSync
 * level 1 took 0.27 ms and fflate.gzipSync 3.35 ms (tools/bench-gzip.sh).
 */
const gzip = (data: Uint8Array): Uint8Array => gzipSync(data, { level: 1 });

const acceptsGzip = (h: string | undefined): boolean =>
  !!h && h.split(',').some((p) => {
    const [enc, ...params] = p.trim().split(';');
    return enc.trim() === 'gzip' && !params.some((x) => /^\s*q=0(\.0*)?\s*$/.test(x));
  });

const landingPage = (path: string): string =>
  `<!doctype html>
<html><head><title>rxporter</title></head>
<body><h1>rxporter</h1><p>Host metrics in the node_exporter format.</p>
<ul><li><a href="${path}">Metrics</a></li></ul></body></html>
`;

/** Returns the response body and headers for one scrape of `agent`. */
export async function renderMetrics(
  agent: Agent,
  o: MetricsServerOptions,
  accept: string | undefined,
  acceptEncoding: string | undefined,
): Promise<{ body: Uint8Array; headers: Record<string, string> }> {
  let snapshot;
  try {
    snapshot = await firstValueFrom(agent.scrape());
  } catch (e) {
    agent.self.handlerErrors.gathering++;
    throw e;
  }
  const families = agent.exposition(snapshot);
  const extra = o.baseLabels ? agent.baseLabels() : undefined;
  const om = acceptsOpenMetrics(accept);
  let body: Uint8Array = om ? encodeOpenMetricsBytes(families, extra) : encodeTextBytes(families, extra);
  const headers: Record<string, string> = { 'Content-Type': om ? OPENMETRICS_CONTENT_TYPE : TEXT_CONTENT_TYPE, Vary: 'Accept-Encoding' };
  if (acceptsGzip(acceptEncoding)) {
    body = gzip(body);
    headers['Content-Encoding'] = 'gzip';
  }
  headers['Content-Length'] = String(body.byteLength);
  return { body, headers };
}

/**
 * Returns an HTTP server for `agent`: the metrics path, a landing page at `/`, 404 and 405
 * elsewhere; an HTTPS one when `o.web` configures TLS (an https.Server is an http.Server).
 */
export function createMetricsServer(agent: Agent, o: MetricsServerOptions): Server {
  const handle = async (req: IncomingMessage, res: ServerResponse): Promise<void> => {
    const path = (req.url ?? '/').split('?', 1)[0];
    const route = agent.collectors.find((c) => c.routes?.[path])?.routes?.[path];
    if (route && (req.method === 'GET' || req.method === 'HEAD')) {
      // A collector's route (the ksm collector's pod-info endpoint): answered from its state, never blocking.
      const a = route(new URL(req.url ?? '/', 'http://localhost').searchParams);
      res.writeHead(a.status, { ...a.headers, 'Content-Length': String(Buffer.byteLength(a.body)) }).end(req.method === 'HEAD' ? undefined : a.body);
      return;
    }
    const known = path === o.telemetryPath || path === '/';
    if (!known) {
      res.writeHead(404, { 'Content-Type': 'text/plain; charset=utf-8' }).end('404 page not found\n');
      return;
    }
    if (req.method !== 'GET' && req.method !== 'HEAD') {
      res.writeHead(405, { Allow: 'GET, HEAD', 'Content-Type': 'text/plain; charset=utf-8' }).end('405 method not allowed\n');
      return;
    }
    if (path === '/' && path !== o.telemetryPath) {
      const page = landingPage(o.telemetryPath);
      res.writeHead(200, { 'Content-Type': 'text/html; charset=utf-8', 'Content-Length': String(Buffer.byteLength(page)) });
      res.end(req.method === 'HEAD' ? undefined : page);
      return;
    }
    agent.self.inFlight++;
    try {
      const { body, headers } = await renderMetrics(agent, o, req.headers.accept, req.headers['accept-encoding']);
      res.writeHead(200, headers);
      res.end(req.method === 'HEAD' ? undefined : body);
      agent.self.responses['200']++;
    } catch (e) {
      agent.self.responses['500']++;
      throw e;
    } finally {
      agent.self.inFlight--;
    }
  };
  // The gate (headers, rate limit, basic auth) comes before every route, as exporter-toolkit's handler wraps the whole mux.
  const web = o.web;
  const serve = web ? async (req: IncomingMessage, res: ServerResponse) => ((await web.admit(req, res)) ? handle(req, res) : undefined) : handle;
  const listener = (req: IncomingMessage, res: ServerResponse) => {
    serve(req, res).catch((e: unknown) => {
      agent.log.error('metrics request failed', { error: e instanceof Error ? e.message : String(e) });
      if (!res.headersSent) res.writeHead(500, { 'Content-Type': 'text/plain; charset=utf-8' });
      res.end('500 internal error\n');
    });
  };
  const options: ServerOptions = o.timeouts ? serverTimeoutOptions(o.timeouts) : {};
  const tls = web?.current().tlsOptions;
  if (!tls || !web) {
    const server = createServer(options, listener);
    server.on('close', () => void web?.close());
    return server;
  }
  // The TLS handshake counts against the header limit too: a client that never finishes it is cut off as one that dribbles headers.
  const server = createHttpsServer({ ...options, ...tls, handshakeTimeout: options.headersTimeout }, listener);
  web.attach(server);
  server.on('close', () => void web.close());
  return server;
}

/** Returns host and port of a HOST:PORT listen address (empty host: every interface). */
export function parseListenAddress(addr: string): { host: string | undefined; port: number } {
  const i = addr.lastIndexOf(':');
  let host = addr.slice(0, i);
  if (host.startsWith('[') && host.endsWith(']')) host = host.slice(1, -1);
  return { host: host === '' ? undefined : host, port: Number(addr.slice(i + 1)) };
}

/** Starts `server` on `addr`; resolves with the bound port. */
export function listen(server: Server, addr: string): Promise<number> {
  const { host, port } = parseListenAddress(addr);
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, host, () => {
      server.off('error', reject);
      const a = server.address();
      resolve(typeof a === 'object' && a ? a.port : port);
    });
  });
}
