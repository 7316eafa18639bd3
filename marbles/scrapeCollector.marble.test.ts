import { Observable } from 'rxjs';
import type { Collector, CollectorContext } from '../src/collectors/types';
import { RxporterError } from '../src/errors';
import { silentLog } from '../src/log/types';
import { gauge, type CollectorResult, type MetricFamily } from '../src/model/family';
import { scrapeCollector } from '../src/pipeline/scrapeCollector';
import { testScheduler } from './scheduler';

const fam = (n: string): MetricFamily => gauge(n, `${n}.`, [{ labels: {}, value: 1 }]);
const collector = (name: string, src: Observable<MetricFamily>): Collector => ({ name, defaultEnabled: true, collect: () => src });

describe('scrapeCollector', () => {
  it('emits one successful result with every family and the duration when the collector completes', () => {
    const ts = testScheduler();
    ts.run(({ cold, expectObservable, expectSubscriptions }) => {
      const ctx: CollectorContext = { procPath: '', sysPath: '', rootPath: '', udevDataPath: '', log: silentLog, scheduler: ts };
      const src = cold('-a--b|', { a: fam('x'), b: fam('y') });
      const out = scrapeCollector(collector('c', src), ctx, { timeoutMs: 10 });
      expectObservable(out).toBe('-----(r|)', {
        r: { collector: 'c', success: true, durationSeconds: 0.005, families: [fam('x'), fam('y')] } satisfies CollectorResult,
      });
      expectSubscriptions(src.subscriptions).toBe('^----!');
    });
  });

  it('turns an error into success 0 with its code, keeps the families emitted before it, and logs one warning', () => {
    const ts = testScheduler();
    const warns: unknown[] = [];
    ts.run(({ cold, expectObservable }) => {
      const log = { ...silentLog, warn: (m: string, meta?: unknown) => warns.push([m, meta]) };
      const ctx: CollectorContext = { procPath: '', sysPath: '', rootPath: '', udevDataPath: '', log, scheduler: ts };
      const err = new RxporterError('RXP_PROC_PARSE', 'meminfo: invalid line: "x"');
      const out = scrapeCollector(collector('meminfo', cold('--a-#', { a: fam('x') }, err)), ctx, { timeoutMs: 10 });
      expectObservable(out).toBe('----(r|)', {
        r: {
          collector: 'meminfo',
          success: false,
          durationSeconds: 0.004,
          families: [fam('x')],
          error: { code: 'RXP_PROC_PARSE', message: 'meminfo: invalid line: "x"' },
        },
      });
    });
    expect(warns).toEqual([['collector failed', { collector: 'meminfo', code: 'RXP_PROC_PARSE', error: 'meminfo: invalid line: "x"' }]]);
  });

  it('logs "no data" (an absent subsystem) at debug, not as a failure, with success 0', () => {
    const ts = testScheduler();
    const logged: unknown[] = [];
    ts.run(({ cold, expectObservable }) => {
      const log = { ...silentLog, warn: (m: string) => logged.push(['warn', m]), debug: (m: string) => logged.push(['debug', m]) };
      const ctx: CollectorContext = { procPath: '', sysPath: '', rootPath: '', udevDataPath: '', log, scheduler: ts };
      const err = new RxporterError('RXP_NO_DATA', 'nfs: no /proc/net/rpc/nfs');
      expectObservable(scrapeCollector(collector('nfs', cold<MetricFamily>('#', {}, err)), ctx, { timeoutMs: 10 })).toBe('(r|)', {
        r: { collector: 'nfs', success: false, durationSeconds: 0, families: [], error: { code: 'RXP_NO_DATA', message: 'nfs: no /proc/net/rpc/nfs' } },
      });
    });
    expect(logged).toEqual([['debug', 'collector returned no data']]);
  });

  it('times a hung collector out after timeoutMs, keeps what it emitted and unsubscribes from it', () => {
    const ts = testScheduler();
    ts.run(({ cold, expectObservable, expectSubscriptions }) => {
      const ctx: CollectorContext = { procPath: '', sysPath: '', rootPath: '', udevDataPath: '', log: silentLog, scheduler: ts };
      const src = cold('-a------', { a: fam('x') });
      const out = scrapeCollector(collector('slow', src), ctx, { timeoutMs: 5 });
      expectObservable(out).toBe('-----(r|)', {
        r: {
          collector: 'slow',
          success: false,
          durationSeconds: 0.005,
          families: [fam('x')],
          error: { code: 'RXP_TIMEOUT', message: 'collector slow timed out after 5 ms' },
        },
      });
      expectSubscriptions(src.subscriptions).toBe('^----!');
    });
  });

  it('catches a collector that throws synchronously when subscribed', () => {
    const ts = testScheduler();
    ts.run(({ expectObservable }) => {
      const ctx: CollectorContext = { procPath: '', sysPath: '', rootPath: '', udevDataPath: '', log: silentLog, scheduler: ts };
      const bad: Collector = {
        name: 'bad',
        defaultEnabled: true,
        collect: () => {
          throw new TypeError('boom');
        },
      };
      expectObservable(scrapeCollector(bad, ctx, { timeoutMs: 5 })).toBe('(r|)', {
        r: { collector: 'bad', success: false, durationSeconds: 0, families: [], error: { code: 'RXP_PROC_READ', message: 'boom' } },
      });
    });
  });
});
