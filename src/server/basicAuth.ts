import { createHash } from 'node:crypto';
import { Worker } from 'node:worker_threads';
import { RxporterError } from '../errors';

/** Resolves true when `password` matches the bcrypt `hash` (false for a hash that does not parse); rejects when the check could not run. */
export type BcryptCompare = (password: string, hash: string) => Promise<boolean>;

/**
 * Returns the hash an unknown user's password is checked against: the costliest configured one
 * (cost = the two digits after "$2y$"), so that the answer takes as long as for a known user
 * with a wrong password and user names cannot be told apart by timing. exporter-toolkit
 * (web/handler.go) checks against a fixed cost-10 hash, which users hashed at another cost can
 * be told apart from.
 */
const unknownUserHash = (users: Readonly<Record<string, string>>): string | undefined => {
  let best: string | undefined;
  for (const h of Object.values(users)) if (best === undefined || h.slice(4, 6) > best.slice(4, 6)) best = h;
  return best;
};

/** How many verified (user, hash, password) results are kept; exporter-toolkit's web/cache.go keeps 100. */
const CACHE_SIZE = 100;

/** Runs in the worker: one bcryptjs compareSync per message, in arrival order (one check at a time, as exporter-toolkit's mutex). */
const workerSource = (bcryptPath: string) => `
const { parentPort } = require('node:worker_threads');
const bcrypt = require(${JSON.stringify(bcryptPath)});
parentPort.on('message', (m) => {
  let ok = false;
  try { ok = bcrypt.compareSync(m.password, m.hash); } catch { ok = false; }
  parentPort.postMessage({ id: m.id, ok });
});
`;

/** A bcrypt checker on its own thread; close() ends the thread. */
export interface BcryptWorker {
  readonly compare: BcryptCompare;
  close(): Promise<void>;
}

/**
 * Returns a bcrypt checker that runs bcryptjs on a worker thread, started at the first check.
 * bcryptjs's async API yields only every 100 ms of work (its MAX_EXECUTION_TIME), so a cost-10
 * check (about 80 ms) would hold the event loop for its whole length; off-thread, the main
 * thread only posts a message (bench/basicAuth.ts measures both). Checks run one at a time.
 * A worker that dies rejects the checks in flight (RXP_AUTH) and is replaced at the next check.
 */
export function bcryptWorker(): BcryptWorker {
  let worker: Worker | undefined;
  let nextId = 0;
  const pending = new Map<number, { resolve: (ok: boolean) => void; reject: (e: Error) => void }>();
  const start = (): Worker => {
    const w = new Worker(workerSource(require.resolve('bcryptjs')), { eval: true });
    w.unref(); // an idle checker never keeps the process alive
    w.on('message', (m: { id: number; ok: boolean }) => {
      pending.get(m.id)?.resolve(m.ok);
      pending.delete(m.id);
    });
    const fail = (e?: unknown) => {
      if (worker === w) worker = undefined;
      const err = new RxporterError('RXP_AUTH', `bcrypt worker ended: ${e instanceof Error ? e.message : 'exit'}`);
      for (const p of pending.values()) p.reject(err);
      pending.clear();
    };
    w.on('error', fail);
    w.on('exit', fail);
    return w;
  };
  return {
    compare: (password, hash) =>
      new Promise<boolean>((resolve, reject) => {
        worker ??= start();
        const id = nextId++;
        pending.set(id, { resolve, reject });
        worker.postMessage({ id, password, hash });
      }),
    async close() {
      const w = worker;
      worker = undefined;
      if (w) await w.terminate();
    },
  };
}

/** Returns user and password of an `Authorization: Basic …` header (Go's Request.BasicAuth), or undefined. */
export function parseBasicAuth(header: string | undefined): { user: string; password: string } | undefined {
  if (!header || header.length < 6 || header.slice(0, 6).toLowerCase() !== 'basic ') return undefined;
  const b64 = header.slice(6);
  if (!/^[A-Za-z0-9+/]*={0,2}$/.test(b64) || b64.length % 4 !== 0) return undefined;
  const text = Buffer.from(b64, 'base64').toString('utf8');
  const i = text.indexOf(':');
  return i < 0 ? undefined : { user: text.slice(0, i), password: text.slice(i + 1) };
}

/** A basic-auth checker with exporter-toolkit's cache of results. */
export interface BasicAuth {
  /**
   * Resolves true when `authorization` (the request header) names a user of `users` (user name
   * to bcrypt hash) with a password that matches. Results are cached by (user, hash, password):
   * a changed hash or password misses the cache.
   */
  check(users: Readonly<Record<string, string>>, authorization: string | undefined): Promise<boolean>;
  /** bcrypt checks run so far (cache misses). */
  readonly checks: () => number;
}

/**
 * Returns a basic-auth checker over `compare` (bcryptWorker().compare in the server). The cache
 * (exporter-toolkit's web/cache.go: 100 entries, failures too) is keyed by a SHA-256 of user,
 * hash and password, so no password is kept in memory; when full the oldest tenth is dropped.
 * Identical checks in flight share one bcrypt run.
 */
export function createBasicAuth(compare: BcryptCompare): BasicAuth {
  const cache = new Map<string, boolean>();
  const inFlight = new Map<string, Promise<boolean>>();
  let checks = 0;
  const remember = (key: string, ok: boolean) => {
    if (cache.size >= CACHE_SIZE) {
      let drop = Math.max(1, Math.floor(cache.size / 10));
      for (const k of cache.keys()) {
        if (drop-- <= 0) break;
        cache.delete(k);
      }
    }
    cache.set(key, ok);
  };
  return {
    async check(users, authorization) {
      const creds = parseBasicAuth(authorization);
      if (!creds) return false;
      const known = Object.prototype.hasOwnProperty.call(users, creds.user);
      const hash = known ? users[creds.user] : unknownUserHash(users);
      if (hash === undefined) return false; // no users at all: nothing to tell apart
      const key = createHash('sha256').update(creds.user).update('\0').update(hash).update('\0').update(creds.password).digest('base64');
      let ok = cache.get(key);
      if (ok === undefined) {
        let run = inFlight.get(key);
        if (!run) {
          checks++;
          run = compare(creds.password, hash).finally(() => inFlight.delete(key));
          inFlight.set(key, run);
          // A check that could not run (the worker died) is not remembered: the next request retries.
          run.then((r) => remember(key, r), () => undefined);
        }
        ok = await run.catch(() => false);
      }
      return ok && known;
    },
    checks: () => checks,
  };
}
