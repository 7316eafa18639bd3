import { concat, defer, from, throwError } from 'rxjs';
import type { MetricFamily } from '../model/family';
import { recordBuilders } from './familyBuilder';
import type { Collector, CollectorContext } from './types';

/**
 * Returns a collector whose families come from a synchronous function run on subscribe
 * (sysfs and procfs reads are synchronous; see procfs/read.ts), so each scrape reads afresh.
 * When the function throws, the families its FamilyBuilders hold are emitted before the error
 * (recordBuilders): a failure in the last device costs that device, and success is 0.
 */
export const syncCollector = (
  name: string,
  defaultEnabled: boolean,
  collect: (ctx: CollectorContext) => readonly MetricFamily[],
): Collector => ({
  name,
  defaultEnabled,
  collect: (ctx) =>
    defer(() => {
      const r = recordBuilders(() => collect(ctx));
      return 'value' in r ? from(r.value) : concat(from(r.families), throwError(() => r.error));
    }),
});
