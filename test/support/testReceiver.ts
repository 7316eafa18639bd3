import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { gunzipSync } from 'node:zlib';

/** One request the test receiver got: method, path, headers and the body (gunzip'd when gzip-encoded). */
export interface ReceivedRequest {
  readonly method: string;
  readonly path: string;
  readonly headers: IncomingMessage['headers'];
  readonly body: Buffer;
  /** The body as it came, before any gunzip. */
  readonly raw: Buffer;
}

/** What the handler does with a request: answer it (the request's number, 0…, is given). */
export type ReceiverHandler = (req: ReceivedRequest, n: number, res: ServerResponse) => void;

/**
 * A small HTTP receiver of our own on 127.0.0.1, for what a real server cannot be made to do
 * (500 floods, endless bodies, Retry-After). Not a stand-in for Prometheus or VictoriaMetrics.
 */
export interface TestReceiver {
  readonly url: string;
  readonly requests: ReceivedRequest[];
  /** Replaces the handler (e.g. to end an outage). */
  handle(h: ReceiverHandler): void;
  close(): Promise<void>;
}

/** Starts a test receiver on a free port of 127.0.0.1; the default handler answers 204. */
export async function startTestReceiver(h: ReceiverHandler = (_q, _n, res) => res.writeHead(204).end()): Promise<TestReceiver> {
  let handler = h;
  const requests: ReceivedRequest[] = [];
  const server: Server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const raw = Buffer.concat(chunks);
      const body = req.headers['content-encoding'] === 'gzip' && raw.length > 0 ? gunzipSync(raw) : raw;
      const r: ReceivedRequest = { method: req.method ?? '', path: req.url ?? '', headers: req.headers, body, raw };
      requests.push(r);
      handler(r, requests.length - 1, res);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const a = server.address();
  const port = typeof a === 'object' && a ? a.port : 0;
  return {
    url: `http://127.0.0.1:${port}`,
    requests,
    handle: (next) => (handler = next),
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

/**
 * Answers `status` with a body that never ends (1 MiB chunks written as fast as the client
 * reads); `written` gets the bytes that went out once the client closes the connection.
 */
export function endlessBody(res: ServerResponse, status: number, written: (bytes: number) => void): void {
  const chunk = Buffer.alloc(1 << 20, 'x');
  chunk.write('receiver says no: ');
  let bytes = 0;
  res.writeHead(status, { 'content-type': 'text/plain' });
  const pump = () => {
    while (!res.destroyed) {
      bytes += chunk.length;
      if (!res.write(chunk)) return;
    }
  };
  res.on('drain', pump);
  res.on('close', () => written(bytes));
  pump();
}

/**
 * Returns a handler that passes each request on to `target` (a real receiver: its base URL)
 * unchanged and relays its status and body: a tap that keeps what went over the wire.
 */
export const forwardTo =
  (target: string): ReceiverHandler =>
  (req, _n, res) => {
    const headers: Record<string, string> = {};
    for (const h of ['content-type', 'content-encoding', 'x-prometheus-remote-write-version']) {
      const v = req.headers[h];
      if (typeof v === 'string') headers[h] = v;
    }
    fetch(`${target}${req.path}`, { method: req.method, headers, body: req.method === 'GET' ? undefined : req.raw }).then(
      async (r) => res.writeHead(r.status).end(Buffer.from(await r.arrayBuffer())),
      (e: unknown) => res.writeHead(502).end(String(e)),
    );
  };
