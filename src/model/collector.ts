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
  /**
   * Run on the main thread even when the others run in worker threads: the collector keeps
   * state that the HTTP server shares (the ksm collector's informers serve the pod-info endpoint).
   */
  readonly mainThread?: boolean;
  /**
   * Completes once the collector can give a full answer (ksm: the first LIST of each resource);
   * the agent waits for it, up to collect.timeout, before its first collection (so `--once`
   * prints a cluster's state). May start the collector's background work.
   */
  ready?(ctx: CollectorContext): Observable<unknown>;
  /** GET routes the collector adds to the agent's HTTP server, by path: the query in, the answer out. */
  readonly routes?: Readonly<Record<string, (query: URLSearchParams) => RouteAnswer>>;
  /** Ends the collector's background work (watches); agent.stop() calls it. */
  stop?(): void;
}

/** An HTTP answer of a collector's route, independent of the server that sends it. */
export interface RouteAnswer {
  readonly status: number;
  readonly headers: Readonly<Record<string, string>>;
  readonly body: string;
}
