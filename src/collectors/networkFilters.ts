import { RxporterError } from '../errors';
import type { CollectorOption } from './types';

/** A device name filter as node_exporter's deviceFilter: an exclude and an include pattern. */
export interface DeviceFilter {
  /** Returns true when the device is excluded, or an include pattern is set and does not match. */
  ignored(name: string): boolean;
}

/** Returns a filter; an empty pattern means "not set" (unanchored search, as Go's MatchString). */
export function createDeviceFilter(exclude: string, include: string): DeviceFilter {
  const ex = exclude === '' ? undefined : new RegExp(exclude);
  const inc = include === '' ? undefined : new RegExp(include);
  return { ignored: (name) => (ex !== undefined && ex.test(name)) || (inc !== undefined && !inc.test(name)) };
}

/** Returns the `device-include` / `device-exclude` options of collector `name`, node_exporter's flags. */
export const deviceFilterOptions = (name: string, what: string, defaults: { exclude?: string; include?: string } = {}): Record<string, CollectorOption> => ({
  deviceInclude: {
    doc: `Regexp of ${what} to include (mutually exclusive to device-exclude).`,
    format: 'regexp-source',
    default: defaults.include ?? '',
    arg: `collector.${name}.device-include`,
  },
  deviceExclude: {
    doc: `Regexp of ${what} to exclude (mutually exclusive to device-include).`,
    format: 'regexp-source',
    default: defaults.exclude ?? '',
    arg: `collector.${name}.device-exclude`,
  },
});

/**
 * Returns `read()`, turning RXP_PROC_MISSING into RXP_NO_DATA (`what` as message): the
 * subsystem is absent on this host, which node_exporter reports as ErrNoData.
 */
export function orNoData<T>(read: () => T, what: string): T {
  try {
    return read();
  } catch (e) {
    if (e instanceof RxporterError && e.code === 'RXP_PROC_MISSING') throw new RxporterError('RXP_NO_DATA', what, false, { cause: e });
    throw e;
  }
}
