import type { RxporterConfig } from '../config/load';
import { createFilesystemCollector } from './filesystem';
import { meminfo } from './meminfo';
import type { Collector } from './types';

/** Returns every known collector, configured from `config`, enabled or not. */
export function allCollectors(config: RxporterConfig): Collector[] {
  const fs = config.collectors.filesystem;
  return [
    meminfo,
    createFilesystemCollector({
      mountPointsExclude: fs.mountPointsExclude,
      fsTypesExclude: fs.fsTypesExclude,
      mountTimeoutMs: fs.mountTimeout,
    }),
  ];
}

/**
 * Returns the collectors to run, as node_exporter decides: an explicit switch wins,
 * otherwise the collector's default unless --collector.disable-defaults.
 */
export function enabledCollectors(config: RxporterConfig, all: readonly Collector[] = allCollectors(config)): Collector[] {
  const switches = config.collectors as unknown as Record<string, { enabled?: boolean | null } | undefined>;
  return all.filter((c) => {
    const explicit = switches[c.name]?.enabled;
    if (explicit === true || explicit === false) return explicit;
    return c.defaultEnabled && !config.collectors.disableDefaults;
  });
}
