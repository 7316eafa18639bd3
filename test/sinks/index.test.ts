import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { firstValueFrom, of } from 'rxjs';
import { createAgent } from '../../src/agent';
import type { Collector } from '../../src/collectors/types';
import { loadConfig } from '../../src/config/load';
import { gauge, type MetricFamily } from '../../src/model/family';
import { openDiskQueue } from '../../src/pipeline/diskQueue';
import { createPush } from '../../src/sinks';
import { startTestReceiver } from '../support/testReceiver';

const synthetic: Collector = { name: 'synthetic', defaultEnabled: true, collect: () => of(gauge('rxp_synthetic', 'h', [{ labels: {}, value: 1 }])) };
const silent = { error: () => 0, warn: () => 0, info: () => 0, debug: () => 0 };
const value = (fs: MetricFamily[], name: string, sink: string): number | undefined =>
  fs.find((f) => f.name === name)?.samples.find((s) => s.labels.sink === sink)?.value;

describe('exporter.retry.maxElapsed', () => {
  it('defaults to one hour and takes --push.retry.max-elapsed and its variable', () => {
    expect(loadConfig({ args: ['--global.app-name', 'x'] }).exporter.retry.maxElapsed).toBe(3_600_000);
    expect(loadConfig({ args: ['--global.app-name', 'x', '--push.retry.max-elapsed', '10m'] }).exporter.retry.maxElapsed).toBe(600_000);
    expect(loadConfig({ args: ['--global.app-name', 'x'], env: { RXPORTER_EXPORTER_RETRY_MAX_ELAPSED: '90s' } }).exporter.retry.maxElapsed).toBe(90_000);
  });
});

/** Starts an agent pushing to a closed port of 127.0.0.1 (vmagent sink) with its queue in `dir`; returns it and its warn lines. */
function startOnQueueDir(dir: string) {
  const warns: Record<string, unknown>[] = [];
  const log = { ...silent, warn: (m: string, f?: Record<string, unknown>) => warns.push({ m, ...f }) };
  const config = loadConfig({ args: ['--global.app-name', 'x', '--push.vm.url', 'http://127.0.0.1:9', '--push.interval', '1h', '--push.queue.dir', dir] });
  const push = createPush({ config, log })!;
  const agent = createAgent({ config, collectors: [synthetic], consumers: [push.consumer] });
  agent.start();
  return { agent, warns };
}

describe('createPush', () => {
  it('returns undefined and loads no HTTP client when no sink is enabled', () => {
    jest.isolateModules(() => {
      const { createPush: create } = require('../../src/sinks') as typeof import('../../src/sinks');
      const http = require('../../src/sinks/http') as typeof import('../../src/sinks/http');
      expect(create({ config: loadConfig({ args: ['--global.app-name', 'x'] }), log: silent })).toBeUndefined();
      expect(http.undiciLoaded()).toBe(false);
      const p = create({ config: loadConfig({ args: ['--global.app-name', 'x', '--push.remote-write.url', 'http://127.0.0.1:9/api/v1/write'] }), log: silent });
      expect(http.undiciLoaded()).toBe(true);
      expect(p?.sinks).toEqual(['remote_write']);
    });
  });

  it('queues nothing while standby and resumes when switched at run time', async () => {
    const config = loadConfig({ args: ['--global.app-name', 'x', '--push.vm.url', 'http://127.0.0.1:9', '--push.interval', '1h', '--push.standby', '--push.retry-count', '1'] });
    const push = createPush({ config, log: silent })!;
    const agent = createAgent({ config, collectors: [synthetic], consumers: [push.consumer] });
    agent.start();
    const batches = async () => value(agent.exposition(await firstValueFrom(agent.scrape())), 'rxporter_sink_queue_batches', 'vmagent');
    expect(push.standby$.value).toBe(true);
    expect(await batches()).toBe(0);
    push.setStandby(false);
    await firstValueFrom(agent.scrape());
    expect(await batches()).toBeGreaterThanOrEqual(1);
    push.setStandby(true);
    const before = await batches();
    expect(await batches()).toBe(before);
    await agent.stop(2000);
    // without queue.dir what could not be pushed at shutdown is counted, not silently lost
    const fs = agent.exposition({ seq: 0, timestampMs: 0, results: [] });
    const dropped = fs.find((f) => f.name === 'rxporter_sink_samples_dropped_total')!.samples.reduce((n, s) => n + s.value, 0);
    expect(dropped).toBeGreaterThan(0);
  });

  it('a standby sends nothing it queued while it was active, not even at shutdown, and a second stop() waits for the first', async () => {
    const receiver = await startTestReceiver((_q, _n, res) => res.writeHead(500).end());
    try {
      const warns: Record<string, unknown>[] = [];
      const log = { ...silent, warn: (m: string, f?: Record<string, unknown>) => warns.push({ m, ...f }) };
      // No push tick for an hour: only the shutdown drain could send.
      const config = loadConfig({ args: ['--global.app-name', 'x', '--push.vm.url', receiver.url, '--push.interval', '1h'] });
      const push = createPush({ config, log })!;
      const agent = createAgent({ config, collectors: [synthetic], consumers: [push.consumer] });
      agent.start();
      await firstValueFrom(agent.scrape());
      expect(value(agent.exposition(await firstValueFrom(agent.scrape())), 'rxporter_sink_queue_batches', 'vmagent')).toBeGreaterThanOrEqual(1);
      push.setStandby(true); // the leader lost its lease
      let firstDone = false;
      const first = push.stop(2000).then(() => (firstDone = true));
      await push.stop(2000);
      expect(firstDone).toBe(true);
      await first;
      await agent.stop(500);
      expect(receiver.requests).toHaveLength(0);
      expect(warns).toContainEqual(expect.objectContaining({ m: 'push: batches not pushed at shutdown (standby)', sink: 'vmagent' }));
    } finally {
      await receiver.close();
    }
  });

  it('counts and logs a damaged queue record found when the queue opens, and keeps the records after it', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'rxp-push-'));
    try {
      const q = openDiskQueue({ dir: join(dir, 'vmagent'), maxBytes: 1 << 20 });
      for (let seq = 1; seq <= 5; seq++) q.push({ seq, timestampMs: seq, samples: 7, body: Buffer.alloc(500, seq) });
      q.close();
      const seg = join(dir, 'vmagent', readdirSync(join(dir, 'vmagent')).find((f) => f.endsWith('.seg'))!);
      const buf = readFileSync(seg);
      for (let i = 0; i < 8; i++) buf[Math.floor(buf.length / 2) + i] ^= 0xff; // record 3's body
      writeFileSync(seg, buf);
      const { agent, warns } = startOnQueueDir(dir);
      const fs = agent.exposition(await firstValueFrom(agent.scrape()));
      const corrupt = (name: string) => fs.find((f) => f.name === name)?.samples.find((s) => s.labels.sink === 'vmagent' && s.labels.reason === 'corrupt')?.value;
      expect(corrupt('rxporter_sink_samples_dropped_total')).toBe(7);
      expect(corrupt('rxporter_sink_batches_dropped_total')).toBe(1);
      expect(value(fs, 'rxporter_sink_queue_degraded', 'vmagent')).toBe(0);
      expect(value(fs, 'rxporter_sink_queue_batches', 'vmagent')).toBeGreaterThanOrEqual(4);
      expect(warns).toContainEqual(expect.objectContaining({ m: 'disk queue: damaged record dropped', seq: 3, samples: 7 }));
      await agent.stop(500);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('keeps running on memory, says so in a gauge, when the queue directory cannot be used', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'rxp-push-'));
    try {
      writeFileSync(join(dir, 'vmagent'), 'a file where the sink directory should be');
      const { agent, warns } = startOnQueueDir(dir);
      await firstValueFrom(agent.scrape());
      const fs = agent.exposition(await firstValueFrom(agent.scrape()));
      expect(value(fs, 'rxporter_sink_queue_degraded', 'vmagent')).toBe(1);
      expect(value(fs, 'rxporter_sink_queue_batches', 'vmagent')).toBeGreaterThanOrEqual(1);
      expect(warns).toContainEqual(expect.objectContaining({ m: expect.stringMatching(/^disk queue failed/), sink: 'vmagent', code: 'EEXIST' }));
      await agent.stop(500);
      // what only memory held is counted and logged with its seqs at shutdown
      expect(warns).toContainEqual(expect.objectContaining({ m: expect.stringMatching(/lost at shutdown/), seqs: expect.stringMatching(/^\d+(,\d+)*$/) }));
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe('push.prepare (a reload of the sinks)', () => {
  const args = (...more: string[]) => ['--global.app-name', 'x', '--push.interval', '1h', '--push.retry-count', '1', ...more];
  /** An agent with a push side whose first config pushes to a closed port, and its warn lines. */
  const start = (first: string[]) => {
    const warns: Record<string, unknown>[] = [];
    const log = { ...silent, warn: (m: string, f?: Record<string, unknown>) => warns.push({ m, ...f }) };
    const config = loadConfig({ args: first });
    const push = createPush({ config, log })!;
    const agent = createAgent({ config, collectors: [synthetic], consumers: [push.consumer], log });
    agent.onReload((next) => push.prepare(next));
    agent.start();
    return { agent, push, warns };
  };

  it('refuses a sink enabled without a valid URL before anything changes', async () => {
    const { agent, push } = start(args('--push.vm.url', 'http://127.0.0.1:9'));
    await expect(agent.reload(loadConfig({ args: args('--push.vm.url', 'http://127.0.0.1:9', '--push.pushgateway.url', 'pg:9091') }))).rejects.toThrow(
      /exporter\.pushgateway\.url: must be an http/,
    );
    expect(push.sinks).toEqual(['vmagent']);
    expect(agent.self.lastReloadSuccessful).toBe(0);
    await agent.stop(500);
  });

  it('adds a sink and drops what a removed memory-queue sink could not deliver, counted and logged', async () => {
    const { agent, push, warns } = start(args('--push.vm.url', 'http://127.0.0.1:9'));
    for (let i = 0; i < 3; i++) await firstValueFrom(agent.scrape());
    await agent.reload(loadConfig({ args: args('--push.remote-write.url', 'http://127.0.0.1:9/api/v1/write') }));
    expect(push.sinks).toEqual(['remote_write']);
    await firstValueFrom(agent.scrape());
    const fs = agent.exposition(await firstValueFrom(agent.scrape()));
    expect(value(fs, 'rxporter_sink_queue_batches', 'remote_write')).toBeGreaterThanOrEqual(1);
    const lost = await poll(() => warns.find((w) => w.m === 'push: undelivered batches lost at sink removal (held in memory only)'));
    expect(lost).toMatchObject({ sink: 'vmagent' });
    expect(lost.batches as number).toBeGreaterThanOrEqual(3);
    await agent.stop(500);
  });

  it('leaves the disk queue of a removed sink in its directory, for when it comes back', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'rxp-reload-'));
    try {
      const { agent, push } = start(args('--push.vm.url', 'http://127.0.0.1:9', '--push.queue.dir', dir));
      for (let i = 0; i < 3; i++) await firstValueFrom(agent.scrape());
      await agent.reload(loadConfig({ args: args('--push.remote-write.url', 'http://127.0.0.1:9/api/v1/write', '--push.queue.dir', dir) }));
      expect(push.sinks).toEqual(['remote_write']);
      // Its lock is released once its last drain ends; then the records are still there.
      const q = await poll(() => {
        try {
          return openDiskQueue({ dir: join(dir, 'vmagent'), maxBytes: 1 << 20 });
        } catch {
          return undefined;
        }
      });
      expect(q.length).toBeGreaterThanOrEqual(3);
      q.close();
      await agent.stop(500);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

/** Polls `f` every 20 ms for up to 5 s until it returns something. */
async function poll<T>(f: () => T | undefined): Promise<T> {
  for (let i = 0; i < 250; i++) {
    const v = f();
    if (v !== undefined) return v;
    await new Promise((r) => setTimeout(r, 20));
  }
  throw new Error('timed out');
}
