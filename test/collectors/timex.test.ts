import { firstValueFrom } from 'rxjs';
import { createTimexCollector, timex, timexDefinition, timexFamilies } from '../../src/collectors/timex';
import { encodeText } from '../../src/encode/text';
import { RxporterError } from '../../src/errors';
import type { MetricFamily } from '../../src/model/family';
import type { RawTimex } from '../../src/native/timex';
import { scrapeCollector } from '../../src/pipeline/scrapeCollector';
import { collectAll, fixtureContext, recordingLog } from '../support/neFixtures';
import { expectGolden } from '../support/paths';

const STA_PLL = 0x0001;
const STA_UNSYNC = 0x0040;
const STA_CLOCKERR = 0x1000;
const STA_NANO = 0x2000;

/** An unsynchronised kernel clock as a fresh Linux boots it (this container's host, in µs mode). */
const unsynced: RawTimex = {
  state: 5,
  modes: 0,
  offset: 0,
  freq: 0,
  maxerror: 16_000_000,
  esterror: 16_000_000,
  status: STA_UNSYNC,
  constant: 2,
  precision: 1,
  tolerance: 32_768_000,
  timeSec: 1_795_647_715,
  timeFrac: 343_925,
  tick: 10_000,
  ppsfreq: 0,
  jitter: 0,
  shift: 0,
  stabil: 0,
  jitcnt: 0,
  calcnt: 0,
  errcnt: 0,
  stbcnt: 0,
  tai: 0,
};

/** A disciplined clock in nanosecond mode with every field set (chrony-like, plus PPS). */
const synced: RawTimex = {
  ...unsynced,
  state: 0,
  status: STA_PLL | STA_NANO,
  offset: -1_234_567,
  freq: -1_234_567,
  maxerror: 1_500,
  esterror: 25,
  constant: 7,
  ppsfreq: 65_536,
  jitter: 500,
  shift: 4,
  stabil: 131_072,
  jitcnt: 1,
  calcnt: 2,
  errcnt: 3,
  stbcnt: 4,
  tai: 37,
};

const value = (fams: readonly MetricFamily[], name: string): number => {
  const f = fams.find((x) => x.name === name);
  if (!f) throw new Error(`no ${name}`);
  return f.samples[0].value;
};

describe('timexFamilies', () => {
  it("exports node_exporter's 17 families with its HELP, types and number format", () => {
    expectGolden('timex.prom', encodeText(timexFamilies(synced)));
  });

  it.each<[string, Partial<RawTimex>, Record<string, number>]>([
    [
      'an unsynchronised clock in microsecond mode',
      {},
      {
        node_timex_sync_status: 0,
        node_timex_status: 64,
        node_timex_offset_seconds: 0,
        node_timex_maxerror_seconds: 16,
        node_timex_estimated_error_seconds: 16,
        node_timex_tick_seconds: 0.01,
        node_timex_loop_time_constant: 2,
        node_timex_frequency_adjustment_ratio: 1,
      },
    ],
    [
      'a synchronised clock in nanosecond mode (offset and jitter in ns)',
      { state: 0, status: STA_PLL | STA_NANO, offset: 1_234_567, jitter: 500, constant: 7, maxerror: 1_500, esterror: 25 },
      {
        node_timex_sync_status: 1,
        node_timex_status: 0x2001,
        node_timex_offset_seconds: 0.001234567,
        node_timex_pps_jitter_seconds: 5e-7,
        node_timex_loop_time_constant: 7,
        node_timex_maxerror_seconds: 0.0015,
        node_timex_estimated_error_seconds: 0.000025,
      },
    ],
    [
      'a negative offset in microsecond mode',
      { state: 0, status: STA_PLL, offset: -250, jitter: 3 },
      { node_timex_sync_status: 1, node_timex_offset_seconds: -0.00025, node_timex_pps_jitter_seconds: 0.000003 },
    ],
    [
      'a negative offset in nanosecond mode',
      { state: 0, status: STA_PLL | STA_NANO, offset: -42 },
      { node_timex_offset_seconds: -4.2e-8 },
    ],
    [
      'a leap second pending (TIME_INS) on a synchronised clock with the TAI offset set',
      { state: 1, status: STA_PLL | 0x0010, tai: 37 },
      { node_timex_sync_status: 1, node_timex_tai_offset_seconds: 37 },
    ],
    [
      'TIME_ERROR from a clock error bit while STA_UNSYNC is clear: the return value decides',
      { state: 5, status: STA_PLL | STA_CLOCKERR },
      { node_timex_sync_status: 0, node_timex_status: 0x1001 },
    ],
    [
      'PPS fields: frequencies in ppm with a 16-bit fraction, shift and counters raw',
      { state: 0, ppsfreq: 65_536, stabil: 131_072, shift: 4, jitcnt: 1, calcnt: 2, errcnt: 3, stbcnt: 4 },
      {
        node_timex_pps_frequency_hertz: 1e-6,
        node_timex_pps_stability_hertz: 2e-6,
        node_timex_pps_shift_seconds: 4,
        node_timex_pps_jitter_total: 1,
        node_timex_pps_calibration_total: 2,
        node_timex_pps_error_total: 3,
        node_timex_pps_stability_exceeded_total: 4,
      },
    ],
    [
      'a frequency 12.5 ppm fast',
      { freq: 819_200 },
      { node_timex_frequency_adjustment_ratio: 1.0000125 },
    ],
    ['a frequency 100 ppm slow', { freq: -6_553_600 }, { node_timex_frequency_adjustment_ratio: 0.9999 }],
  ])('converts %s', (_name, over, expected) => {
    const fams = timexFamilies({ ...unsynced, ...over });
    expect(fams).toHaveLength(17);
    for (const [name, v] of Object.entries(expected)) expect([name, value(fams, name)]).toEqual([name, v]);
  });

  it('types the four PPS event counts as counters and the rest as gauges', () => {
    const fams = timexFamilies(unsynced);
    expect(fams.filter((f) => f.type === 'counter').map((f) => f.name)).toEqual([
      'node_timex_pps_jitter_total',
      'node_timex_pps_calibration_total',
      'node_timex_pps_error_total',
      'node_timex_pps_stability_exceeded_total',
    ]);
    expect(fams.filter((f) => f.type === 'gauge')).toHaveLength(13);
  });
});

describe('timex collector', () => {
  it('is registered default-on like node_exporter', () => {
    expect(timexDefinition).toMatchObject({ name: 'timex', defaultEnabled: true });
    expect(timexDefinition.create({})).toBe(timex);
  });

  it('reads adjtimex on each scrape, not once', async () => {
    let n = 0;
    const c = createTimexCollector(() => ({ adjtimex: () => ({ ...unsynced, offset: ++n }) }));
    const ctx = fixtureContext('/nonexistent');
    expect(value(await collectAll(c, ctx), 'node_timex_offset_seconds')).toBe(1e-6);
    expect(value(await collectAll(c, ctx), 'node_timex_offset_seconds')).toBe(2e-6);
  });

  it('reports a binding that cannot load once at warn, then at debug on every later scrape, without loading again', async () => {
    let loads = 0;
    const c = createTimexCollector(() => {
      loads++;
      throw new RxporterError('RXP_NATIVE', 'timex: cannot load the koffi FFI module: not found');
    });
    const log = recordingLog();
    for (let i = 0; i < 3; i++) {
      const r = await firstValueFrom(scrapeCollector(c, fixtureContext('/nonexistent', log), { timeoutMs: 1000 }));
      expect(r).toMatchObject({ collector: 'timex', success: false, families: [] });
    }
    expect(loads).toBe(1);
    expect(log.lines.map((l) => l.level)).toEqual(['warn', 'debug', 'debug']);
    expect(log.lines[0].meta).toMatchObject({ code: 'RXP_NATIVE', error: expect.stringContaining('koffi') });
  });

  it('scrapes as success 0 with a debug line, on every scrape, when adjtimex(2) is not permitted (seccomp)', async () => {
    const adjtimex = (): RawTimex => {
      throw Object.assign(new Error('Operation not permitted'), { code: 'EPERM' });
    };
    const c = createTimexCollector(() => ({ adjtimex }));
    const log = recordingLog();
    for (let i = 0; i < 2; i++) {
      const r = await firstValueFrom(scrapeCollector(c, fixtureContext('/nonexistent', log), { timeoutMs: 1000 }));
      expect(r).toMatchObject({ collector: 'timex', success: false, families: [], error: { code: 'RXP_NO_DATA' } });
    }
    expect(log.lines.map((l) => l.level)).toEqual(['debug', 'debug']);
  });

  it('exports the families of this host through libc (koffi)', async () => {
    const fams = await collectAll(timex, fixtureContext('/nonexistent'));
    expect(fams.map((f) => f.name)).toEqual(timexFamilies(unsynced).map((f) => f.name));
    expect(value(fams, 'node_timex_tick_seconds')).toBeGreaterThan(0);
  });
});
