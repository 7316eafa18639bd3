import { defer, from } from 'rxjs';
import type { MetricFamily } from '../model/family';
import type { Collector, CollectorContext } from './types';

/**
 * Returns a collector whose families come from a synchronous function run on subscribe
 * (sysfs and procfs reads are synchronous; see procfs/read.ts), so each scrape reads afresh.
 */
export const syncCollector = (
  name: string,
  defaultEnabled: boolean,
  collect: (ctx: CollectorContext) => readonly MetricFamily[],
): Collector => ({
  name,
  defaultEnabled,
  collect: (ctx) => defer(() => from(collect(ctx))),
});
