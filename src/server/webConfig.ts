import { createHash, X509Certificate } from 'node:crypto';
import { readFile, stat } from 'node:fs/promises';
import { dirname, isAbsolute, join } from 'node:path';
import { createSecureContext, type SecureVersion } from 'node:tls';
import { parseDuration } from '../config/duration';
import { RxporterError, parseErrorText } from '../errors';

/**
 * The five client-certificate policies of Go's crypto/tls.ClientAuthType, as exporter-toolkit
 * names them in `client_auth_type` (`RequireClientCert` is its older spelling of `RequireAnyClientCert`).
 */
export type ClientAuthType = 'NoClientCert' | 'RequestClientCert' | 'RequireAnyClientCert' | 'VerifyClientCertIfGiven' | 'RequireAndVerifyClientCert';

/** `tls_server_config`, checked, file paths made absolute (relative ones are relative to the web config file's directory). */
export interface WebTlsSpec {
  readonly cert?: string;
  readonly key?: string;
  readonly clientCa?: string;
  readonly certFile?: string;
  readonly keyFile?: string;
  readonly clientCaFile?: string;
  readonly clientAuthType: ClientAuthType;
  /** SANs (DNS, IP, e-mail, URI) of which a client certificate must hold one; undefined: no check. */
  readonly clientAllowedSans?: readonly string[];
  readonly minVersion: SecureVersion;
  readonly maxVersion: SecureVersion;
  /** OpenSSL cipher string (TLS 1.2 suites mapped from Go's names, then every TLS 1.3 suite); undefined: OpenSSL's defaults. */
  readonly ciphers?: string;
  readonly honorCipherOrder: boolean;
  /** OpenSSL curve list, e.g. "X25519:P-256"; undefined: Node's default. */
  readonly ecdhCurve?: string;
}

/** A web config file's content, checked: what the HTTP server applies (exporter-toolkit's web.Config). */
export interface WebConfigSpec {
  /** Undefined when the file configures no TLS: plain HTTP. */
  readonly tls?: WebTlsSpec;
  /** `http_server_config.http2`; rxporter serves HTTP/1.1 whatever it says (see README). */
  readonly http2: boolean;
  /** `http_server_config.headers`: set on every response. */
  readonly headers: Readonly<Record<string, string>>;
  /** `basic_auth_users`: user name to bcrypt hash; empty: no basic auth. */
  readonly users: Readonly<Record<string, string>>;
  /** `rate_limit`: a token bucket refilled one token per `intervalMs`, holding `burst`; undefined: no limit. */
  readonly rateLimit?: { readonly intervalMs: number; readonly burst: number };
}

/** Options for node:tls/https built from `tls_server_config`, its files read. */
export interface WebTlsOptions {
  readonly cert: Buffer;
  readonly key: Buffer;
  readonly ca?: Buffer;
  readonly requestCert: boolean;
  readonly rejectUnauthorized: boolean;
  readonly minVersion: SecureVersion;
  readonly maxVersion: SecureVersion;
  readonly ciphers?: string;
  readonly honorCipherOrder: boolean;
  readonly ecdhCurve?: string;
}

/** A loaded web config: the spec, the TLS options with the files' content, and what was read (to notice changes). */
export interface WebConfig extends WebConfigSpec {
  readonly file: string;
  readonly tlsOptions?: WebTlsOptions;
  /** Every file read: the web config file, then cert, key and client CA files. */
  readonly files: readonly string[];
  /** SHA-256 of the content of `files`, in order. */
  readonly digest: string;
}

/** exporter-toolkit's names of TLS versions (Go's tls.VersionTLS1x) to OpenSSL's. */
const TLS_VERSIONS: Readonly<Record<string, SecureVersion>> = { TLS10: 'TLSv1', TLS11: 'TLSv1.1', TLS12: 'TLSv1.2', TLS13: 'TLSv1.3' };

/**
 * The TLS 1.0-1.2 suites Go's tls.CipherSuites() lists (the secure ones, the only names
 * exporter-toolkit accepts), to OpenSSL's names (IANA names in RFC 8446/5246 registries; OpenSSL's ciphers(1)).
 */
const TLS12_CIPHERS: Readonly<Record<string, string>> = {
  TLS_RSA_WITH_AES_128_CBC_SHA: 'AES128-SHA',
  TLS_RSA_WITH_AES_256_CBC_SHA: 'AES256-SHA',
  TLS_RSA_WITH_AES_128_GCM_SHA256: 'AES128-GCM-SHA256',
  TLS_RSA_WITH_AES_256_GCM_SHA384: 'AES256-GCM-SHA384',
  TLS_ECDHE_ECDSA_WITH_AES_128_CBC_SHA: 'ECDHE-ECDSA-AES128-SHA',
  TLS_ECDHE_ECDSA_WITH_AES_256_CBC_SHA: 'ECDHE-ECDSA-AES256-SHA',
  TLS_ECDHE_RSA_WITH_AES_128_CBC_SHA: 'ECDHE-RSA-AES128-SHA',
  TLS_ECDHE_RSA_WITH_AES_256_CBC_SHA: 'ECDHE-RSA-AES256-SHA',
  TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256: 'ECDHE-ECDSA-AES128-GCM-SHA256',
  TLS_ECDHE_ECDSA_WITH_AES_256_GCM_SHA384: 'ECDHE-ECDSA-AES256-GCM-SHA384',
  TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256: 'ECDHE-RSA-AES128-GCM-SHA256',
  TLS_ECDHE_RSA_WITH_AES_256_GCM_SHA384: 'ECDHE-RSA-AES256-GCM-SHA384',
  TLS_ECDHE_ECDSA_WITH_CHACHA20_POLY1305_SHA256: 'ECDHE-ECDSA-CHACHA20-POLY1305',
  TLS_ECDHE_RSA_WITH_CHACHA20_POLY1305_SHA256: 'ECDHE-RSA-CHACHA20-POLY1305',
};
/** TLS 1.3 suites: Go does not let them be configured (always all three); the same names in OpenSSL. */
const TLS13_CIPHERS = ['TLS_AES_128_GCM_SHA256', 'TLS_AES_256_GCM_SHA384', 'TLS_CHACHA20_POLY1305_SHA256'];

/** Go's tls.CurveID names that exporter-toolkit accepts, to OpenSSL's group names. */
const CURVES: Readonly<Record<string, string>> = { CurveP256: 'P-256', CurveP384: 'P-384', CurveP521: 'P-521', X25519: 'X25519' };

const CLIENT_AUTH: Readonly<Record<string, ClientAuthType>> = {
  '': 'NoClientCert',
  NoClientCert: 'NoClientCert',
  RequestClientCert: 'RequestClientCert',
  RequireAnyClientCert: 'RequireAnyClientCert',
  RequireClientCert: 'RequireAnyClientCert',
  VerifyClientCertIfGiven: 'VerifyClientCertIfGiven',
  RequireAndVerifyClientCert: 'RequireAndVerifyClientCert',
};

/**
 * The response headers a web config may set and, for some, the only values allowed
 * (exporter-toolkit's web/handler.go keeps this list closed on purpose).
 */
const EXTRA_HEADERS: Readonly<Record<string, readonly string[] | undefined>> = {
  'Strict-Transport-Security': undefined,
  'X-Content-Type-Options': ['nosniff'],
  'X-Frame-Options': ['deny', 'sameorigin'],
  'X-XSS-Protection': undefined,
  'Content-Security-Policy': undefined,
};

const KEYS: Readonly<Record<string, readonly string[]>> = {
  '': ['tls_server_config', 'http_server_config', 'basic_auth_users', 'rate_limit'],
  tls_server_config: [
    'cert',
    'key',
    'client_ca',
    'cert_file',
    'key_file',
    'client_auth_type',
    'client_ca_file',
    'client_allowed_sans',
    'min_version',
    'max_version',
    'cipher_suites',
    'prefer_server_cipher_suites',
    'curve_preferences',
  ],
  http_server_config: ['http2', 'headers'],
  rate_limit: ['interval', 'burst'],
};

/** A bcrypt hash as htpasswd -B and Go's bcrypt write it: $2a$/$2b$/$2y$, a two-digit cost 04..31, 53 characters of salt and hash. */
const BCRYPT = /^\$2[aby]\$(0[4-9]|[12]\d|3[01])\$[./A-Za-z0-9]{53}$/;

type Node = string | Node[] | { [k: string]: Node };

const isMap = (v: Node | undefined): v is Record<string, Node> => typeof v === 'object' && v !== null && !Array.isArray(v);

/**
 * Returns the checked content of a web config file (exporter-toolkit's format,
 * docs/web-configuration.md there) given its text; `file` names it in errors and relative
 * paths are taken from its directory. Parsing is strict, as exporter-toolkit's
 * yaml.UnmarshalStrict: an unknown key is an error. Throws RXP_CONFIG with one line per problem,
 * each naming the file, the key, its value and what was expected. Reads no other file.
 */
export function parseWebConfig(text: string, file: string): WebConfigSpec {
  const problems: string[] = [];
  const bad = (key: string, what: string, value: unknown) =>
    problems.push(`web config file ${file}: ${key}: ${what}: value was ${JSON.stringify(value) ?? 'undefined'}`);
  let root: Node | null | undefined;
  try {
    // The failsafe schema keeps every scalar as the text written (a hash, "0" of a header value);
    // booleans and numbers are converted below, as Go's YAML decoder does per field type.
    root = (require('yaml') as typeof import('yaml')).parse(text, { schema: 'failsafe', uniqueKeys: true }) as Node | null | undefined;
  } catch (e) {
    throw new RxporterError('RXP_CONFIG', `web config file ${file}: not valid YAML: ${parseErrorText(e)}`, false, { cause: e });
  }
  if (root === null || root === undefined || root === '') root = {};
  if (!isMap(root)) throw new RxporterError('RXP_CONFIG', `web config file ${file}: must hold a mapping of keys (e.g. "tls_server_config:"): value was ${JSON.stringify(root)}`);

  const section = (key: string): Record<string, Node> => {
    const v = (root as Record<string, Node>)[key];
    if (v === undefined || v === '') return {};
    if (!isMap(v)) {
      bad(key, 'must be a mapping of keys', v);
      return {};
    }
    const known = KEYS[key];
    for (const k of Object.keys(v)) if (known && !known.includes(k)) bad(`${key}.${k}`, `unknown key (known: ${known.join(', ')})`, v[k]);
    return v;
  };
  for (const k of Object.keys(root)) if (!KEYS[''].includes(k)) bad(k, `unknown key (known: ${KEYS[''].join(', ')})`, root[k]);
  const str = (m: Record<string, Node>, sec: string, k: string): string | undefined => {
    const v = m[k];
    if (v === undefined || v === '') return undefined;
    if (typeof v !== 'string') return void bad(`${sec}.${k}`, 'must be a string', v);
    return v;
  };
  const list = (m: Record<string, Node>, sec: string, k: string): string[] | undefined => {
    const v = m[k];
    if (v === undefined || v === '') return undefined;
    if (!Array.isArray(v) || v.some((x) => typeof x !== 'string')) return void bad(`${sec}.${k}`, 'must be a list of strings', v);
    return v as string[];
  };
  const bool = (m: Record<string, Node>, sec: string, k: string, def: boolean): boolean => {
    const v = m[k];
    if (v === undefined || v === '') return def;
    if (v === 'true' || v === 'false') return v === 'true';
    bad(`${sec}.${k}`, 'must be true or false', v);
    return def;
  };
  const path = (p: string | undefined): string | undefined => (p === undefined || isAbsolute(p) ? p : join(dirname(file), p));

  const t = section('tls_server_config');
  const S = 'tls_server_config';
  const version = (k: string, def: SecureVersion): SecureVersion => {
    const v = str(t, S, k);
    if (v === undefined) return def;
    const o = TLS_VERSIONS[v];
    if (!o) bad(`${S}.${k}`, `must be one of ${Object.keys(TLS_VERSIONS).join(', ')}`, v);
    return o ?? def;
  };
  const named = (k: string, table: Readonly<Record<string, string>>): string[] | undefined => {
    const names = list(t, S, k);
    if (!names) return undefined;
    const unknown = names.filter((n) => !table[n]);
    if (unknown.length) bad(`${S}.${k}`, `unknown name ${unknown.map((n) => JSON.stringify(n)).join(', ')} (known: ${Object.keys(table).join(', ')})`, names);
    return names.filter((n) => table[n]).map((n) => table[n]);
  };
  const authName = str(t, S, 'client_auth_type') ?? '';
  const clientAuthType = CLIENT_AUTH[authName];
  if (!clientAuthType) bad(`${S}.client_auth_type`, `must be one of ${Object.keys(CLIENT_AUTH).filter(Boolean).join(', ')}`, authName);
  const tls12 = named('cipher_suites', TLS12_CIPHERS);
  const curves = named('curve_preferences', CURVES);
  const spec = {
    cert: str(t, S, 'cert'),
    key: str(t, S, 'key'),
    clientCa: str(t, S, 'client_ca'),
    certFile: path(str(t, S, 'cert_file')),
    keyFile: path(str(t, S, 'key_file')),
    clientCaFile: path(str(t, S, 'client_ca_file')),
    clientAuthType: clientAuthType ?? 'NoClientCert',
    clientAllowedSans: list(t, S, 'client_allowed_sans'),
    minVersion: version('min_version', 'TLSv1.2'),
    maxVersion: version('max_version', 'TLSv1.3'),
    // Go ignores TLS 1.3 suites in its config and always offers all three; OpenSSL given no
    // TLS 1.3 suite would cap the connection at TLS 1.2 (Node's secure-context.js): add them.
    ciphers: tls12?.length ? [...tls12, ...TLS13_CIPHERS].join(':') : undefined,
    honorCipherOrder: bool(t, S, 'prefer_server_cipher_suites', true),
    ecdhCurve: curves?.length ? curves.join(':') : undefined,
  };
  // exporter-toolkit's TLSConfig.IsEnabled: any of these turns TLS on.
  const tlsOn = !!(spec.cert || spec.key || spec.certFile || spec.keyFile || spec.clientCa || spec.clientCaFile || authName);
  if (tlsOn) {
    if (!spec.cert && !spec.certFile) bad(`${S}.cert_file`, 'TLS is configured: one of cert_file or cert (inline PEM) is required', '');
    if (!spec.key && !spec.keyFile) bad(`${S}.key_file`, 'TLS is configured: one of key_file or key (inline PEM) is required', '');
    if (spec.cert && spec.certFile) bad(`${S}.cert`, 'give cert_file or cert, not both', '(inline PEM)');
    if (spec.key && spec.keyFile) bad(`${S}.key`, 'give key_file or key, not both', '(inline PEM)');
    if (spec.clientCa && spec.clientCaFile) bad(`${S}.client_ca`, 'give client_ca_file or client_ca, not both', '(inline PEM)');
    if ((spec.clientCa || spec.clientCaFile) && spec.clientAuthType === 'NoClientCert') {
      bad(`${S}.client_auth_type`, 'a client CA is configured: set a client auth policy (RequireAndVerifyClientCert to check client certificates)', authName);
    }
    if (TLS_ORDER.indexOf(spec.minVersion) > TLS_ORDER.indexOf(spec.maxVersion)) bad(`${S}.min_version`, `must not be above max_version (${fileVersion(spec.maxVersion)})`, fileVersion(spec.minVersion));
  }

  const h = section('http_server_config');
  const headers: Record<string, string> = {};
  const hv = h.headers;
  if (hv !== undefined && hv !== '') {
    if (!isMap(hv)) bad('http_server_config.headers', 'must be a mapping of header names to values', hv);
    else
      for (const [name, value] of Object.entries(hv)) {
        const allowed = EXTRA_HEADERS[name];
        if (!(name in EXTRA_HEADERS)) bad(`http_server_config.headers.${name}`, `this header can not be configured (allowed: ${Object.keys(EXTRA_HEADERS).join(', ')})`, value);
        else if (typeof value !== 'string') bad(`http_server_config.headers.${name}`, 'must be a string', value);
        else if (allowed && !allowed.includes(value)) bad(`http_server_config.headers.${name}`, `must be one of ${allowed.join(', ')}`, value);
        else if (value !== '') headers[name] = value;
      }
  }

  const users: Record<string, string> = {};
  const u = (root as Record<string, Node>).basic_auth_users;
  if (u !== undefined && u !== '') {
    if (!isMap(u)) bad('basic_auth_users', 'must be a mapping of user names to bcrypt hashes', u);
    else
      for (const [name, hash] of Object.entries(u)) {
        // The hash is not quoted back: a wrong one may be a pasted password.
        if (typeof hash !== 'string' || !BCRYPT.test(hash)) bad(`basic_auth_users.${name}`, 'must be a bcrypt hash ($2y$10$… as htpasswd -nBC 10 "" writes it)', '(hidden)');
        else users[name] = hash;
      }
  }

  const r = section('rate_limit');
  let rateLimit: WebConfigSpec['rateLimit'];
  const iv = str(r, 'rate_limit', 'interval');
  if (iv !== undefined) {
    let intervalMs = 0;
    try {
      intervalMs = parseDuration(iv);
    } catch {
      bad('rate_limit.interval', 'must be a duration such as 1s or 500ms', iv);
    }
    const bs = str(r, 'rate_limit', 'burst') ?? '0';
    const burst = /^\d+$/.test(bs) ? Number(bs) : NaN;
    if (!Number.isSafeInteger(burst)) bad('rate_limit.burst', 'must be a whole number, 0 or more', bs);
    else if (intervalMs > 0) rateLimit = { intervalMs, burst };
  }

  const http2 = bool(h, 'http_server_config', 'http2', true);
  if (problems.length) throw new RxporterError('RXP_CONFIG', problems.join('\n'));
  return { tls: tlsOn ? spec : undefined, http2, headers, users, rateLimit };
}

const TLS_ORDER: readonly SecureVersion[] = ['TLSv1', 'TLSv1.1', 'TLSv1.2', 'TLSv1.3'];

/** Returns a TLS version as the web config file writes it (TLS12), for messages. */
const fileVersion = (v: SecureVersion): string => Object.keys(TLS_VERSIONS).find((k) => TLS_VERSIONS[k] === v) ?? v;

/** Reads `file` for `key` of the web config (a `what` file); throws RXP_CONFIG naming both and why. */
async function readFor(webFile: string, key: string, file: string, what: string): Promise<Buffer> {
  try {
    return await readFile(file);
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    const why = code === 'ENOENT' ? 'no such file' : code === 'EACCES' ? 'permission denied' : code === 'EISDIR' ? 'is a directory' : (e as Error).message;
    throw new RxporterError('RXP_CONFIG', `web config file ${webFile}: ${key}: must be a readable ${what} file (${why}): value was ${JSON.stringify(file)}`, false, { cause: e });
  }
}

/** Returns the PEM certificates of `pem`; throws RXP_CONFIG naming `key` when there is none or one does not parse. */
function checkCerts(webFile: string, key: string, where: string, pem: Buffer): void {
  const blocks = pem.toString('latin1').match(/-----BEGIN CERTIFICATE-----[\s\S]*?-----END CERTIFICATE-----/g) ?? [];
  const fail = (what: string) => {
    throw new RxporterError('RXP_CONFIG', `web config file ${webFile}: ${key}: ${where}: ${what}`);
  };
  if (blocks.length === 0) fail('holds no PEM certificate (-----BEGIN CERTIFICATE-----)');
  for (const b of blocks) {
    try {
      new X509Certificate(b);
    } catch (e) {
      fail(`a certificate does not parse: ${(e as Error).message}`);
    }
  }
}

/**
 * Returns the web config of `file`, its certificate, key and client CA files read and checked
 * (the key must match the certificate; the CA must hold certificates). Throws RXP_CONFIG
 * naming the file, key, value and what was expected: a missing or unreadable file, bad YAML,
 * an invalid value (parseWebConfig), an unreadable or mismatched certificate or key.
 */
export async function loadWebConfig(file: string): Promise<WebConfig> {
  const text = await readFor(file, '--web.config.file', file, 'YAML');
  const spec = parseWebConfig(text.toString('utf8'), file);
  const files = [file];
  const contents = [text];
  const read = async (key: string, path: string | undefined, inline: string | undefined): Promise<Buffer | undefined> => {
    if (path === undefined) return inline === undefined ? undefined : Buffer.from(inline);
    const b = await readFor(file, `tls_server_config.${key}`, path, 'PEM');
    files.push(path);
    contents.push(b);
    return b;
  };
  let tlsOptions: WebTlsOptions | undefined;
  const t = spec.tls;
  if (t) {
    const cert = (await read('cert_file', t.certFile, t.cert)) as Buffer;
    const key = (await read('key_file', t.keyFile, t.key)) as Buffer;
    const ca = await read('client_ca_file', t.clientCaFile, t.clientCa);
    checkCerts(file, t.certFile ? 'tls_server_config.cert_file' : 'tls_server_config.cert', t.certFile ?? '(inline)', cert);
    if (ca) checkCerts(file, t.clientCaFile ? 'tls_server_config.client_ca_file' : 'tls_server_config.client_ca', t.clientCaFile ?? '(inline)', ca);
    const auth = t.clientAuthType;
    tlsOptions = {
      cert,
      key,
      ca,
      requestCert: auth !== 'NoClientCert',
      // Only RequireAndVerifyClientCert fails the handshake in OpenSSL; the other policies are
      // checked once the handshake is done (webGate.ts), as Go's crypto/tls does during it.
      rejectUnauthorized: auth === 'RequireAndVerifyClientCert',
      minVersion: t.minVersion,
      maxVersion: t.maxVersion,
      ciphers: t.ciphers,
      honorCipherOrder: t.honorCipherOrder,
      ecdhCurve: t.ecdhCurve,
    };
    try {
      // Builds the context as the server will: a key that does not match, an unusable cipher
      // list or curve fails here, at load, not at the first handshake.
      createSecureContext(tlsOptions);
    } catch (e) {
      const msg = (e as Error).message;
      const what = /cipher/i.test(msg)
        ? `tls_server_config.cipher_suites: OpenSSL refuses the list: ${msg}: value was ${JSON.stringify(t.ciphers)}`
        : /curve|group/i.test(msg)
          ? `tls_server_config.curve_preferences: OpenSSL refuses the list: ${msg}: value was ${JSON.stringify(t.ecdhCurve)}`
          : `tls_server_config.key_file: must be the private key of the certificate ${t.certFile ?? '(inline cert)'}: ${msg}: value was ${JSON.stringify(t.keyFile ?? '(inline key)')}`;
      throw new RxporterError(
        'RXP_CONFIG',
        `web config file ${file}: ${what}`,
        false,
        { cause: e },
      );
    }
  }
  const digest = createHash('sha256');
  for (const c of contents) digest.update(createHash('sha256').update(c).digest());
  return { ...spec, file, tlsOptions, files, digest: digest.digest('hex') };
}

/** Returns the certificate, key and client CA files a web config file names, or none when it cannot be read or parsed. */
export async function namedFiles(file: string): Promise<string[]> {
  try {
    const t = parseWebConfig(await readFile(file, 'utf8'), file).tls;
    return [t?.certFile, t?.keyFile, t?.clientCaFile].filter((f): f is string => f !== undefined);
  } catch {
    return [];
  }
}

/**
 * Returns a cheap fingerprint of `files` (path, inode, size, mtime of each; "missing" for one
 * that cannot be stat'ed): when it changes, the files are read again.
 */
export async function filesStamp(files: readonly string[]): Promise<string> {
  const parts = await Promise.all(
    files.map((f) =>
      stat(f).then(
        (s) => `${f}\0${s.ino}\0${s.size}\0${s.mtimeMs}\0${s.ctimeMs}`,
        () => `${f}\0missing`,
      ),
    ),
  );
  return parts.join('\n');
}
