import { readFileSync, statSync } from 'node:fs';
import { readFile, stat } from 'node:fs/promises';
import { createSecureContext, type SecureVersion } from 'node:tls';
import { RxporterError } from '../errors';

/**
 * The HTTP client options every push sink takes (config `exporter.<sink>.*`), with the meaning
 * of Prometheus' HTTP client config (prometheus/common config/http_config.go): TLS to the
 * receiver, one kind of authorization, a proxy and extra headers. An empty string is "not set".
 */
export interface SinkClientOptions {
  readonly tls: {
    /** PEM CA bundle that replaces the system roots for the receiver's certificate. */
    readonly caFile: string;
    /** PEM client certificate and its key (both or neither). */
    readonly certFile: string;
    readonly keyFile: string;
    /** Name checked in the receiver's certificate (and sent as SNI) instead of the URL's host. */
    readonly serverName: string;
    /** Accept any receiver certificate (self-signed, wrong name, expired). */
    readonly insecureSkipVerify: boolean;
    /** Oldest TLS version accepted: TLS10…TLS13, or "" for Node's default (TLS 1.2). */
    readonly minVersion: string;
  };
  readonly basicAuth: { readonly username: string; readonly usernameFile: string; readonly password: string; readonly passwordFile: string };
  readonly bearerToken: string;
  readonly bearerTokenFile: string;
  /** http:// or https:// proxy; requests are tunnelled through it with CONNECT. */
  readonly proxyUrl: string;
  /** Hosts reached without the proxy: comma-separated names, ".domain" suffixes, host:port. */
  readonly noProxy: string;
  readonly headers: Readonly<Record<string, string>>;
}

/** Client options with nothing set: system roots, no authorization, no proxy, no extra headers. */
export const NO_CLIENT_OPTIONS: SinkClientOptions = {
  tls: { caFile: '', certFile: '', keyFile: '', serverName: '', insecureSkipVerify: false, minVersion: '' },
  basicAuth: { username: '', usernameFile: '', password: '', passwordFile: '' },
  bearerToken: '',
  bearerTokenFile: '',
  proxyUrl: '',
  noProxy: '',
  headers: {},
};

/**
 * Headers a user may not set: rxporter sets them, or they change the connection or the
 * authorization (Prometheus' ReservedHeaders, prometheus/common config/headers.go).
 */
export const RESERVED_HEADERS: ReadonlySet<string> = new Set(
  [
    'authorization',
    'host',
    'content-encoding',
    'content-length',
    'content-type',
    'user-agent',
    'connection',
    'keep-alive',
    'proxy-authenticate',
    'proxy-authorization',
    'www-authenticate',
    'accept-encoding',
    'transfer-encoding',
    'x-prometheus-remote-write-version',
  ],
);

/** The TLS versions of tls.minVersion, as Prometheus names them, and Node's names. */
export const TLS_VERSIONS: Readonly<Record<string, SecureVersion>> = { TLS10: 'TLSv1', TLS11: 'TLSv1.1', TLS12: 'TLSv1.2', TLS13: 'TLSv1.3' };

const TOKEN = /^[!#$%&'*+.^_`|~0-9A-Za-z-]+$/;

/** Returns a URL (parsable or not) with the password of its user info replaced by "xxxxx", for messages. */
export const redactUrl = (s: string): string => s.replace(/^([^/@]*\/\/[^/@:]*:)[^/@]*@/, '$1xxxxx@');

/**
 * Returns one message per inconsistency of a sink's client options under config key `key`
 * (e.g. "exporter.vmagent"), each naming the keys: two settings that exclude each other
 * (a value and its file, basic auth and a bearer token), a password without a user name, a
 * certificate without its key, a proxy URL that is not http(s), noProxy without proxyUrl,
 * and a header that is reserved or not a valid name or value. Files are not read here.
 */
export function clientOptionProblems(o: SinkClientOptions, key: string): string[] {
  const out: string[] = [];
  const both = (a: string, b: string, what: string) => out.push(`${key}.${a} and ${key}.${b} are both set: ${what}`);
  const b = o.basicAuth;
  if (b.username !== '' && b.usernameFile !== '') both('basicAuth.username', 'basicAuth.usernameFile', 'give the user name or the file that holds it, not both');
  if (b.password !== '' && b.passwordFile !== '') both('basicAuth.password', 'basicAuth.passwordFile', 'give the password or the file that holds it, not both');
  if (o.bearerToken !== '' && o.bearerTokenFile !== '') both('bearerToken', 'bearerTokenFile', 'give the token or the file that holds it, not both');
  const basic = b.username !== '' || b.usernameFile !== '' || b.password !== '' || b.passwordFile !== '';
  if (basic && (o.bearerToken !== '' || o.bearerTokenFile !== '')) {
    both(`basicAuth.${b.username !== '' || b.usernameFile === '' ? 'username' : 'usernameFile'}`, o.bearerToken !== '' ? 'bearerToken' : 'bearerTokenFile', 'a request carries one Authorization: basic auth or a bearer token');
  }
  if ((b.password !== '' || b.passwordFile !== '') && b.username === '' && b.usernameFile === '') {
    out.push(`${key}.basicAuth.${b.password !== '' ? 'password' : 'passwordFile'} is set but ${key}.basicAuth.username and ${key}.basicAuth.usernameFile are empty: basic auth needs a user name`);
  }
  if ((o.tls.certFile === '') !== (o.tls.keyFile === '')) {
    const [set, unset] = o.tls.certFile !== '' ? ['certFile', 'keyFile'] : ['keyFile', 'certFile'];
    out.push(`${key}.tls.${set} is set but ${key}.tls.${unset} is empty: a client certificate needs its key (both or neither)`);
  }
  if (o.tls.minVersion !== '' && !(o.tls.minVersion in TLS_VERSIONS)) {
    out.push(`${key}.tls.minVersion: must be one of ${Object.keys(TLS_VERSIONS).join(', ')} or empty: value was ${JSON.stringify(o.tls.minVersion)}`);
  }
  if (o.proxyUrl !== '') {
    let ok = false;
    try {
      const u = new URL(o.proxyUrl);
      ok = (u.protocol === 'http:' || u.protocol === 'https:') && u.hostname !== '';
    } catch {
      ok = false;
    }
    if (!ok) out.push(`${key}.proxyUrl: must be an http:// or https:// URL: value was ${JSON.stringify(redactUrl(o.proxyUrl))}`);
  } else if (o.noProxy !== '') {
    out.push(`${key}.noProxy is set but ${key}.proxyUrl is empty: noProxy only exempts hosts from a proxy`);
  }
  for (const [name, value] of Object.entries(o.headers)) {
    if (RESERVED_HEADERS.has(name.toLowerCase())) {
      const hint = name.toLowerCase() === 'authorization' ? ' (use basicAuth or bearerToken)' : '';
      out.push(`${key}.headers: header ${JSON.stringify(name)} is reserved (rxporter sets it or it changes the connection)${hint}`);
    } else if (!TOKEN.test(name)) out.push(`${key}.headers: ${JSON.stringify(name)} is not a valid header name`);
    else if (/[\r\n\0]/.test(value)) out.push(`${key}.headers: the value of ${JSON.stringify(name)} holds a line break or NUL`);
  }
  return out;
}

/** The TLS files' contents (undefined: not configured). */
export interface TlsMaterial {
  readonly ca?: Buffer;
  readonly cert?: Buffer;
  readonly key?: Buffer;
}

/** What one request needs from the files: its Authorization header value and the TLS material. */
export interface ClientMaterial {
  readonly authorization?: string;
  readonly tls: TlsMaterial;
}

/** Returns true when two TLS materials hold the same bytes. */
export const sameTls = (a: TlsMaterial, b: TlsMaterial): boolean =>
  (['ca', 'cert', 'key'] as const).every((k) => (a[k] === undefined ? b[k] === undefined : b[k] !== undefined && a[k].equals(b[k])));

/** Reads a sink's secret and TLS files: once at start (synchronously) and before each request. */
export interface ClientFiles {
  /** At start: the material, or RXP_CONFIG naming the key and the path of an unreadable file or unusable TLS material. */
  readSync(): ClientMaterial;
  /** Before a request: the material as the files are now; rejects with RXP_CONFIG naming the key and path. */
  read(): Promise<ClientMaterial>;
}

interface Source {
  readonly key: string;
  readonly path: string;
  /** A secret: surrounding whitespace (a trailing newline) is not part of it, as in Prometheus. */
  readonly secret: boolean;
}

const why = (e: unknown): string => {
  const code = (e as NodeJS.ErrnoException).code;
  return code === 'ENOENT' ? 'no such file' : code === 'EACCES' ? 'permission denied' : code === 'EISDIR' ? 'is a directory' : e instanceof Error ? e.message : String(e);
};

const readError = (s: Source, e: unknown) =>
  e instanceof RxporterError ? e : new RxporterError('RXP_CONFIG', `${s.key}: cannot read ${JSON.stringify(s.path)}: ${why(e)}`, false, { cause: e });

// Only regular files are read: a FIFO or a device would block the read (at start, the main thread) for good.
const notRegular = (s: Source) => new RxporterError('RXP_CONFIG', `${s.key}: cannot read ${JSON.stringify(s.path)}: not a regular file`);

/**
 * Returns the readers of a sink's files under config key `key`: the basic-auth user name and
 * password files and the bearer token file (re-read before each request, trimmed, as Prometheus
 * does, so a rotated secret is used by the next request), and the CA, certificate and key files
 * (re-read before each request; the caller rebuilds its connections when their bytes change).
 * Literal values (username, password, bearerToken) are used as given.
 */
export function clientFiles(o: SinkClientOptions, key: string): ClientFiles {
  const src = (k: string, path: string, secret: boolean): Source | undefined => (path === '' ? undefined : { key: `${key}.${k}`, path, secret });
  const files = {
    username: src('basicAuth.usernameFile', o.basicAuth.usernameFile, true),
    password: src('basicAuth.passwordFile', o.basicAuth.passwordFile, true),
    bearer: src('bearerTokenFile', o.bearerTokenFile, true),
    ca: src('tls.caFile', o.tls.caFile, false),
    cert: src('tls.certFile', o.tls.certFile, false),
    key: src('tls.keyFile', o.tls.keyFile, false),
  };
  type Contents = { [K in keyof typeof files]?: Buffer };
  const text = (c: Contents, k: 'username' | 'password' | 'bearer', literal: string) => {
    const b = c[k];
    return b === undefined ? literal : b.toString('utf8').trim();
  };
  const material = (c: Contents): ClientMaterial => {
    const basic = o.basicAuth.username !== '' || o.basicAuth.usernameFile !== '';
    const bearer = o.bearerToken !== '' || o.bearerTokenFile !== '';
    const authorization = basic
      ? `Basic ${Buffer.from(`${text(c, 'username', o.basicAuth.username)}:${text(c, 'password', o.basicAuth.password)}`).toString('base64')}`
      : bearer
        ? `Bearer ${text(c, 'bearer', o.bearerToken)}`
        : undefined;
    return { authorization, tls: { ca: c.ca, cert: c.cert, key: c.key } };
  };
  const entries = Object.entries(files).filter((e): e is [keyof typeof files, Source] => e[1] !== undefined);
  return {
    readSync() {
      const c: Contents = {};
      for (const [k, s] of entries) {
        try {
          if (!statSync(s.path).isFile()) throw notRegular(s);
          c[k] = readFileSync(s.path);
        } catch (e) {
          throw readError(s, e);
        }
      }
      const m = material(c);
      const bad = tlsProblem(m.tls, key);
      if (bad) throw new RxporterError('RXP_CONFIG', bad);
      return m;
    },
    async read() {
      const c: Contents = {};
      await Promise.all(
        entries.map(async ([k, s]) => {
          try {
            if (!(await stat(s.path)).isFile()) throw notRegular(s);
            c[k] = await readFile(s.path);
          } catch (e) {
            throw readError(s, e);
          }
        }),
      );
      return material(c);
    },
  };
}

/**
 * Returns why TLS material cannot be used (a garbled PEM, a key that does not match its
 * certificate), naming the keys under `key`, or undefined when it can.
 */
export function tlsProblem(t: TlsMaterial, key: string): string | undefined {
  if (t.ca === undefined && t.cert === undefined) return undefined;
  try {
    createSecureContext({ ca: t.ca, cert: t.cert, key: t.key });
    if (t.ca !== undefined && !/-----BEGIN CERTIFICATE-----/.test(t.ca.toString('latin1'))) throw new Error('no PEM certificate in it');
    return undefined;
  } catch (e) {
    const keys = [t.ca !== undefined ? `${key}.tls.caFile` : '', t.cert !== undefined ? `${key}.tls.certFile, ${key}.tls.keyFile` : ''].filter((k) => k !== '').join(', ');
    return `${keys}: unusable TLS material: ${e instanceof Error ? e.message : String(e)}`;
  }
}
