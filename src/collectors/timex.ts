import { defer, from } from 'rxjs';
import { counter, gauge, type MetricFamily } from '../model/family';
import { RxporterError, toRxporterError } from '../errors';
import { loadTimex, readTimex, type RawTimex, type TimexBinding } from '../native/timex';
import { simpleDefinition, type Collector } from './types';

/** adjtimex(2)'s return value when the clock is not synchronised (STA_UNSYNC and other error bits). */
const TIME_ERROR = 5;
/** The status bit that puts offset and jitter in nanoseconds instead of microseconds. */
const STA_NANO = 0x2000;
/** freq, ppsfreq and stabil are ppm with a 16-bit binary fraction (NOTES in adjtimex(2)). */
const PPM16 = 1e6 * 65536;

const one = (value: number) => [{ labels: {}, value }];

/**
 * Returns node_exporter's 17 node_timex_* families for one adjtimex(2) reading: offset and
 * jitter in seconds from ns or µs per STA_NANO, maxerror, esterror and tick from µs, the
 * 16-bit-fraction ppm fields as ratios, sync_status 0 exactly when the call returned
 * TIME_ERROR, the rest as the kernel gives them.
 */
export function timexFamilies(t: RawTimex): MetricFamily[] {
  const perSecond = (t.status & STA_NANO) !== 0 ? 1e9 : 1e6;
  return [
    gauge('node_timex_sync_status', 'Is clock synchronized to a reliable server (1 = yes, 0 = no).', one(t.state === TIME_ERROR ? 0 : 1)),
    gauge('node_timex_offset_seconds', 'Time offset in between local system and reference clock.', one(t.offset / perSecond)),
    gauge('node_timex_frequency_adjustment_ratio', 'Local clock frequency adjustment.', one(1 + t.freq / PPM16)),
    gauge('node_timex_maxerror_seconds', 'Maximum error in seconds.', one(t.maxerror / 1e6)),
    gauge('node_timex_estimated_error_seconds', 'Estimated error in seconds.', one(t.esterror / 1e6)),
    gauge('node_timex_status', 'Value of the status array bits.', one(t.status)),
    gauge('node_timex_loop_time_constant', 'Phase-locked loop time constant.', one(t.constant)),
    gauge('node_timex_tick_seconds', 'Seconds between clock ticks.', one(t.tick / 1e6)),
    gauge('node_timex_pps_frequency_hertz', 'Pulse per second frequency.', one(t.ppsfreq / PPM16)),
    gauge('node_timex_pps_jitter_seconds', 'Pulse per second jitter.', one(t.jitter / perSecond)),
    // Exported raw as node_exporter does, although the kernel gives the interval as log2 seconds.
    gauge('node_timex_pps_shift_seconds', 'Pulse per second interval duration.', one(t.shift)),
    gauge('node_timex_pps_stability_hertz', 'Pulse per second stability, average of recent frequency changes.', one(t.stabil / PPM16)),
    counter('node_timex_pps_jitter_total', 'Pulse per second count of jitter limit exceeded events.', one(t.jitcnt)),
    counter('node_timex_pps_calibration_total', 'Pulse per second count of calibration intervals.', one(t.calcnt)),
    counter('node_timex_pps_error_total', 'Pulse per second count of calibration errors.', one(t.errcnt)),
    counter('node_timex_pps_stability_exceeded_total', 'Pulse per second count of stability limit exceeded events.', one(t.stbcnt)),
    gauge('node_timex_tai_offset_seconds', 'International Atomic Time (TAI) offset.', one(t.tai)),
  ];
}

/**
 * Returns the timex collector: the kernel clock discipline state read on each scrape with
 * adjtimex(2) through the binding `load` returns (koffi calling libc; injectable for tests).
 * A binding that cannot be loaded fails the first scrape with RXP_NATIVE (success 0, one
 * warn line, at start since the first collection runs at once) and every later scrape with
 * RXP_NO_DATA (success 0, a debug line), without trying again: the platform does not change
 * at run time. A call the sandbox forbids fails with RXP_NO_DATA, as node_exporter.
 */
export function createTimexCollector(load: () => TimexBinding = loadTimex): Collector {
  let unavailable: RxporterError | undefined;
  const binding = (): TimexBinding => {
    if (unavailable) throw new RxporterError('RXP_NO_DATA', `${unavailable.message} (reported once, at the first scrape)`);
    try {
      return load();
    } catch (e) {
      unavailable = toRxporterError(e, 'RXP_NATIVE');
      throw unavailable;
    }
  };
  return {
    name: 'timex',
    defaultEnabled: true,
    collect: () => defer(() => from(timexFamilies(readTimex(binding)))),
  };
}

/** The timex collector, reading adjtimex(2) through libc via koffi. */
export const timex: Collector = createTimexCollector();

/** The timex collector's registration. */
export const timexDefinition = simpleDefinition(timex);
