/**
 * A collector actor: the entry point of a worker thread (node:worker_threads). It builds the
 * collectors the configuration enables and runs those a `collect` request names, one after the
 * other, through scrapeCollector (so errors and partial results are handled as in-thread), and
 * answers each with a `result` message. See protocol.ts.
 */
import { parentPort, workerData } from 'node:worker_threads';
import { asyncScheduler } from 'rxjs';
import { collectorContext, enabledCollectors } from '../collectors';
import { statfs as nodeStatfs } from 'node:fs/promises';
import { defaultStatfsPermits, useStatfs, type StatfsFn } from '../fs/statfsGuard';
import type { Log } from '../log/types';
import type { CollectorContext } from '../model/collector';
import type { CollectorResult } from '../model/family';
import { scrapeCollector } from '../pipeline/scrapeCollector';
import { RUNNING_INDEX, RUNNING_REQ, type ActorInit, type ActorReply, type CollectRequest, type InspectRequest } from './protocol';
import { inspectSelf } from './inspectSelf';
import { pooledThenThreaded, threadStatfs } from './statfsThreads';

const port = parentPort;
if (!port) throw new Error('collectorWorker.ts runs only as a worker thread');
const init = workerData as ActorInit;
const state = new Int32Array(init.state);
const post = (m: ActorReply): void => port.postMessage(m);

// statfs: on libuv's pool while at most half of it is in use (hung calls included), on threads
// of its own beyond that, so no number of hung mounts delays a healthy one (statfsThreads.ts).
const injected = init.statfsModule ? (require(init.statfsModule) as { statfs?: StatfsFn }) : {};
useStatfs(
  pooledThenThreaded(injected.statfs ?? ((p) => nodeStatfs(p)), threadStatfs({ module: init.statfsModule }), defaultStatfsPermits()),
  Infinity,
);

// Lines below the configured level are dropped here, not posted: a host without bonding, NFS,
// ZFS, … logs a dozen debug lines per scrape.
const LEVELS = ['error', 'warn', 'info', 'debug'] as const;
const maxLevel = LEVELS.indexOf(init.config.log.level as (typeof LEVELS)[number]);
const forward =
  (level: (typeof LEVELS)[number]) =>
  (message: string, fields?: Record<string, unknown>): undefined => {
    if (LEVELS.indexOf(level) <= maxLevel) post({ type: 'log', level, message, fields });
    return undefined;
  };
const log: Log = { error: forward('error'), warn: forward('warn'), info: forward('info'), debug: forward('debug') };
const { config } = init;
const ctx: CollectorContext = collectorContext(config, log, asyncScheduler);
const collectors = new Map(enabledCollectors(config).map((c) => [c.name, c]));
const now = (): number => performance.now();

post({ type: 'ready' });
port.on('message', (m: CollectRequest | InspectRequest) => {
  if (m.type === 'inspect') {
    inspectSelf(m, (r) => port.postMessage(r));
    return;
  }
  Atomics.store(state, RUNNING_REQ, m.req);
  // Results of the collectors that finish while this handler runs go out in one message.
  let batch: CollectorResult[] | undefined = [];
  const emit = (result: CollectorResult): void => {
    if (batch) batch.push(result);
    else post({ type: 'result', req: m.req, results: [result] });
  };
  m.names.forEach((name, i) => {
    const c = collectors.get(name);
    if (!c) {
      emit({ collector: name, success: false, durationSeconds: 0, families: [], error: { code: 'RXP_CONFIG', message: `collector ${name} is not enabled in this worker` } });
      return;
    }
    Atomics.store(state, RUNNING_INDEX, i);
    scrapeCollector(c, ctx, { timeoutMs: init.timeoutMs, now }).subscribe(emit);
    Atomics.store(state, RUNNING_INDEX, -1);
  });
  if (batch.length > 0) post({ type: 'result', req: m.req, results: batch });
  batch = undefined;
});
