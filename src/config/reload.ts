import type { RxporterConfig } from './load';

/**
 * Keys (or whole sections) that a reload cannot change in a running agent; they need a restart:
 * - `web.listenAddress`: the listening socket stays bound (rebinding could lose the port);
 * - `web.enableLifecycle`: the reload endpoint cannot switch itself on or off;
 * - `log.*`: the logger is made once at start;
 * - `exporter.queue.*`, `exporter.retryCount`, `exporter.retry.*`: a sink that stays keeps its open
 *   queue (its directory, bounds and fsync policy) and its delivery pipeline, which hold the
 *   batches not yet delivered; a sink added by a reload gets the running values too;
 * - `exporter.standby`: switched at run time by the leader election (Push.setStandby), not the file;
 * - `kube`: API clients and the lease are made once at start.
 */
export const RESTART_ONLY: readonly string[] = [
  'web.listenAddress',
  'web.enableLifecycle',
  'web.configFile',
  'web.readHeaderTimeout',
  'web.requestTimeout',
  'web.idleTimeout',
  'global.pprof',
  'log',
  'exporter.queue',
  'exporter.retryCount',
  'exporter.retry',
  'exporter.standby',
  'kube',
];

/** A restart-only setting that a reloaded config would change: its key, running value and the value asked for. */
export interface KeptSetting {
  readonly key: string;
  readonly running: unknown;
  readonly wanted: unknown;
}

const at = (o: unknown, key: string): unknown =>
  key.split('.').reduce<unknown>((n, k) => (n !== null && typeof n === 'object' ? (n as Record<string, unknown>)[k] : undefined), o);

/** Returns leaf keys under `key` whose values differ between a and b (key itself for leaves). */
function changedLeaves(a: unknown, b: unknown, key: string): KeptSetting[] {
  const isObj = (v: unknown) => v !== null && typeof v === 'object' && !Array.isArray(v);
  if (isObj(a) && isObj(b)) {
    const keys = new Set([...Object.keys(a as object), ...Object.keys(b as object)]);
    return [...keys].flatMap((k) => changedLeaves((a as Record<string, unknown>)[k], (b as Record<string, unknown>)[k], `${key}.${k}`));
  }
  return JSON.stringify(a) === JSON.stringify(b) ? [] : [{ key, running: a, wanted: b }];
}

/**
 * Returns `next` with every RESTART_ONLY setting put back to its value in `running`, and the
 * leaf settings that were put back (the caller logs them: they need a restart). `next` itself is
 * not modified.
 */
export function keepRestartOnly(running: RxporterConfig, next: RxporterConfig): { config: RxporterConfig; kept: KeptSetting[] } {
  const config = structuredClone(next);
  const kept: KeptSetting[] = [];
  for (const key of RESTART_ONLY) {
    const was = at(running, key);
    if (was === undefined) continue; // a section this build does not have
    kept.push(...changedLeaves(was, at(next, key), key));
    const parts = key.split('.');
    const holder = (parts.length === 1 ? config : at(config, parts.slice(0, -1).join('.'))) as Record<string, unknown>;
    holder[parts[parts.length - 1]] = structuredClone(was);
  }
  return { config, kept };
}
