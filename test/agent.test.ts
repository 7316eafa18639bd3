import { firstValueFrom, of } from 'rxjs';
import { createAgent } from '../src/agent';
import type { Collector } from '../src/collectors/types';
import { loadConfig } from '../src/config/load';
import { gauge } from '../src/model/family';

/** A collector whose one gauge counts its own collections. */
function counting(): Collector {
  let n = 0;
  return { name: 'counting', defaultEnabled: true, collect: () => of(gauge('test_collections', 'Collections so far.', [{ labels: {}, value: ++n }])) };
}

const newAgent = () => createAgent({ config: loadConfig({ values: { global: { appName: 'agent-test' } } }), collectors: [counting()] });
const scrapes = async (agent: ReturnType<typeof newAgent>, n: number) => {
  for (let i = 0; i < n; i++) await firstValueFrom(agent.scrape());
};

describe('agent.snapshots() (async iterable)', () => {
  it('keeps every snapshot in order for a loop that lags (each)', async () => {
    const agent = newAgent();
    const it = agent.snapshots();
    const first = it.next(); // subscribes
    await scrapes(agent, 3);
    const seen = [(await first).value.seq];
    for (;;) {
      const r = await it.next();
      seen.push(r.value.seq);
      if (seen.length === 3) break;
    }
    await it.return?.();
    expect(seen).toEqual([1, 2, 3]);
    await agent.stop(0);
  }, 10_000);

  it('unsubscribes when the loop is left', async () => {
    const agent = newAgent();
    const it = agent.snapshots();
    const first = it.next();
    await scrapes(agent, 1);
    await first;
    await it.return?.();
    await scrapes(agent, 1);
    expect((await it.next()).done).toBe(true);
    await agent.stop(0);
  }, 10_000);
});

describe('agent.reload', () => {
  const config = (interval: string, extra: Record<string, unknown> = {}) => loadConfig({ values: { global: { appName: 'agent-test' }, collect: { interval }, ...extra } });

  it('runs reloads one at a time, in the order asked', async () => {
    const agent = createAgent({ config: config('1h'), collectors: [counting()] });
    agent.start();
    const order: string[] = [];
    await Promise.all([
      agent.reload(config('2h')).then(() => order.push(`a:${agent.config.collect.interval}`)),
      agent.reload(config('3h')).then(() => order.push(`b:${agent.config.collect.interval}`)),
    ]);
    await agent.stop(0);
    expect(order).toEqual(['a:7200000', 'b:10800000']);
  });

  it('keeps restart-only settings at their running values and applies the rest', async () => {
    const warned: unknown[] = [];
    const log = { error: () => 0, warn: (m: string, f?: Record<string, unknown>) => warned.push([m, f]), info: () => 0, debug: () => 0 };
    const agent = createAgent({ config: config('1h'), collectors: [counting()], log });
    await agent.reload(config('1h', { web: { listenAddress: '0.0.0.0:9999', telemetryPath: '/m' } }));
    expect(agent.config.web).toMatchObject({ listenAddress: '127.0.0.1:9100', telemetryPath: '/m' });
    expect(warned).toEqual([
      ['reload: setting needs a restart; running value kept', { key: 'web.listenAddress', running: '"127.0.0.1:9100"', wanted: '"0.0.0.0:9999"' }],
    ]);
    await agent.stop(0);
  });

  it('web.selfMetrics false leaves node_exporter families only (node_*, process_*, promhttp_*)', async () => {
    const agent = createAgent({ config: config('1h', { web: { selfMetrics: false } }), collectors: [counting()] });
    const names = agent.exposition(await firstValueFrom(agent.scrape())).map((f) => f.name);
    expect(names.filter((n) => !/^(node_|process_|promhttp_)/.test(n) && n !== 'test_collections')).toEqual([]);
    expect(names).toContain('promhttp_metric_handler_requests_total');
    await agent.reload(config('1h'));
    const all = agent.exposition(await firstValueFrom(agent.scrape())).map((f) => f.name);
    for (const n of ['rxporter_build_info', 'rxporter_config_last_reload_successful', 'nodejs_eventloop_lag_p99_seconds', 'nodejs_heap_size_used_bytes']) expect(all).toContain(n);
    await agent.stop(0);
  });
});
