import { map, timer } from 'rxjs';
import { createAgent } from '../src/agent';
import type { Collector } from '../src/collectors/types';
import { loadConfig, type RxporterConfig } from '../src/config/load';
import { RxporterError } from '../src/errors';
import { gauge } from '../src/model/family';
import { testScheduler } from './scheduler';

/** A collector whose collection takes 5 frames. */
const slow: Collector = { name: 'slow', defaultEnabled: true, collect: () => timer(5).pipe(map(() => gauge('node_slow', 'Slow.', [{ labels: {}, value: 1 }]))) };

const config = (interval: string, extra: Record<string, unknown> = {}): RxporterConfig =>
  loadConfig({ values: { global: { appName: 'reload' }, collect: { interval }, ...extra } });

describe('agent.reload (virtual time)', () => {
  it('swaps the config at the end of the collection in flight and re-times the interval from there', () => {
    const ts = testScheduler();
    const seen: string[] = [];
    ts.run(({ expectObservable }) => {
      const agent = createAgent({ config: config('1s'), collectors: [slow], scheduler: ts });
      ts.schedule(() => agent.start(), 0);
      // asked at 2, while the first collection (0-5) runs
      ts.schedule(() => void agent.reload(config('2s')).then(() => seen.push('resolved')), 2);
      for (const t of [3, 6]) ts.schedule(() => seen.push(`${t}:${agent.config.collect.interval}`), t);
      // old period: the next collection would start at 1000; the new one starts at 5 + 2000
      expectObservable(agent.snapshots$.pipe(map((s) => String(s.seq))), '^ 2100ms !').toBe('5ms 1 2004ms 2 -');
      ts.schedule(() => {
        seen.push(`stamp:${agent.self.lastReloadSuccessSeconds}`);
        void agent.stop(0);
      }, 2101);
    });
    expect(seen).toEqual(['3:1000', '6:2000', 'stamp:0.005']);
  });

  it('refuses a config whose source throws: running config stays, reload gauge 0, one log line per problem', async () => {
    const ts = testScheduler();
    const lines: unknown[] = [];
    const log = { error: (m: string, f?: Record<string, unknown>) => lines.push([m, f]), warn: () => 0, info: () => 0, debug: () => 0 };
    let refused: unknown;
    ts.run(({ expectObservable }) => {
      const agent = createAgent({
        config: config('1s'),
        collectors: [slow],
        scheduler: ts,
        log,
        loadConfig: () => {
          throw new RxporterError('RXP_CONFIG', 'collect.interval: must be a duration\nbogus: unknown key');
        },
      });
      ts.schedule(() => agent.start(), 0);
      ts.schedule(() => {
        agent.reload().catch((e: unknown) => (refused = e));
        expect(agent.self.lastReloadSuccessful).toBe(0);
        expect(agent.config.collect.interval).toBe(1000);
      }, 2);
      expectObservable(agent.snapshots$.pipe(map((s) => String(s.seq))), '^ 1100ms !').toBe('5ms 1 999ms 2 -');
      ts.schedule(() => void agent.stop(0), 1101);
    });
    await Promise.resolve();
    expect(refused).toBeInstanceOf(RxporterError);
    expect(lines).toEqual([
      ['reload refused: invalid configuration', { code: 'RXP_CONFIG', error: 'collect.interval: must be a duration' }],
      ['reload refused: invalid configuration', { code: 'RXP_CONFIG', error: 'bogus: unknown key' }],
    ]);
  });

  it('applies nothing when stop() comes while the reload waits for the collection to end', async () => {
    const ts = testScheduler();
    let outcome: unknown;
    let agent: ReturnType<typeof createAgent> | undefined;
    ts.run(() => {
      const a = createAgent({ config: config('1s'), collectors: [slow], scheduler: ts });
      agent = a;
      ts.schedule(() => a.start(), 0);
      ts.schedule(() => void a.reload(config('2s')).then(() => (outcome = 'applied'), (e: unknown) => (outcome = e)), 2);
      ts.schedule(() => void a.stop(100), 3);
    });
    await new Promise((r) => setImmediate(r));
    expect(outcome).toBeInstanceOf(RxporterError);
    expect(agent?.config.collect.interval).toBe(1000);
  });
});
