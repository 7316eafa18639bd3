/**
 * The profiling listener (Go's net/http/pprof in Node's terms): CPU profiles and heap
 * snapshots of the main thread and of each collector worker thread, through node:inspector,
 * in the formats Chrome DevTools loads (`.cpuprofile`, `.heapsnapshot`). Served on its own
 * address (`global.pprof.listenAddress`, loopback by default) only when `global.pprof.enable`.
 *
 *   GET /debug/pprof/                               index: the profiles and the threads
 *   GET /debug/pprof/profile?seconds=30&thread=main CPU profile (seconds 1..300, default 30)
 *   GET /debug/pprof/heap?thread=collectors         heap snapshot, streamed from a temp file
 *
 * One profile at a time: a request while one runs gets 409.
 */
import { createReadStream } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { asyncScheduler, defer, from, map, mergeMap, Observable, throwError, timeout, type SchedulerLike, type Subscription } from 'rxjs';
import type { ActorHandle } from '../actors/pool';
import { cpuProfile, heapSnapshotToFile } from '../actors/inspect';
import type { Log } from '../log/types';
import { listen } from './http';

/** A thread that can be profiled. */
export interface ProfiledThread {
  /** Its name in `?thread=` and in the index: `main`, `collectors` (the first worker), `collectors-1`, … */
  readonly name: string;
  /** What runs there, for the index. */
  readonly role: string;
  /** Emits the `.cpuprofile` JSON text of `ms` milliseconds of this thread and completes. */
  cpu(ms: number): Observable<string>;
  /** Writes a heap snapshot of this thread to `file`; emits its size in bytes and completes. */
  heap(file: string): Observable<number>;
}

/** Options of createPprofServer. */
export interface PprofOptions {
  /** The threads that exist now (workers come and go: asked at each request). */
  readonly threads: () => readonly ProfiledThread[];
  readonly log: Log;
  /** Timer of the CPU profiles (default asyncScheduler). */
  readonly scheduler?: SchedulerLike;
  /** Longest CPU profile in seconds (default 300). */
  readonly maxSeconds?: number;
}

/** Default and bounds of `seconds`, as Go's pprof: 30 s by default. */
export const DEFAULT_PROFILE_SECONDS = 30;
export const MAX_PROFILE_SECONDS = 300;

/** The main thread: profiled by an inspector session of its own. */
export const mainThread = (scheduler: SchedulerLike = asyncScheduler): ProfiledThread => ({
  name: 'main',
  role: 'HTTP, scheduling, encoding, push sinks',
  cpu: (ms) => cpuProfile(ms, scheduler),
  heap: (file) => defer(() => heapSnapshotToFile(file)),
});

const actorReply = <T>(o: Observable<{ error?: string } & T>): Observable<T> =>
  o.pipe(
    map((r) => {
      if (r.error !== undefined) throw new Error(r.error);
      return r;
    }),
  );

/** How long past a CPU profile's end, and how long for a heap snapshot, a worker may take to answer. */
export interface ActorWaits {
  /** After the profile's `seconds` (default 10 s). */
  readonly cpuGraceMs: number;
  /** For a heap snapshot (default 120 s). */
  readonly heapMs: number;
}

const DEFAULT_WAITS: ActorWaits = { cpuGraceMs: 10_000, heapMs: 120_000 };

/**
 * Returns the collector actors as profiled threads (`collectors`, `collectors-1`, …); fake actors
 * without inspect() are left out. A worker stuck in a system call (a hung read) cannot answer:
 * past `waits` its profile fails (500, and the next profile may run) instead of holding the
 * one-at-a-time lock forever.
 */
export function actorThreads(actors: readonly ActorHandle[], waits: ActorWaits = DEFAULT_WAITS, scheduler: SchedulerLike = asyncScheduler): ProfiledThread[] {
  return actors.flatMap((a, i): ProfiledThread[] => {
    const inspect = a.inspect?.bind(a);
    if (!inspect) return [];
    const name = i === 0 ? 'collectors' : `collectors-${i}`;
    const bounded = <T>(o: Observable<T>, ms: number): Observable<T> =>
      o.pipe(
        timeout({
          first: ms,
          scheduler,
          with: () => throwError(() => new Error(`thread ${name} did not answer within ${ms / 1000} s (stuck in a system call?)`)),
        }),
      );
    return [
      {
        name,
        role: 'collector worker (runs the collectors)',
        cpu: (ms) => bounded(actorReply(inspect({ what: 'cpu', ms })), ms + waits.cpuGraceMs).pipe(mergeMap((r) => (r.profile === undefined ? [] : [r.profile]))),
        heap: (file) => bounded(actorReply(inspect({ what: 'heap', file })), waits.heapMs).pipe(map((r) => r.bytes ?? 0)),
      },
    ];
  });
}

const text = (res: ServerResponse, status: number, body: string, headers: Record<string, string> = {}): void => {
  res.writeHead(status, { 'Content-Type': 'text/plain; charset=utf-8', 'Cache-Control': 'no-store', ...headers }).end(`${body}\n`);
};

const escapeHtml = (s: string): string => s.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);

/**
 * Returns the `seconds` of a profile request: a whole number from 1 to `max`, DEFAULT when
 * absent; a message for the 400 answer otherwise.
 */
export function parseSeconds(raw: string | null, max = MAX_PROFILE_SECONDS): number | { error: string } {
  if (raw === null) return Math.min(DEFAULT_PROFILE_SECONDS, max);
  if (!/^\d+$/.test(raw) || Number(raw) < 1 || Number(raw) > max) {
    return { error: `seconds must be a whole number from 1 to ${max}: got ${JSON.stringify(raw)}` };
  }
  return Number(raw);
}

const indexPage = (threads: readonly ProfiledThread[], maxSeconds: number, busy: string | undefined): string => {
  const rows = threads
    .map((t) => {
      const q = `thread=${encodeURIComponent(t.name)}`;
      return `<tr><td>${escapeHtml(t.name)}</td><td>${escapeHtml(t.role)}</td><td><a href="profile?seconds=${DEFAULT_PROFILE_SECONDS}&amp;${q}">profile (${DEFAULT_PROFILE_SECONDS} s)</a></td><td><a href="heap?${q}">heap</a></td></tr>`;
    })
    .join('\n');
  return `<!doctype html>
<html><head><meta charset="utf-8"><title>rxporter /debug/pprof/</title><link rel="icon" href="data:,"></head>
<body><h1>/debug/pprof/</h1>
<p>Profiles for Chrome DevTools (Performance / Memory panel: load the file).</p>
<ul>
<li><b>profile</b>?seconds=N&amp;thread=T: a CPU profile (<code>.cpuprofile</code>) of N seconds (1 to ${maxSeconds}, default ${DEFAULT_PROFILE_SECONDS}).</li>
<li><b>heap</b>?thread=T: a heap snapshot (<code>.heapsnapshot</code>); it pauses that thread while V8 writes it.</li>
</ul>
<p>One profile at a time${busy ? `; running now: ${escapeHtml(busy)}` : ''}.</p>
<h2>Threads</h2>
<table id="threads"><tr><th>thread</th><th>what runs there</th><th></th><th></th></tr>
${rows}
</table></body></html>
`;
};

/** Returns the profiling HTTP server (see the module comment); it never throws on bad input (400, 404, 405, 409). */
export function createPprofServer(o: PprofOptions): Server {
  const maxSeconds = o.maxSeconds ?? MAX_PROFILE_SECONDS;
  /** The profile running now; an object per run, so that a late release of one never frees the next. */
  let busy: { readonly what: string } | undefined;

  const run = (res: ServerResponse, what: string, work: Observable<unknown>, onValue: (v: unknown) => void): void => {
    const mine = { what };
    busy = mine;
    const started = performance.now();
    o.log.info('pprof: profiling', { profile: what });
    let sub: Subscription | undefined;
    const release = (): void => {
      if (busy === mine) busy = undefined;
    };
    res.on('close', () => {
      sub?.unsubscribe();
      release();
    });
    sub = work.subscribe({
      next: onValue,
      error: (e: unknown) => {
        release();
        o.log.warn('pprof: profile failed', { profile: what, error: e instanceof Error ? e.message : String(e) });
        if (!res.headersSent) text(res, 500, `profile failed: ${e instanceof Error ? e.message : String(e)}`);
        else res.destroy();
      },
      complete: () => o.log.info('pprof: profile taken', { profile: what, ms: Math.round(performance.now() - started) }),
    });
  };

  const handle = (req: IncomingMessage, res: ServerResponse): void => {
    const url = new URL(req.url ?? '/', 'http://pprof');
    const path = url.pathname;
    const routes = ['/debug/pprof/', '/debug/pprof', '/debug/pprof/profile', '/debug/pprof/heap'];
    if (!routes.includes(path)) return text(res, 404, '404 page not found');
    if (req.method !== 'GET' && req.method !== 'HEAD') return text(res, 405, '405 method not allowed', { Allow: 'GET, HEAD' });
    const threads = o.threads();
    if (path === '/debug/pprof/' || path === '/debug/pprof') {
      const page = indexPage(threads, maxSeconds, busy?.what);
      res.writeHead(200, { 'Content-Type': 'text/html; charset=utf-8', 'Content-Length': String(Buffer.byteLength(page)) });
      res.end(req.method === 'HEAD' ? undefined : page);
      return;
    }
    const name = url.searchParams.get('thread') ?? 'main';
    const thread = threads.find((t) => t.name === name);
    if (!thread) return text(res, 400, `unknown thread ${JSON.stringify(name)}: threads are ${threads.map((t) => t.name).join(', ')}`);
    const kind = path === '/debug/pprof/profile' ? 'profile' : 'heap';
    let seconds = 0;
    if (kind === 'profile') {
      const s = parseSeconds(url.searchParams.get('seconds'), maxSeconds);
      if (typeof s !== 'number') return text(res, 400, s.error);
      seconds = s;
    }
    if (busy) return text(res, 409, `a profile is running (${busy.what}); one at a time: try again when it ends`);
    if (req.method === 'HEAD') return text(res, 200, '');
    const stamp = new Date((o.scheduler ?? asyncScheduler).now()).toISOString().replace(/[:.]/g, '-');
    if (kind === 'profile') {
      run(res, `cpu profile of ${name}, ${seconds} s`, thread.cpu(seconds * 1000), (profile) => {
        const body = Buffer.from(profile as string);
        res.writeHead(200, {
          'Content-Type': 'application/json',
          'Content-Length': String(body.byteLength),
          'Content-Disposition': `attachment; filename="rxporter-${name}-${stamp}.cpuprofile"`,
          'Cache-Control': 'no-store',
        });
        res.end(body);
      });
      return;
    }
    // The snapshot goes to a temp file first (see heapSnapshotToFile), then out with backpressure.
    let dir: string | undefined;
    const cleanup = (): void => {
      if (dir) void rm(dir, { recursive: true, force: true });
      dir = undefined;
    };
    res.on('close', cleanup);
    const work = from(mkdtemp(join(tmpdir(), 'rxporter-heap-'))).pipe(
      mergeMap((d) => {
        dir = d;
        return thread.heap(join(d, 'heap.heapsnapshot')).pipe(map((bytes) => ({ file: join(d, 'heap.heapsnapshot'), bytes })));
      }),
    );
    run(res, `heap snapshot of ${name}`, work, (v) => {
      const { file, bytes } = v as { file: string; bytes: number };
      if (res.destroyed) return;
      res.writeHead(200, {
        'Content-Type': 'application/json',
        'Content-Length': String(bytes),
        'Content-Disposition': `attachment; filename="rxporter-${name}-${stamp}.heapsnapshot"`,
        'Cache-Control': 'no-store',
      });
      // busy stays set until the file is sent: one snapshot on disk at a time.
      createReadStream(file).on('error', () => res.destroy()).pipe(res);
    });
  };

  return createServer((req, res) => {
    try {
      handle(req, res);
    } catch (e) {
      o.log.error('pprof request failed', { error: e instanceof Error ? e.message : String(e) });
      if (!res.headersSent) text(res, 500, '500 internal error');
      else res.destroy();
    }
  });
}

/** A running profiling listener. */
export interface Pprof {
  readonly server: Server;
  /** The bound port (useful with port 0). */
  readonly port: number;
}

/**
 * Starts the profiling listener on `address` (HOST:PORT) for the main thread and the collector
 * actors `actors()` returns; resolves once it listens. Rejects with the listen error (a port
 * in use) for the caller to log.
 */
export async function startPprof(o: { address: string; actors: () => readonly ActorHandle[]; log: Log; scheduler?: SchedulerLike }): Promise<Pprof> {
  const main = mainThread(o.scheduler);
  const server = createPprofServer({ threads: () => [main, ...actorThreads(o.actors())], log: o.log, scheduler: o.scheduler });
  const port = await listen(server, o.address);
  o.log.info('pprof listening', { address: o.address, port });
  return { server, port };
}
