import type { Observable, SchedulerLike } from 'rxjs';
import type { Log } from '../log/types';
import type { MetricFamily } from './family';

/** What a collector gets for one scrape. */
export interface CollectorContext {
  readonly procPath: string;
  readonly sysPath: string;
  readonly rootPath: string;
  readonly udevDataPath: string;
  readonly log: Log;
  /** Scheduler for any timing inside the collector (virtual time in marble tests). */
  readonly scheduler: SchedulerLike;
}

/** A named source of metric families; `collect` is cold and completes once per scrape. */
export interface Collector {
  /** The collector="…" label and the key of `collectors.<name>` in the config. */
  readonly name: string;
  readonly defaultEnabled: boolean;
  collect(ctx: CollectorContext): Observable<MetricFamily>;
}
