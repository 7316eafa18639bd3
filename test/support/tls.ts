import { readFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import { connect, type Socket } from 'node:net';
import { Agent, request } from 'undici';
import { htpasswdHash, makeTlsFiles } from './tlsFiles';

/** Paths of certificates made by makePki: a CA, a server and a client certificate it signs, and a self-signed server certificate. */
export interface Pki {
  readonly caCert: string;
  readonly serverCert: string;
  readonly serverKey: string;
  readonly clientCert: string;
  readonly clientKey: string;
  /** Self-signed, not from the CA (for insecureSkipVerify). */
  readonly selfCert: string;
  readonly selfKey: string;
}

/** Makes the suite's test PKI (tlsFiles.ts) in `dir`: server certificates name 127.0.0.1 and localhost. */
export function makePki(dir: string): Pki {
  const f = makeTlsFiles(dir);
  return { caCert: f.ca, serverCert: f.serverCert, serverKey: f.serverKey, clientCert: f.clientCert, clientKey: f.clientKey, selfCert: f.selfCert, selfKey: f.selfKey };
}

/** Returns a bcrypt hash of `password` made by `htpasswd -B` at its default cost 5, for exporter-toolkit's basic_auth_users. */
export const bcryptHash = (password: string): string => htpasswdHash(password, 5);

/** How a test client reaches a TLS server: the CA file to trust (or none: insecure), a client certificate, basic auth. */
export interface TlsClient {
  readonly caFile?: string;
  readonly certFile?: string;
  readonly keyFile?: string;
  readonly basicAuth?: { readonly username: string; readonly password: string };
}

/** Returns an undici dispatcher for `c` (trusting only its CA; any certificate without one). */
export const tlsDispatcher = (c: TlsClient): Agent =>
  new Agent({
    connect: {
      ...(c.caFile ? { ca: readFileSync(c.caFile) } : { rejectUnauthorized: false }),
      ...(c.certFile ? { cert: readFileSync(c.certFile), key: readFileSync(c.keyFile ?? '') } : {}),
    },
  });

/** Sends a request as `c` and returns its status and body text. */
export async function tlsRequest(
  url: string,
  c: TlsClient,
  o: { method?: 'GET' | 'POST'; body?: string; headers?: Record<string, string> } = {},
): Promise<{ status: number; text: string }> {
  const dispatcher = tlsDispatcher(c);
  try {
    const auth = c.basicAuth ? { authorization: `Basic ${Buffer.from(`${c.basicAuth.username}:${c.basicAuth.password}`).toString('base64')}` } : {};
    const r = await request(url, { method: o.method ?? 'GET', body: o.body, headers: { ...auth, ...o.headers }, dispatcher });
    return { status: r.statusCode, text: await r.body.text() };
  } finally {
    await dispatcher.close();
  }
}

/**
 * A small forward proxy of our own on 127.0.0.1 that tunnels CONNECT requests (there is no
 * proxy among the Debian servers the tests use), recording each CONNECT target.
 */
export interface ConnectProxy {
  readonly url: string;
  /** The "host:port" of each CONNECT so far. */
  readonly connects: string[];
  close(): Promise<void>;
}

/** Starts a CONNECT proxy on a free port of 127.0.0.1; it refuses plain forward requests with 405. */
export async function startConnectProxy(): Promise<ConnectProxy> {
  const connects: string[] = [];
  const sockets = new Set<Socket>();
  const server: Server = createServer((_req, res) => res.writeHead(405).end());
  server.on('connect', (req, client: Socket, head: Buffer) => {
    const target = req.url ?? '';
    connects.push(target);
    const [host, port] = [target.slice(0, target.lastIndexOf(':')), Number(target.slice(target.lastIndexOf(':') + 1))];
    const upstream = connect(port, host, () => {
      client.write('HTTP/1.1 200 Connection Established\r\n\r\n');
      if (head.length > 0) upstream.write(head);
      upstream.pipe(client);
      client.pipe(upstream);
    });
    for (const s of [client, upstream]) {
      sockets.add(s);
      s.on('close', () => sockets.delete(s));
    }
    upstream.on('error', () => client.destroy());
    client.on('error', () => upstream.destroy());
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const a = server.address();
  const port = typeof a === 'object' && a ? a.port : 0;
  return {
    url: `http://127.0.0.1:${port}`,
    connects,
    close: () =>
      new Promise<void>((resolve) => {
        for (const s of sockets) s.destroy();
        server.close(() => resolve());
      }),
  };
}
