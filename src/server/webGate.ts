import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Server } from 'node:https';
import type { Socket } from 'node:net';
import type { TLSSocket } from 'node:tls';
import { asyncScheduler, firstValueFrom, from, map, race, timer, type SchedulerLike } from 'rxjs';
import { RxporterError } from '../errors';
import type { Log } from '../log/types';
import { gauge, type MetricFamily } from '../model/family';
import { bcryptWorker, createBasicAuth, type BasicAuth, type BcryptCompare } from './basicAuth';
import { filesStamp, loadWebConfig, namedFiles, type WebConfig } from './webConfig';

/** What createWebGate needs. */
export interface WebGateOptions {
  /** The web config file (--web.config.file). */
  readonly file: string;
  readonly log: Log;
  /** bcrypt check (default: bcryptWorker(), off the main thread). */
  readonly compare?: BcryptCompare;
  /** Clock of the rate limit and of the wait for a file check (default asyncScheduler). */
  readonly scheduler?: SchedulerLike;
}

/**
 * The request gate of --web.config.file: headers, rate limit and basic auth per request, the
 * TLS policy per connection, and the file watched for changes.
 */
export interface WebGate {
  /** The config in force (the last good one). */
  current(): WebConfig;
  /**
   * Re-reads the file and the files it names when one of them changed (inode, size, mtime,
   * ctime; then content), or always with `force` (a reload). A broken edit keeps the config in
   * force and is logged once (error); with `force` it also rejects with the RXP_CONFIG error.
   * Checks in flight are shared.
   */
  refresh(o?: { force?: boolean }): Promise<void>;
  /**
   * Applies the config to a request: rate limit (429), headers, basic auth (401 with
   * `WWW-Authenticate: Basic`). Resolves true when the request may be served; otherwise it has
   * been answered.
   */
  admit(req: IncomingMessage, res: ServerResponse): Promise<boolean>;
  /** Hooks into an HTTPS server made with current().tlsOptions: files re-checked before each handshake, client-certificate policies. */
  attach(server: Server): void;
  /** rxporter_web_config_last_reload_successful. */
  families(): MetricFamily[];
  readonly auth: BasicAuth;
  /** Ends the bcrypt thread. */
  close(): Promise<void>;
}

/** How long a request or a handshake waits for the file check (stat of a few files: well under a millisecond normally). */
const CHECK_WAIT_MS = 1000;

/** Returns the SAN values (DNS, IP, e-mail, URI) of a peer certificate's subjectaltname ("DNS:a, IP Address:1.2.3.4"). */
const sanValues = (san: string | undefined): string[] =>
  (san ?? '')
    .split(/,\s*/)
    .map((s) => s.slice(s.indexOf(':') + 1))
    .filter(Boolean);

/**
 * Returns why a TLS connection breaks the client-certificate policy of `c`, or undefined
 * (Go's crypto/tls checks RequireAnyClientCert and VerifyClientCertIfGiven in the handshake;
 * OpenSSL only RequireAndVerifyClientCert, so the others are checked here, after it).
 */
export function clientCertProblem(c: WebConfig, socket: TLSSocket): string | undefined {
  const t = c.tls;
  if (!t || t.clientAuthType === 'NoClientCert') return undefined;
  const peer = socket.getPeerCertificate();
  const given = !!peer && Object.keys(peer).length > 0;
  if (!given && (t.clientAuthType === 'RequireAnyClientCert' || t.clientAuthType === 'RequireAndVerifyClientCert')) return 'no client certificate';
  if (given && !socket.authorized && (t.clientAuthType === 'VerifyClientCertIfGiven' || t.clientAuthType === 'RequireAndVerifyClientCert')) {
    return `client certificate not verified: ${String(socket.authorizationError)}`;
  }
  if (t.clientAllowedSans && !(given && sanValues(peer.subjectaltname).some((v) => t.clientAllowedSans?.includes(v)))) {
    return 'client certificate has none of client_allowed_sans';
  }
  return undefined;
}

/**
 * Returns a rate limiter as Go's rate.Limiter.Allow (exporter-toolkit's rate_limit): a bucket of
 * `burst` tokens, full at first, one more every `intervalMs` (ms of `now`); each allowed call
 * takes one. Without `rl` every call is allowed.
 */
export function tokenBucket(rl: WebConfig['rateLimit'], now: () => number): () => boolean {
  if (!rl) return () => true;
  let tokens = rl.burst;
  let at = now();
  return () => {
    const t = now();
    tokens = Math.min(rl.burst, tokens + (t - at) / rl.intervalMs);
    at = t;
    if (tokens < 1) return false;
    tokens -= 1;
    return true;
  };
}

/**
 * Returns the gate of the web config `o.file`, loaded (loadWebConfig; throws its RXP_CONFIG
 * error). Follows exporter-toolkit's web/handler.go and tls_config.go: the file is checked
 * before each request and each TLS handshake, so new users, headers and certificates apply
 * without a restart. Unlike exporter-toolkit (500 for every request while the file is bad), a
 * broken edit keeps the last good config: the endpoint stays as secure as it was and scrapes go on.
 */
export async function createWebGate(o: WebGateOptions): Promise<WebGate> {
  let current = await loadWebConfig(o.file);
  /** The files whose change triggers a re-read: the config in force's, and those a broken version names. */
  let watched: readonly string[] = current.files;
  let stamp = await filesStamp(watched);
  let failedStamp: string | undefined;
  let lastOk = true;
  let checking: Promise<void> | undefined;
  let server: Server | undefined;
  const scheduler = o.scheduler ?? asyncScheduler;
  const now = () => scheduler.now();
  const checker = o.compare ? undefined : bcryptWorker();
  const auth = createBasicAuth(o.compare ?? (checker as NonNullable<typeof checker>).compare);
  let allow = tokenBucket(current.rateLimit, now);

  const apply = (next: WebConfig) => {
    if (!!next.tlsOptions !== !!current.tlsOptions) {
      throw new RxporterError(
        'RXP_CONFIG',
        `web config file ${o.file}: tls_server_config: TLS was ${current.tlsOptions ? 'on' : 'off'} when the listener started; turning it ${current.tlsOptions ? 'off' : 'on'} needs a restart`,
      );
    }
    const tls = next.tlsOptions;
    if (server && tls) {
      server.setSecureContext(tls);
      // setSecureContext leaves the client-certificate request to the server's own fields, which
      // tls.Server reads for each new connection.
      Object.assign(server, { requestCert: tls.requestCert, rejectUnauthorized: tls.rejectUnauthorized });
    }
    if (next.rateLimit?.intervalMs !== current.rateLimit?.intervalMs || next.rateLimit?.burst !== current.rateLimit?.burst) allow = tokenBucket(next.rateLimit, now);
    current = next;
  };

  const check = async (force: boolean): Promise<void> => {
    const seen = await filesStamp(watched);
    if (!force && (seen === stamp || seen === failedStamp)) return;
    try {
      const next = await loadWebConfig(o.file);
      if (next.digest !== current.digest) {
        apply(next);
        o.log.info('web config reloaded', { file: o.file, tls: !!next.tlsOptions, users: Object.keys(next.users).length });
      }
      const same = next.files.join('\n') === watched.join('\n');
      watched = next.files;
      stamp = same ? seen : await filesStamp(watched);
      failedStamp = undefined;
      lastOk = true;
    } catch (e) {
      lastOk = false;
      // Watch the files the broken version names too: a certificate it points to that is not
      // there yet is picked up once it appears, with no further edit of the web config file.
      const named = await namedFiles(o.file);
      const next = [...new Set([...current.files, ...named])];
      const grown = next.length !== watched.length;
      watched = next;
      const again = seen === failedStamp;
      failedStamp = grown ? await filesStamp(watched) : seen;
      if (!again || force) o.log.error('web config not reloaded, the last good one stays in force', { file: o.file, error: e instanceof Error ? e.message : String(e) });
      if (force) throw e;
    }
  };

  const refresh = (r: { force?: boolean } = {}): Promise<void> => {
    if (r.force) return check(true);
    checking ??= check(false).finally(() => (checking = undefined));
    return checking;
  };

  /**
   * The file check before a request or a handshake, waited for at most CHECK_WAIT_MS: files on
   * a hung mount delay each request by that much and never hold the endpoint (the config in
   * force applies meanwhile).
   */
  const fresh = (): Promise<void> => firstValueFrom(race(from(refresh()), timer(CHECK_WAIT_MS, scheduler)).pipe(map(() => undefined)));

  return {
    current: () => current,
    refresh,
    async admit(req, res) {
      await fresh();
      const c = current;
      if (!allow()) {
        res.writeHead(429, { 'Content-Type': 'text/plain; charset=utf-8' }).end('429 too many requests\n');
        return false;
      }
      for (const [k, v] of Object.entries(c.headers)) res.setHeader(k, v);
      if (Object.keys(c.users).length === 0 || (await auth.check(c.users, req.headers.authorization))) return true;
      res.writeHead(401, { 'WWW-Authenticate': 'Basic', 'Content-Type': 'text/plain; charset=utf-8' }).end('401 Unauthorized\n');
      return false;
    },
    attach(s) {
      server = s;
      // Each TCP connection waits for the file check before its handshake starts (tls.Server's
      // 'connection' listener takes it over; bytes already received are kept), so a renewed
      // certificate is served from the next connection on, as exporter-toolkit's GetConfigForClient.
      const handshake = s.listeners('connection') as ((socket: Socket) => void)[];
      s.removeAllListeners('connection');
      s.on('connection', (socket: Socket) => {
        void fresh().then(() => {
          if (!socket.destroyed) for (const l of handshake) l.call(s, socket);
        });
      });
      s.prependListener('secureConnection', (socket: TLSSocket) => {
        const why = clientCertProblem(current, socket);
        if (why) {
          o.log.debug('TLS connection refused', { remote: socket.remoteAddress, reason: why });
          socket.destroy();
        }
      });
      s.on('tlsClientError', (e: Error, socket: TLSSocket) => o.log.debug('TLS handshake failed', { remote: socket.remoteAddress, error: e.message }));
    },
    families: () => [
      gauge('rxporter_web_config_last_reload_successful', 'Whether the last read of --web.config.file succeeded (0: the last good config stays in force).', [
        { labels: {}, value: lastOk ? 1 : 0 },
      ]),
    ],
    auth,
    close: async () => {
      await checker?.close();
    },
  };
}
