import type { RxporterConfig } from '../config/load';
import { RxporterError } from '../errors';
import { foundationDefinitions } from './registry/foundation';
import { networkDefinitions } from './registry/network';
import { storageDefinitions } from './registry/storage';
import { systemDefinitions } from './registry/system';
import type { SchedulerLike } from 'rxjs';
import type { Log } from '../log/types';
import type { Collector, CollectorContext, CollectorDefinition, CollectorEnvironment } from './types';

/**
 * Every collector kind rxporter knows, sorted by name. A new collector adds its
 * definition to a list in ./registry (one list per area keeps parallel work apart).
 */
export const collectorDefinitions: readonly CollectorDefinition[] = [
  ...foundationDefinitions,
  ...systemDefinitions,
  ...networkDefinitions,
  ...storageDefinitions,
].sort((a, b) =>
  a.name < b.name ? -1 : 1,
);

type Section = Readonly<Record<string, unknown>> & { readonly enabled?: boolean | null };

/** Returns the resolved `collectors.<name>` section: `enabled` and the collector's options. */
export const section = (config: RxporterConfig, name: string): Section =>
  ((config.collectors as unknown as Record<string, Section | undefined>)[name] ?? {}) as Section;

/**
 * Returns whether a collector runs, as node_exporter decides: an explicit switch wins,
 * otherwise its default unless --collector.disable-defaults.
 */
export function isEnabled(config: RxporterConfig, def: Pick<CollectorDefinition, 'name' | 'defaultEnabled'>): boolean {
  const explicit = section(config, def.name).enabled;
  if (explicit === true || explicit === false) return explicit;
  const c = config.collectors;
  if (c.disabled.includes(def.name)) return false;
  if (c.enabled.includes(def.name)) return true;
  return def.defaultEnabled && !c.disableDefaults && c.node.enabled;
}

/** Throws RXP_CONFIG when `collectors.enabled` or `collectors.disabled` names an unknown collector. */
export function checkCollectorLists(config: RxporterConfig, defs: readonly CollectorDefinition[] = collectorDefinitions): void {
  const known = new Set(defs.map((d) => d.name));
  for (const key of ['enabled', 'disabled'] as const) {
    for (const name of config.collectors[key]) {
      if (!known.has(name)) {
        throw new RxporterError(
          'RXP_CONFIG',
          `collectors.${key}: unknown collector: value was ${JSON.stringify(name)} (expected one of ${[...known].join(', ')})`,
        );
      }
    }
  }
}

/** Returns what factories may ask about the configuration: which collectors run. */
const environment = (config: RxporterConfig, defs: readonly CollectorDefinition[]): CollectorEnvironment => ({
  config,
  isEnabled: (name) => {
    const def = defs.find((d) => d.name === name);
    return def !== undefined && isEnabled(config, def);
  },
});

/** Returns every known collector, configured from `config`, enabled or not. */
export function allCollectors(config: RxporterConfig, defs: readonly CollectorDefinition[] = collectorDefinitions): Collector[] {
  const env = environment(config, defs);
  return defs.map((d) => d.create(section(config, d.name), env));
}

/** Returns the collectors the config enables. */
export function enabledCollectors(config: RxporterConfig, defs: readonly CollectorDefinition[] = collectorDefinitions): Collector[] {
  const env = environment(config, defs);
  return defs.filter((d) => isEnabled(config, d)).map((d) => d.create(section(config, d.name), env));
}

/** Returns the context collectors get: the config's paths, `log` and `scheduler`. */
export const collectorContext = (config: RxporterConfig, log: Log, scheduler: SchedulerLike): CollectorContext => ({
  procPath: config.path.procfs,
  sysPath: config.path.sysfs,
  rootPath: config.path.rootfs,
  udevDataPath: config.path.udevData,
  log,
  scheduler,
});
