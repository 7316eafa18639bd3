import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Agent } from '../agent';

/** The reload endpoint's path (Prometheus' lifecycle API). */
export const RELOAD_PATH = '/-/reload';

/** Request body bytes the reload endpoint accepts (it needs none); a larger one gets 413. */
export const RELOAD_MAX_BODY = 1024;

/**
 * Resolves true once the request body has ended within `max` bytes, false as soon as it passes
 * `max` (declared by Content-Length or counted while it arrives): the rest is not read.
 */
function bodyWithin(req: IncomingMessage, max: number): Promise<boolean> {
  if (Number(req.headers['content-length'] ?? 0) > max) return Promise.resolve(false);
  return new Promise((resolve) => {
    let seen = 0;
    const done = (ok: boolean) => {
      req.off('data', onData).off('end', onEnd).off('error', onEnd);
      if (!ok) req.pause();
      resolve(ok);
    };
    const onData = (chunk: Buffer) => {
      seen += chunk.length;
      if (seen > max) done(false);
    };
    const onEnd = () => done(seen <= max);
    req.on('data', onData).on('end', onEnd).on('error', onEnd);
  });
}

/**
 * Answers a request to RELOAD_PATH as Prometheus' lifecycle API does (web/web.go): POST or PUT
 * reloads the configuration (Agent.reload, which waits for the collection boundary) and answers
 * 200 with an empty body, or 500 `failed to reload config: <error>`; any other method 405; 403
 * `Lifecycle API is not enabled.` without `web.enableLifecycle`. A body over RELOAD_MAX_BODY
 * gets 413 without being read to its end (the connection is closed).
 */
export async function handleReload(req: IncomingMessage, res: ServerResponse, agent: Agent): Promise<void> {
  const reply = (status: number, body: string, headers: Record<string, string> = {}) => {
    res.writeHead(status, { 'Content-Type': 'text/plain; charset=utf-8', 'Content-Length': String(Buffer.byteLength(body)), ...headers }).end(body);
  };
  if (req.method !== 'POST' && req.method !== 'PUT') {
    reply(405, 'Only POST or PUT requests allowed\n', { Allow: 'POST, PUT' });
    return;
  }
  if (!agent.config.web.enableLifecycle) {
    // Unread request bytes must not be taken for the next request: close the connection.
    reply(403, 'Lifecycle API is not enabled.\n', { Connection: 'close' });
    return;
  }
  if (!(await bodyWithin(req, RELOAD_MAX_BODY))) {
    reply(413, `request body too large: the reload endpoint takes at most ${RELOAD_MAX_BODY} bytes (it needs none)\n`, { Connection: 'close' });
    return;
  }
  try {
    await agent.reload();
    reply(200, '');
  } catch (e) {
    reply(500, `failed to reload config: ${e instanceof Error ? e.message : String(e)}\n`);
  }
}
