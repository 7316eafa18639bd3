import { firstValueFrom, of } from 'rxjs';
import { createAgent } from '../../src/agent';
import type { Collector } from '../../src/collectors/types';
import { loadConfig } from '../../src/config/load';
import { gauge, type MetricFamily } from '../../src/model/family';
import { createPush } from '../../src/sinks';

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
});
