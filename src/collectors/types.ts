import type { RxporterConfig } from '../config/load';
import type { Range } from '../config/ranges';

export type { Collector, CollectorContext } from '../model/collector';
import type { Collector } from '../model/collector';

/** A collector option's convict schema: a key under `collectors.<name>` with its flag. */
export interface CollectorOption {
  readonly doc: string;
  /**
   * A convict format: 'duration', 'count' (a whole number), 'regexp-source', 'bool', 'string-list'
   * (a repeatable flag), String or a list of values.
   */
  readonly format: unknown;
  readonly default: unknown;
  /** The flag without "--", node_exporter's name, e.g. `collector.filesystem.mount-timeout`. */
  readonly arg: string;
  /** Valid values of a 'duration' or 'count' option, checked at load, e.g. `['1ms', '24d']` or `[1, 1e6]`. */
  readonly range?: Range;
}

/**
 * A registered collector kind: its name, default, options (keys under
 * `collectors.<name>` in the config, flags `--collector.<name>.*`) and a factory.
 */
export interface CollectorDefinition {
  readonly name: string;
  readonly defaultEnabled: boolean;
  readonly options?: Readonly<Record<string, CollectorOption>>;
  /**
   * Returns the collector; `options` holds the resolved values of `options` (durations in ms),
   * `env` what the collector may ask about the others (node_exporter's collectorState).
   */
  create(options: Readonly<Record<string, unknown>>, env?: CollectorEnvironment): Collector;
}

/** What a collector factory may ask about the rest of the configuration. */
export interface CollectorEnvironment {
  /** Returns whether the collector named `name` runs (e.g. cpu exports cpuinfo MHz only with cpufreq). */
  isEnabled(name: string): boolean;
  /** The whole configuration, for a collector that needs another section (ksm: the `kube` section; container: global.node-name). */
  readonly config?: RxporterConfig;
}

/** Returns the definition of a collector that has no options. */
export const simpleDefinition = (c: Collector): CollectorDefinition => ({
  name: c.name,
  defaultEnabled: c.defaultEnabled,
  create: () => c,
});
