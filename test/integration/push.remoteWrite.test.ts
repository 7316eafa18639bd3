import { lastValueFrom, Subject, toArray, from, concat, timer, ignoreElements } from 'rxjs';
import { gauge } from '../../src/model/family';
import { createBoundedQueue } from '../../src/pipeline/boundedQueue';
import { runSink } from '../../src/sinks';
import { createHttpClient } from '../../src/sinks/http';
import { remoteWriteSink } from '../../src/sinks/remoteWrite';
import type { Batch } from '../../src/sinks/types';
import { poll, startPrometheus, type RealServer } from '../support/servers';
import { gapsOrDuplicates, metricValue, promPoints, startAgent, type AgentProcess } from './pushSupport';
import { SinkStats, sinkFamilies } from '../../src/sinks/metrics';

describe('remote write to Prometheus (real server)', () => {
  let prom: RealServer | undefined;
  let agent: AgentProcess | undefined;
  afterEach(async () => {
    if (agent?.proc.exitCode === null) await agent.kill9();
    await prom?.stop();
    agent = undefined;
    prom = undefined;
  });

  it('writes every snapshot, queryable at its own timestamp', async () => {
    prom = await startPrometheus();
    agent = await startAgent(['--push.remote-write.url', `${prom.url}/api/v1/write`, '--global.node-name', 'rwnode', '--push.remote-write.max-samples-per-request', '50']);
    const ps = await poll(async () => {
      const p = await promPoints(prom!, 'rxporter_collections_total{nodeName="rwnode"}');
      return p.length >= 3 ? p : undefined;
    }, 20_000, 'remote-written samples');
    expect(gapsOrDuplicates(ps)).toBeUndefined();
    const m = await agent.metrics();
    expect(metricValue(m, 'rxporter_sink_requests_total{code="204",sink="remote_write"}')).toBeGreaterThanOrEqual(3);
    // meminfo alone is more than 50 samples: every snapshot was split into several requests
    const mem = await promPoints(prom, 'node_memory_MemTotal_bytes{nodeName="rwnode"}');
    expect(mem.length).toBeGreaterThanOrEqual(3);
    expect(metricValue(m, 'rxporter_sink_samples_dropped_total{reason="rejected",sink="remote_write"}')).toBeUndefined();
  });

  it('drops a batch the receiver answers 400 to, counts it, and delivers the next ones', async () => {
    prom = await startPrometheus();
    const t = Date.now() - 10_000;
    const batch = (seq: number, ts: number, value: number): Batch => ({
      seq,
      timestampMs: ts,
      families: [gauge('rxp_test_value', 'h', [{ labels: {}, value }])],
    });
    const client = createHttpClient({ timeoutMs: 5000, userAgent: 'rxporter-test' });
    const spec = remoteWriteSink({ url: `${prom.url}/api/v1/write`, client, baseLabels: () => ({ nodeName: 'rw400' }), maxSamplesPerRequest: 1000 });
    // No trigger: the three payloads go out in the last drain when the batches complete.
    const trigger$ = new Subject<void>();
    const queue = createBoundedQueue(10);
    try {
      const batches = concat(from([batch(1, t, 1), batch(2, t, 2), batch(3, t + 1000, 3)]), timer(50).pipe(ignoreElements()));
      const results = await lastValueFrom(
        batches.pipe(
          runSink(spec, { queue, trigger$, retryCount: 3, initialBackoffMs: 10, maxBackoffMs: 20, maxElapsedMs: 60_000, park: false }),
          toArray(),
        ),
      );
      expect(results.map((r) => [r.seq, r.status, r.reason])).toEqual([
        [1, 'delivered', undefined],
        [2, 'dropped', 'rejected'],
        [3, 'delivered', undefined],
      ]);
      const stats = new SinkStats('remote_write', queue);
      for (const r of results) stats.record(r, 0);
      const dropped = sinkFamilies([stats]).find((f) => f.name === 'rxporter_sink_samples_dropped_total');
      expect(dropped?.samples).toEqual([{ labels: { sink: 'remote_write', reason: 'rejected' }, value: 1 }]);
      const rejected = results[1].error as unknown as { status: number; body: string };
      expect(rejected.status).toBe(400);
      expect(rejected.body).toMatch(/duplicate sample/);
      expect(await promPoints(prom, 'rxp_test_value{nodeName="rw400"}')).toEqual([
        [t, 1],
        [t + 1000, 3],
      ]);
    } finally {
      await client.close();
    }
  });
});

