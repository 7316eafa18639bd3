import { randomUUID } from 'node:crypto';
import { createServer as createHttpServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { createServer as createHttpsServer } from 'node:https';
import { KUBE_RESOURCES, apiVersionOf, type ResourceRef } from '../../src/kube/resources';
import type { KubeObject } from '../../src/ksm/types';

/**
 * A fixture Kubernetes API server for tests: node:http on 127.0.0.1 with a free port that speaks
 * the real REST protocol (https://kubernetes.io/docs/reference/using-api/api-concepts/) for the
 * resources of KUBE_RESOURCES:
 * - LIST of a namespace or of every namespace, `metadata.resourceVersion` in the list,
 *   `limit`/`continue` (a continue token expires with compaction or expireContinueTokens():
 *   410 Status reason "Expired"), `labelSelector` (equality only) and `fieldSelector=metadata.name=X`;
 * - WATCH (`?watch=true`): from `resourceVersion` (absent or "0": synthetic ADDED events of the
 *   current objects first), JSON events one a line, BOOKMARKs every `bookmarkMs` with
 *   `allowWatchBookmarks=true`, `timeoutSeconds`; a resourceVersion older than the last
 *   compaction gets an ERROR event with a 410 Status (kube-apiserver's "too old resource
 *   version"), or HTTP 410 with `watchGoneAs: 'http'`;
 * - GET/POST/PUT/DELETE of one object with optimistic concurrency: PUT with a stale
 *   metadata.resourceVersion -> 409 Conflict, POST of an existing name -> 409 AlreadyExists,
 *   an absent object -> 404 NotFound;
 * - every error a `Status` object (kind Status, apiVersion v1, status Failure, reason, code);
 * - optional TLS (key/cert) and a bearer-token check (401 Unauthorized).
 * One global resourceVersion counter over all kinds, as etcd's revision.
 */
export interface KubeApiServer {
  readonly url: string;
  readonly port: number;
  /** The last resourceVersion handed out. */
  readonly resourceVersion: number;
  /** Requests served, "METHOD /path?query", in order (the test sees what a client asked). */
  readonly requests: string[];
  /** Creates or replaces an object of `resource` (an event ADDED or MODIFIED); returns it as stored. */
  put(resource: ResourceName, obj: KubeObject): KubeObject;
  /** Deletes an object (event DELETED); returns it, or undefined when absent. */
  remove(resource: ResourceName, namespace: string | undefined, name: string): KubeObject | undefined;
  /** Returns a stored object. */
  object(resource: ResourceName, namespace: string | undefined, name: string): KubeObject | undefined;
  /** Forgets the event history: a watch from an older resourceVersion now gets 410 Gone, older continue tokens expire. */
  compact(): void;
  /** Makes every continue token issued so far answer 410 Expired. */
  expireContinueTokens(): void;
  /** Ends every open watch stream at once, mid-stream (the socket is destroyed). */
  dropWatches(): void;
  /** Number of watch streams open now. */
  openWatches(): number;
  /** Calls `fn` with "METHOD /path?query" before each request is handled (a test acts between two pages of a list). */
  beforeRequest(fn: ((line: string) => void) | undefined): void;
  /** While on, every request (or those whose "METHOD /path?query" matches) is accepted and never answered. */
  hang(on: boolean | RegExp): void;
  close(): Promise<void>;
}

/** A resource the fixture serves. */
export type ResourceName = keyof typeof KUBE_RESOURCES;

/** Options of startKubeApiServer. */
export interface KubeApiServerOptions {
  /** Serve HTTPS with this key and certificate (PEM). */
  readonly tls?: { readonly key: string | Buffer; readonly cert: string | Buffer; readonly ca?: string | Buffer; readonly requestCert?: boolean };
  /** Answer 401 unless `Authorization: Bearer <token>` carries one of these (a function sees rotations). */
  readonly tokens?: readonly string[] | (() => readonly string[]);
  /** Interval of BOOKMARK events on watches that allow them, ms (default 1000). */
  readonly bookmarkMs?: number;
  /** How a watch from a compacted resourceVersion is refused: an ERROR event (default, as kube-apiserver) or HTTP 410. */
  readonly watchGoneAs?: 'event' | 'http';
}

interface Event {
  readonly rv: number;
  readonly resource: ResourceName;
  readonly type: 'ADDED' | 'MODIFIED' | 'DELETED';
  readonly object: KubeObject;
}

interface Watch {
  readonly resource: ResourceName;
  readonly namespace?: string;
  readonly res: ServerResponse;
  end(): void;
}

const status = (code: number, reason: string, message: string) => ({
  kind: 'Status',
  apiVersion: 'v1',
  metadata: {},
  status: 'Failure',
  message,
  reason,
  code,
});

const byPath = new Map<string, ResourceName>(
  (Object.keys(KUBE_RESOURCES) as ResourceName[]).map((n) => {
    const r: ResourceRef = KUBE_RESOURCES[n];
    return [`${r.group}/${r.version}/${r.plural}`, n];
  }),
);

/** What a request path names: the resource, its namespace (if in the path) and the object's name. */
interface Target {
  readonly resource: ResourceName;
  readonly namespace?: string;
  readonly name?: string;
}

function parseTarget(path: string): Target | undefined {
  const seg = path.split('/').filter((s) => s !== '').map(decodeURIComponent);
  let group: string;
  let rest: string[];
  if (seg[0] === 'api' && seg.length >= 3) {
    group = '';
    rest = seg.slice(1);
  } else if (seg[0] === 'apis' && seg.length >= 4) {
    group = seg[1];
    rest = seg.slice(2);
  } else return undefined;
  const version = rest[0];
  const parts = rest.slice(1);
  // /namespaces/NS/PLURAL[/NAME] is namespaced; /namespaces[/NAME] is the Namespace kind itself.
  if (parts[0] === 'namespaces' && parts.length >= 3) {
    const resource = byPath.get(`${group}/${version}/${parts[2]}`);
    if (!resource || !KUBE_RESOURCES[resource].namespaced || parts.length > 4) return undefined;
    return { resource, namespace: parts[1], name: parts[3] };
  }
  const resource = byPath.get(`${group}/${version}/${parts[0]}`);
  if (!resource || parts.length > 2) return undefined;
  return { resource, name: parts[1] };
}

const keyOf = (resource: ResourceName, namespace: string | undefined, name: string): string =>
  `${resource}/${KUBE_RESOURCES[resource].namespaced ? (namespace ?? '') : ''}/${name}`;

const matchesLabels = (obj: KubeObject, selector: string | null): boolean =>
  !selector ||
  selector.split(',').every((term) => {
    const [k, v] = term.split('=').map((s) => s.trim());
    return obj.metadata.labels?.[k] === v;
  });

const matchesFields = (obj: KubeObject, selector: string | null): boolean =>
  !selector ||
  selector.split(',').every((term) => {
    const [k, v] = term.split('=');
    if (k === 'metadata.name') return obj.metadata.name === v;
    if (k === 'metadata.namespace') return obj.metadata.namespace === v;
    if (k === 'spec.nodeName') return (obj.spec as { nodeName?: string } | undefined)?.nodeName === v;
    return false;
  });

/** Starts a fixture API server on 127.0.0.1 with a free port. */
export async function startKubeApiServer(o: KubeApiServerOptions = {}): Promise<KubeApiServer> {
  const objects = new Map<string, KubeObject>();
  let events: Event[] = [];
  let rv = 0;
  let compactedRv = 0;
  let continueExpiredBefore = 0; // continue tokens with a serial below this are expired
  let continueSerial = 0;
  const watches = new Set<Watch>();
  const requests: string[] = [];
  let hanging: boolean | RegExp = false;
  let onRequest: ((line: string) => void) | undefined;
  const hungResponses = new Set<ServerResponse>();
  const bookmarkMs = o.bookmarkMs ?? 1000;

  const stamp = (resource: ResourceName, obj: KubeObject, prev: KubeObject | undefined): KubeObject => {
    const r = KUBE_RESOURCES[resource];
    return {
      ...obj,
      apiVersion: apiVersionOf(r),
      kind: r.kind,
      metadata: {
        ...obj.metadata,
        namespace: r.namespaced ? (obj.metadata.namespace ?? 'default') : undefined,
        uid: prev?.metadata.uid ?? obj.metadata.uid ?? randomUUID(),
        creationTimestamp: prev?.metadata.creationTimestamp ?? obj.metadata.creationTimestamp ?? new Date().toISOString().replace(/\.\d+Z$/, 'Z'),
        resourceVersion: String(++rv),
      },
    };
  };

  const emit = (resource: ResourceName, type: Event['type'], object: KubeObject): void => {
    const e: Event = { rv: Number(object.metadata.resourceVersion), resource, type, object };
    events.push(e);
    for (const w of watches) if (w.resource === resource && (!w.namespace || w.namespace === object.metadata.namespace)) write(w.res, { type, object });
  };

  const write = (res: ServerResponse, event: unknown): void => {
    if (!res.writableEnded && !res.destroyed) res.write(`${JSON.stringify(event)}\n`);
  };

  const store = (resource: ResourceName, obj: KubeObject): KubeObject => {
    const key = keyOf(resource, obj.metadata.namespace ?? (KUBE_RESOURCES[resource].namespaced ? 'default' : undefined), obj.metadata.name);
    const prev = objects.get(key);
    const stored = stamp(resource, obj, prev);
    objects.set(key, stored);
    emit(resource, prev ? 'MODIFIED' : 'ADDED', stored);
    return stored;
  };

  const removeObj = (resource: ResourceName, namespace: string | undefined, name: string): KubeObject | undefined => {
    const key = keyOf(resource, namespace, name);
    const prev = objects.get(key);
    if (!prev) return undefined;
    objects.delete(key);
    const gone = { ...prev, metadata: { ...prev.metadata, resourceVersion: String(++rv) } };
    emit(resource, 'DELETED', gone);
    return gone;
  };

  const inScope = (t: Target) => (obj: KubeObject, key: string): boolean =>
    key.startsWith(`${t.resource}/`) && (!t.namespace || obj.metadata.namespace === t.namespace);

  const send = (res: ServerResponse, code: number, body: unknown, headers: Record<string, string> = {}): void => {
    const text = JSON.stringify(body);
    res.writeHead(code, { 'Content-Type': 'application/json', 'Content-Length': String(Buffer.byteLength(text)), ...headers }).end(text);
  };

  const readBody = (req: IncomingMessage): Promise<string> =>
    new Promise((resolve, reject) => {
      const chunks: Buffer[] = [];
      req.on('data', (c: Buffer) => chunks.push(c)).on('end', () => resolve(Buffer.concat(chunks).toString('utf8'))).on('error', reject);
    });

  const list = (t: Target, q: URLSearchParams, res: ServerResponse): void => {
    const r = KUBE_RESOURCES[t.resource];
    const limit = Number(q.get('limit') ?? 0);
    let listRv = rv;
    let after = '';
    const cont = q.get('continue');
    if (cont) {
      let token: { rv: number; after: string; serial: number };
      try {
        token = JSON.parse(Buffer.from(cont, 'base64').toString('utf8')) as typeof token;
      } catch {
        send(res, 400, status(400, 'BadRequest', 'invalid continue token'));
        return;
      }
      if (token.rv < compactedRv || token.serial < continueExpiredBefore) {
        send(res, 410, status(410, 'Expired', 'The provided continue parameter is too old to display a consistent list result. You can start a new list without the continue parameter.'));
        return;
      }
      listRv = token.rv;
      after = token.after;
    }
    const scoped = inScope(t);
    const keys = [...objects.entries()]
      .filter(([k, obj]) => scoped(obj, k) && k > after && matchesLabels(obj, q.get('labelSelector')) && matchesFields(obj, q.get('fieldSelector')))
      .map(([k]) => k)
      .sort();
    const page = limit > 0 ? keys.slice(0, limit) : keys;
    const more = limit > 0 && keys.length > limit;
    const metadata: Record<string, unknown> = { resourceVersion: String(listRv) };
    if (more) {
      metadata.continue = Buffer.from(JSON.stringify({ rv: listRv, after: page[page.length - 1], serial: continueSerial++ })).toString('base64');
      metadata.remainingItemCount = keys.length - limit;
    }
    send(res, 200, {
      kind: `${r.kind}List`,
      apiVersion: apiVersionOf(r),
      metadata,
      items: page.map((k) => {
        const { apiVersion: _a, kind: _k, ...item } = objects.get(k)!;
        return item;
      }),
    });
  };

  const watch = (t: Target, q: URLSearchParams, req: IncomingMessage, res: ServerResponse): void => {
    const from = q.get('resourceVersion');
    const fromRv = from === null || from === '' || from === '0' ? undefined : Number(from);
    if (fromRv !== undefined && (!Number.isFinite(fromRv) || fromRv < compactedRv)) {
      const gone = status(410, 'Expired', `too old resource version: ${from} (${compactedRv})`);
      if (o.watchGoneAs === 'http') {
        send(res, 410, gone);
        return;
      }
      res.writeHead(200, { 'Content-Type': 'application/json', 'Transfer-Encoding': 'chunked' });
      write(res, { type: 'ERROR', object: gone });
      res.end();
      return;
    }
    res.writeHead(200, { 'Content-Type': 'application/json', 'Transfer-Encoding': 'chunked' });
    res.flushHeaders();
    const scoped = inScope(t);
    if (fromRv === undefined) {
      for (const [k, obj] of [...objects.entries()].sort(([a], [b]) => (a < b ? -1 : 1))) if (scoped(obj, k)) write(res, { type: 'ADDED', object: obj });
    } else {
      for (const e of events) if (e.rv > fromRv && e.resource === t.resource && (!t.namespace || e.object.metadata.namespace === t.namespace)) write(res, { type: e.type, object: e.object });
    }
    const r = KUBE_RESOURCES[t.resource];
    const timers: NodeJS.Timeout[] = [];
    const w: Watch = {
      resource: t.resource,
      namespace: t.namespace,
      res,
      end: () => {
        timers.forEach((x) => clearTimeout(x));
        watches.delete(w);
      },
    };
    watches.add(w);
    if (q.get('allowWatchBookmarks') === 'true') {
      timers.push(
        setInterval(() => write(res, { type: 'BOOKMARK', object: { kind: r.kind, apiVersion: apiVersionOf(r), metadata: { resourceVersion: String(rv) } } }), bookmarkMs),
      );
    }
    const secs = Number(q.get('timeoutSeconds') ?? 0);
    if (secs > 0) timers.push(setTimeout(() => { w.end(); res.end(); }, secs * 1000));
    req.on('close', () => w.end());
    res.on('close', () => w.end());
  };

  const single = async (t: Target & { name: string }, method: string, req: IncomingMessage, res: ServerResponse): Promise<void> => {
    const r = KUBE_RESOURCES[t.resource];
    const key = keyOf(t.resource, t.namespace, t.name);
    const cur = objects.get(key);
    const notFound = () => send(res, 404, status(404, 'NotFound', `${r.plural}${r.group ? `.${r.group}` : ''} "${t.name}" not found`));
    if (method === 'GET') return cur ? send(res, 200, cur) : notFound();
    if (method === 'DELETE') {
      const gone = removeObj(t.resource, t.namespace, t.name);
      return gone ? send(res, 200, gone) : notFound();
    }
    if (method !== 'PUT') return send(res, 405, status(405, 'MethodNotAllowed', `${method} is not supported here`));
    const body = parseObject(await readBody(req), res);
    if (!body) return;
    if (!cur) return notFound();
    if (body.metadata.name !== t.name) return send(res, 400, status(400, 'BadRequest', 'the name of the object does not match the name on the URL'));
    const want = body.metadata.resourceVersion;
    if (want !== undefined && want !== cur.metadata.resourceVersion) {
      return send(
        res,
        409,
        status(409, 'Conflict', `Operation cannot be fulfilled on ${r.plural}${r.group ? `.${r.group}` : ''} "${t.name}": the object has been modified; please apply your changes to the latest version and try again`),
      );
    }
    send(res, 200, store(t.resource, { ...body, metadata: { ...body.metadata, namespace: t.namespace ?? body.metadata.namespace } }));
  };

  const parseObject = (text: string, res: ServerResponse): KubeObject | undefined => {
    try {
      const obj = JSON.parse(text) as KubeObject;
      if (typeof obj?.metadata?.name === 'string' && obj.metadata.name !== '') return obj;
    } catch {
      /* answered below */
    }
    send(res, 400, status(400, 'BadRequest', 'the body is not an object with metadata.name'));
    return undefined;
  };

  const create = async (t: Target, req: IncomingMessage, res: ServerResponse): Promise<void> => {
    const r = KUBE_RESOURCES[t.resource];
    const body = parseObject(await readBody(req), res);
    if (!body) return;
    const namespace = r.namespaced ? (t.namespace ?? body.metadata.namespace) : undefined;
    if (r.namespaced && !namespace) return send(res, 400, status(400, 'BadRequest', 'a namespaced object needs a namespace in the path'));
    if (objects.has(keyOf(t.resource, namespace, body.metadata.name))) {
      return send(res, 409, status(409, 'AlreadyExists', `${r.plural}${r.group ? `.${r.group}` : ''} "${body.metadata.name}" already exists`));
    }
    const { resourceVersion: _rv, ...meta } = body.metadata;
    send(res, 201, store(t.resource, { ...body, metadata: { ...meta, namespace } }));
  };

  const tokens = (): readonly string[] | undefined => (typeof o.tokens === 'function' ? o.tokens() : o.tokens);

  const handle = async (req: IncomingMessage, res: ServerResponse): Promise<void> => {
    const url = new URL(req.url ?? '/', 'http://x');
    const line = `${req.method} ${url.pathname}${url.search}`;
    requests.push(line);
    onRequest?.(line);
    if (hanging === true || (hanging instanceof RegExp && hanging.test(line))) {
      hungResponses.add(res);
      res.on('close', () => hungResponses.delete(res));
      return;
    }
    const allowed = tokens();
    if (allowed && !allowed.some((tk) => req.headers.authorization === `Bearer ${tk}`)) {
      return send(res, 401, status(401, 'Unauthorized', 'Unauthorized'));
    }
    const t = parseTarget(url.pathname);
    if (!t) return send(res, 404, status(404, 'NotFound', `the server could not find the requested resource (${url.pathname})`));
    const method = req.method ?? 'GET';
    if (t.name !== undefined) return single(t as Target & { name: string }, method, req, res);
    if (method === 'POST') return create(t, req, res);
    if (method !== 'GET') return send(res, 405, status(405, 'MethodNotAllowed', `${method} is not supported on a collection`));
    const w = url.searchParams.get('watch');
    if (w === 'true' || w === '1') return watch(t, url.searchParams, req, res);
    list(t, url.searchParams, res);
  };

  const listener = (req: IncomingMessage, res: ServerResponse): void => {
    handle(req, res).catch((e: unknown) => {
      if (!res.headersSent) send(res, 500, status(500, 'InternalError', String(e)));
      else res.destroy();
    });
  };
  const server: Server = o.tls
    ? createHttpsServer({ key: o.tls.key, cert: o.tls.cert, ca: o.tls.ca, requestCert: o.tls.requestCert, rejectUnauthorized: !!o.tls.requestCert }, listener)
    : createHttpServer(listener);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const addr = server.address();
  const port = typeof addr === 'object' && addr ? addr.port : 0;

  const dropAll = (): void => {
    for (const w of [...watches]) {
      w.end();
      w.res.socket?.destroy();
    }
  };

  return {
    url: `${o.tls ? 'https' : 'http'}://127.0.0.1:${port}`,
    port,
    get resourceVersion() {
      return rv;
    },
    requests,
    put: store,
    remove: removeObj,
    object: (resource, namespace, name) => objects.get(keyOf(resource, namespace, name)),
    compact() {
      compactedRv = rv;
      events = [];
    },
    expireContinueTokens() {
      continueExpiredBefore = continueSerial;
    },
    dropWatches: dropAll,
    openWatches: () => watches.size,
    beforeRequest(fn) {
      onRequest = fn;
    },
    hang(on) {
      hanging = on;
    },
    async close() {
      dropAll();
      for (const res of hungResponses) res.socket?.destroy();
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
