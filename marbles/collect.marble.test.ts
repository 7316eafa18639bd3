import { NEVER, Observable } from 'rxjs';
import type { Collector, CollectorContext } from '../src/collectors/types';
import { RxporterError } from '../src/errors';
import { silentLog } from '../src/log/types';
import { gauge, snapshotFamilies, type MetricFamily, type Snapshot } from '../src/model/family';
import { collectAll } from '../src/pipeline/collect';
import { testScheduler } from './scheduler';

const fam = (n: string): MetricFamily => gauge(n, `${n}.`, [{ labels: {}, value: 1 }]);
const collector = (name: string, src: Observable<MetricFamily>): Collector => ({ name, defaultEnabled: true, collect: () => src });

describe('collectAll', () => {
  it('runs collectors concurrently; a failing one and a hung one fail alone without breaking the others', () => {
    const ts = testScheduler();
    let seq = 0;
    ts.run(({ cold, expectObservable, expectSubscriptions }) => {
      const ctx: CollectorContext = { procPath: '', sysPath: '', rootPath: '', udevDataPath: '', log: silentLog, scheduler: ts };
      const fast = cold('-a|', { a: fam('node_fast') });
      const broken = cold<MetricFamily>('--#', {}, new RxporterError('RXP_PROC_MISSING', '/proc/x: no such file'));
      const slow = cold('---b|', { b: fam('node_slow') });
      const out = collectAll(
        [collector('zeta', fast), collector('alpha', broken), collector('hung', NEVER), collector('slow', slow)],
        ctx,
        { timeoutMs: 6, nextSeq: () => ++seq },
      );
      const want: Snapshot = {
        seq: 1,
        timestampMs: 0,
        results: [
          { collector: 'alpha', success: false, durationSeconds: 0.002, families: [], error: { code: 'RXP_PROC_MISSING', message: '/proc/x: no such file' } },
          { collector: 'hung', success: false, durationSeconds: 0.006, families: [], error: { code: 'RXP_TIMEOUT', message: 'collector hung timed out after 6 ms' } },
          { collector: 'slow', success: true, durationSeconds: 0.004, families: [fam('node_slow')] },
          { collector: 'zeta', success: true, durationSeconds: 0.002, families: [fam('node_fast')] },
        ],
      };
      expectObservable(out).toBe('------(s|)', { s: want });
      // every collector is subscribed at once (concurrently), not one after the other
      expectSubscriptions(fast.subscriptions).toBe('^-!');
      expectSubscriptions(slow.subscriptions).toBe('^---!');
    });
  });

  it('adds node_exporter\'s scrape families per collector', () => {
    const s: Snapshot = {
      seq: 1,
      timestampMs: 0,
      results: [
        { collector: 'a', success: true, durationSeconds: 0.25, families: [fam('node_a')] },
        { collector: 'b', success: false, durationSeconds: 1, families: [] },
      ],
    };
    const fams = snapshotFamilies(s);
    expect(fams.map((f) => f.name)).toEqual(['node_a', 'node_scrape_collector_duration_seconds', 'node_scrape_collector_success']);
    expect(fams[2].samples).toEqual([
      { labels: { collector: 'a' }, value: 1 },
      { labels: { collector: 'b' }, value: 0 },
    ]);
    expect(fams[1].help).toBe('node_exporter: Duration of a collector scrape.');
  });
});
