import { RxporterError } from '../errors';
import type { MetricFamily } from '../model/family';
import { readProcText } from '../procfs/read';
import { parseInt64, parseValueOrNone } from '../sysfs/parse';
import { isMissing, listDir } from '../sysfs/read';
import { FamilyBuilder } from './familyBuilder';
import { syncCollector } from './syncCollector';
import { simpleDefinition, type CollectorContext } from './types';

const BASE = 'class/thermal';

const numbered = (name: string, prefix: string): boolean => name.startsWith(prefix) && /^[0-9]/.test(name.slice(prefix.length));

/** Reads an attribute as trimmed text; undefined when it cannot be read at all. */
function tryRead(sys: string, rel: string): string | undefined {
  try {
    return readProcText(sys, rel).trim();
  } catch {
    return undefined;
  }
}

/** Error codes procfs treats as "skip this cooling device". */
const IGNORABLE = /EACCES|EPERM|EINVAL|ENOTSUP|EOPNOTSUPP|operation not supported|permission denied|invalid argument/i;

/**
 * Returns one cooling device's type and states (a state is undefined when the kernel
 * printed its "no value" marker), or undefined when procfs would skip the device.
 */
function coolingDevice(sys: string, dir: string): { type: string; cur: number | undefined; max: number | undefined } | undefined {
  const read = (f: string): string => readProcText(sys, `${BASE}/${dir}/${f}`).trim();
  let type: string;
  let maxRaw: string;
  let curRaw: string;
  try {
    type = read('type');
    maxRaw = read('max_state');
    curRaw = read('cur_state');
  } catch (e) {
    if (isMissing(e) || IGNORABLE.test((e as Error).message)) return undefined;
    throw e;
  }
  const max = parseValueOrNone(maxRaw, parseInt64, `thermal ${dir}/max_state`);
  const cur = parseValueOrNone(curRaw, parseInt64, `thermal ${dir}/cur_state`);
  return { type, cur, max };
}

/**
 * Returns node_exporter's thermal_zone families: each zone's temperature (0 when
 * unreadable, as procfs) and each cooling device's current and maximum state.
 */
export function thermalZoneFamilies(ctx: CollectorContext): MetricFamily[] {
  let entries: string[];
  try {
    entries = listDir(ctx.sysPath, BASE);
  } catch (e) {
    if (isMissing(e)) throw new RxporterError('RXP_NO_DATA', 'Could not read thermal zone stats', false, { cause: e });
    throw e;
  }
  const b = new FamilyBuilder();
  for (const dir of entries.filter((n) => numbered(n, 'thermal_zone'))) {
    const temp = parseInt64(tryRead(ctx.sysPath, `${BASE}/${dir}/temp`) ?? '');
    b.gauge('node_thermal_zone_temp', 'Zone temperature in Celsius', {
      zone: dir.slice('thermal_zone'.length),
      type: tryRead(ctx.sysPath, `${BASE}/${dir}/type`) ?? '',
    }, Number.isNaN(temp) ? 0 : temp / 1000);
  }
  for (const dir of entries.filter((n) => numbered(n, 'cooling_device'))) {
    const c = coolingDevice(ctx.sysPath, dir);
    if (!c) {
      ctx.log.debug('cooling device skipped', { collector: 'thermal_zone', device: dir });
      continue;
    }
    const labels = { name: dir.slice('cooling_device'.length), type: c.type };
    b.gauge('node_cooling_device_cur_state', 'Current throttle state of the cooling device', labels, c.cur);
    b.gauge('node_cooling_device_max_state', 'Maximum throttle state of the cooling device', labels, c.max);
  }
  return b.families();
}

/** The thermal_zone collector (default on). */
export const thermalZone = syncCollector('thermal_zone', true, thermalZoneFamilies);

/** The thermal_zone collector's registration. */
export const thermalZoneDefinition = simpleDefinition(thermalZone);
