import { defer, from } from 'rxjs';
import { gauge, type MetricFamily, type Sample } from '../model/family';
import { loadLocalTzif, zoneAbbreviation, type Tzif } from '../os/tzif';
import { readClockSources, type ClockSource } from '../sysfs/clocksource';
import { simpleDefinition, type Collector } from './types';

/** Returns node_time_seconds and node_time_zone_offset_seconds for `nowMs` in zone `zone`. */
export const timeFamilies = (nowMs: number, zone: string, offsetSeconds: number): MetricFamily[] => [
  gauge('node_time_seconds', 'System time in seconds since epoch (1970).', [{ labels: {}, value: nowMs / 1000 }]),
  gauge('node_time_zone_offset_seconds', 'System time zone offset in seconds.', [{ labels: { time_zone: zone }, value: offsetSeconds }]),
];

/** Returns the clocksource info families; `device` is the index in Glob order, as node_exporter labels it. */
export function clocksourceFamilies(sources: readonly ClockSource[]): MetricFamily[] {
  const available: Sample[] = [];
  const current: Sample[] = [];
  sources.forEach((s, i) => {
    const device = String(i);
    for (const clocksource of s.available) available.push({ labels: { device, clocksource }, value: 1 });
    current.push({ labels: { device, clocksource: s.current }, value: 1 });
  });
  return [
    gauge('node_time_clocksource_available_info', "Available clocksources read from '/sys/devices/system/clocksource'.", available),
    gauge('node_time_clocksource_current_info', "Current clocksource read from '/sys/devices/system/clocksource'.", current),
  ].filter((f) => f.samples.length > 0);
}

/**
 * Returns the time collector: the system clock (through the context's scheduler), the
 * local zone named as Go names it (from the TZif file, loaded once as Go loads it) and the
 * clocksources.
 */
export function createTimeCollector(env: NodeJS.ProcessEnv = process.env): Collector {
  let local: { tz: Tzif | undefined } | undefined;
  return {
    name: 'time',
    defaultEnabled: true,
    collect: (ctx) =>
      defer(() => {
        const nowMs = ctx.scheduler.now();
        local ??= { tz: loadLocalTzif(env) };
        // getTimezoneOffset is minutes west; `|| 0` turns UTC's -0 into 0.
        const offset = local.tz ? -new Date(nowMs).getTimezoneOffset() * 60 || 0 : 0;
        const zone = local.tz ? zoneAbbreviation(local.tz, Math.floor(nowMs / 1000), offset) : 'UTC';
        return from([...timeFamilies(nowMs, zone, offset), ...clocksourceFamilies(readClockSources(ctx.sysPath))]);
      }),
  };
}

/** The time collector's registration. */
export const timeDefinition = simpleDefinition(createTimeCollector());
