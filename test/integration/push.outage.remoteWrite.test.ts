import { rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { poll, startPrometheus, startServer, type RealServer } from '../support/servers';
import { gapsOrDuplicates, metricValue, promPoints, startAgent, tempDir, wait, type AgentProcess } from './pushSupport';

const OUTAGE_MS = 20_000;

/** Restarts a stopped Prometheus on its data dir and port (remote-write receiver on). */
const restartPrometheus = (old: RealServer): Promise<RealServer> =>
  startServer({
    name: 'prometheus',
    bin: 'prometheus',
    readyPath: '/-/ready',
    dir: old.dir,
    port: old.port,
    setup: (dir) => writeFileSync(join(dir, 'p.yml'), 'global: {scrape_interval: 1s, scrape_timeout: 1s}\n'),
    args: (port, dir) => [`--config.file=${join(dir, 'p.yml')}`, `--storage.tsdb.path=${join(dir, 'data')}`, `--web.listen-address=127.0.0.1:${port}`, '--web.enable-remote-write-receiver'],
  });

describe('Prometheus remote-write outage with a disk queue (real server)', () => {
  let prom: RealServer | undefined;
  let agent: AgentProcess | undefined;
  let queueDir: string | undefined;
  afterEach(async () => {
    if (agent?.proc.exitCode === null) await agent.kill9();
    await prom?.stop();
    if (queueDir) rmSync(queueDir, { recursive: true, force: true });
  });

  it('writes every snapshot of a 20 s outage afterwards, in order, none twice', async () => {
    prom = await startPrometheus();
    queueDir = tempDir('rwqueue');
    const selector = 'rxporter_collections_total{nodeName="rwoutage"}';
    agent = await startAgent([
      '--push.remote-write.url',
      `${prom.url}/api/v1/write`,
      '--push.queue.dir',
      queueDir,
      '--push.retry-count',
      '2',
      '--push.retry.max-backoff',
      '1s',
      '--push.timeout',
      '2s',
      '--global.node-name',
      'rwoutage',
    ]);
    await poll(async () => ((await promPoints(prom!, selector)).length >= 2 ? true : undefined), 15_000, 'first remote writes');
    await prom.stop({ keepDir: true });
    const downAt = Date.now();
    await wait(OUTAGE_MS);
    const collected = metricValue(await agent.metrics(), 'rxporter_collections_total')!;
    prom = await restartPrometheus(prom);
    const ps = await poll(
      async () => {
        const p = await promPoints(prom!, selector);
        return p.length >= collected ? p : undefined;
      },
      30_000,
      `${collected} samples after the outage`,
      500,
    );
    expect(gapsOrDuplicates(ps)).toBeUndefined();
    expect(ps.filter(([t]) => t > downAt && t < downAt + OUTAGE_MS).length).toBeGreaterThanOrEqual(OUTAGE_MS / 1000 - 2);
    const m = await agent.metrics();
    expect(metricValue(m, 'rxporter_sink_samples_dropped_total{reason="rejected",sink="remote_write"}')).toBeUndefined();
    const { code } = await agent.stop();
    expect(code).toBe(0);
  });
});
