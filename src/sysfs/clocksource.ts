import { join } from 'node:path';
import { fields } from '../procfs/goStrconv';
import { globNumbered, readSysAttr } from './sysAttr';

/** One clocksource device of /sys/devices/system/clocksource. */
export interface ClockSource {
  /** The device's number ("0" for clocksource0). */
  readonly name: string;
  readonly available: readonly string[];
  readonly current: string;
}

const DIR = 'devices/system/clocksource';

/**
 * Returns every clocksource device in Glob order with its available and current clocksources.
 * A missing attribute fails the read (RXP_PROC_MISSING), as in procfs.
 */
export function readClockSources(sysPath: string): ClockSource[] {
  const base = join(sysPath, DIR);
  return globNumbered(sysPath, DIR, 'clocksource').map((d) => ({
    name: d.slice('clocksource'.length),
    available: fields(readSysAttr(base, `${d}/available_clocksource`)),
    current: readSysAttr(base, `${d}/current_clocksource`),
  }));
}
