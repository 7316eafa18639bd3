import { RxporterError } from '../errors';
import type { MetricFamily } from '../model/family';
import { readProcText } from '../procfs/read';
import { parseInt64Base0, parseValueOrNone } from '../sysfs/parse';
import { isMissing, listDir } from '../sysfs/read';
import { FamilyBuilder } from './familyBuilder';
import { syncCollector } from './syncCollector';
import { simpleDefinition, type CollectorContext } from './types';

/** Numeric watchdog attributes: file → metric suffix. */
const NUMBERS: readonly (readonly [string, string])[] = [
  ['bootstatus', 'bootstatus'],
  ['fw_version', 'fw_version'],
  ['nowayout', 'nowayout'],
  ['timeleft', 'timeleft_seconds'],
  ['timeout', 'timeout_seconds'],
  ['pretimeout', 'pretimeout_seconds'],
  ['access_cs0', 'access_cs0'],
];
const TEXTS = ['options', 'identity', 'state', 'status', 'pretimeout_governor'] as const;

/** Reads an optional attribute (undefined when absent), trimmed. */
function attr(sys: string, rel: string): string | undefined {
  try {
    return readProcText(sys, rel).trim();
  } catch (e) {
    if (isMissing(e)) return undefined;
    throw e;
  }
}

/** Adds one watchdog's families. */
function addWatchdog(sys: string, b: FamilyBuilder, name: string): void {
  const dir = `class/watchdog/${name}`;
  listDir(sys, dir); // a watchdog gone since the listing has no directory any more
  for (const [file, metric] of NUMBERS) {
    const raw = attr(sys, `${dir}/${file}`);
    if (raw === undefined) continue;
    const v = parseValueOrNone(raw, parseInt64Base0, `watchdog ${name}/${file}`);
    b.gauge(`node_watchdog_${metric}`, `Value of /sys/class/watchdog/<watchdog>/${file}`, { name }, v);
  }
  const info: Record<string, string> = { name };
  for (const t of TEXTS) info[t] = attr(sys, `${dir}/${t}`) ?? '';
  b.gauge('node_watchdog_info', 'Info of /sys/class/watchdog/<watchdog>', info, 1);
}

/** Returns node_exporter's watchdog families for <sysfs>/class/watchdog; RXP_NO_DATA without it. */
export function watchdogFamilies(ctx: CollectorContext): MetricFamily[] {
  let names: string[];
  try {
    names = listDir(ctx.sysPath, 'class/watchdog');
  } catch (e) {
    if (isMissing(e)) throw new RxporterError('RXP_NO_DATA', 'Could not read watchdog stats', false, { cause: e });
    throw e;
  }
  const b = new FamilyBuilder();
  for (const name of names) {
    const gone = b.addDevice((one) => addWatchdog(ctx.sysPath, one, name), isMissing);
    if (gone !== undefined) ctx.log.debug('watchdog vanished', { collector: 'watchdog', name });
  }
  return b.families();
}

/** The watchdog collector (default on). */
export const watchdog = syncCollector('watchdog', true, watchdogFamilies);

/** The watchdog collector's registration. */
export const watchdogDefinition = simpleDefinition(watchdog);
