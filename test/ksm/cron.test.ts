import { GO_ZERO_TIME_SECONDS } from '../../src/ksm/common';
import { nextRunSeconds, parseCronSchedule, parseGoDuration } from '../../src/ksm/cron';

// Rules of go-cron's standard parser (github.com/netresearch/go-cron parser.go, as
// kube-state-metrics calls it through ParseStandard), checked on the schedules it accepts
// and rejects, and next runs computed with croner.

const at = (iso: string): number => Date.parse(iso);
const next = (schedule: string, after: string, timeZone?: string, local = 'UTC'): number => {
  const p = parseCronSchedule(schedule, timeZone, local);
  if (!p.ok) throw new Error(p.reason);
  return nextRunSeconds(p.schedule, at(after));
};
const iso = (seconds: number): string => new Date(seconds * 1000).toISOString().replace('.000', '');

describe('parseCronSchedule', () => {
  it.each([
    '0 */6 * * *',
    '25 * * * *',
    '0 0 * * SUN',
    '0 0 * * 7',
    '0 0 ? * mon-fri',
    '0 22-2 * * *',
    '0 0 28-3 * *',
    '0 0 1 nov-feb *',
    '5/15 * * * *',
    '0 0 1,,15 * *',
    '  0   0  *  *  * ',
    '@yearly',
    '@annually',
    '@monthly',
    '@weekly',
    '@daily',
    '@midnight',
    '@hourly',
    '@every 1h30m',
    '@every 1.5s',
    '@manual',
    'CRON_TZ=Europe/Berlin 0 3 * * *',
    'TZ="America/New_York" 0 3 * * *',
  ])('accepts %p', (s) => {
    expect(parseCronSchedule(s, undefined, 'UTC').ok).toBe(true);
  });

  it.each([
    ['', 'empty spec'],
    ['0 0 * * * *', 'expected exactly 5 fields'],
    ['0 0 * *', 'expected exactly 5 fields'],
    ['*/120 4-22 * * *', 'step (120) must be less than range size (60)'],
    ['0 1 */32,1-7 * 3', 'step (32) must be less than range size (31)'],
    ['*/60 * * * *', 'step (60) must be less than range size (60)'],
    ['0 */0 * * *', 'step of range must be a positive number'],
    ['60 * * * *', 'end of range (60) above maximum (59)'],
    ['0 0 0 * *', 'beginning of range (0) below minimum (1)'],
    ['0 0 * 13 *', 'end of range (13) above maximum (12)'],
    ['0 0 * * 8', 'end of range (8) above maximum (7)'],
    ['0 0 L * *', 'failed to parse int'],
    ['0 0 15W * *', 'failed to parse int'],
    ['0 0 * * FRI#3', 'failed to parse int'],
    ['H * * * *', 'failed to parse int'],
    ['0 0 1-2-3 * *', 'too many hyphens'],
    ['0 0 */2/3 * *', 'too many slashes'],
    ['0 0 -1 * *', 'failed to parse int'],
    ['@every 500ms', 'must be at least 1s'],
    ['@every 1d', 'invalid duration'],
    ['@reboot', 'unrecognized descriptor'],
    ['@DAILY', 'unrecognized descriptor'],
    ['CRON_TZ=Mars/Olympus 0 0 * * *', 'unknown time zone'],
    ['CRON_TZ=+05:00 0 0 * * *', 'unknown time zone'],
    ['CRON_TZ=UTC', 'missing fields after timezone'],
  ])('rejects %p (%s)', (s, why) => {
    const p = parseCronSchedule(s, undefined, 'UTC');
    expect(p.ok).toBe(false);
    if (!p.ok) expect(p.reason).toContain(why);
  });

  it('rejects an unknown spec.timeZone and accepts UTC and Local', () => {
    expect(parseCronSchedule('0 * * * *', 'Invalid/Zone').ok).toBe(false);
    expect(parseCronSchedule('0 * * * *', 'UTC').ok).toBe(true);
    expect(parseCronSchedule('0 * * * *', 'Local', 'Asia/Tokyo')).toMatchObject({ ok: true, schedule: { timeZone: 'Asia/Tokyo' } });
  });

  it('rejects a schedule that carries its own zone when spec.timeZone is set too', () => {
    expect(parseCronSchedule('TZ=UTC 0 * * * *', 'Asia/Shanghai').ok).toBe(false);
  });
});

describe('nextRunSeconds', () => {
  it.each([
    // KSM's TestGetNextScheduledTime: 0 */6 after 2018-03-11T04:34:56Z in UTC and in Asia/Shanghai.
    ['0 */6 * * *', '2018-03-11T04:34:56Z', 'UTC', '2018-03-11T06:00:00Z'],
    ['0 */6 * * *', '2018-03-11T04:34:56Z', 'Asia/Shanghai', '2018-03-11T10:00:00Z'],
    // strictly after: a run exactly at the last schedule time is not the next one
    ['0 */6 * * *', '2018-03-11T06:00:00Z', 'UTC', '2018-03-11T12:00:00Z'],
    // day of month AND day of week (go-cron's default): the first Monday of a month
    ['0 0 1-7 * mon', '2026-11-30T00:00:00Z', 'UTC', '2026-12-07T00:00:00Z'],
    ['0 0 13 * fri', '2026-01-01T00:00:00Z', 'UTC', '2026-02-13T00:00:00Z'],
    // 7 is Sunday; wrap-around hours 22-2
    ['0 12 * * 7', '2026-11-30T00:00:00Z', 'UTC', '2026-12-06T12:00:00Z'],
    ['0 22-2/2 * * *', '2026-11-30T03:00:00Z', 'UTC', '2026-11-30T22:00:00Z'],
    ['0 22-2/2 * * *', '2026-11-30T22:00:00Z', 'UTC', '2026-12-01T00:00:00Z'],
    // a schedule's own CRON_TZ prefix: 09:00 in Tokyo is 00:00Z, strictly after it the next day's
    ['CRON_TZ=Asia/Tokyo 0 9 * * *', '2026-11-30T00:00:00Z', undefined, '2026-12-01T00:00:00Z'],
    ['@hourly', '2026-11-30T10:59:59Z', 'UTC', '2026-11-30T11:00:00Z'],
    ['@every 90s', '2026-11-30T10:00:00Z', 'UTC', '2026-11-30T10:01:30Z'],
  ])('%p after %s in %s is %s', (schedule, after, zone, want) => {
    expect(iso(next(schedule, after, zone))).toBe(want);
  });

  it('uses the collector zone for schedules without one', () => {
    expect(iso(next('0 3 * * *', '2026-11-30T00:00:00Z', undefined, 'Europe/Berlin'))).toBe('2026-11-30T02:00:00Z');
    expect(iso(next('0 3 * * *', '2026-11-30T00:00:00Z', undefined, 'UTC'))).toBe('2026-11-30T03:00:00Z');
  });

  it("returns Go's zero time when nothing matches within go-cron's 5 years", () => {
    expect(next('0 0 30 2 *', '2026-11-30T00:00:00Z')).toBe(GO_ZERO_TIME_SECONDS);
    expect(next('0 0 31 4,6 *', '2026-11-30T00:00:00Z')).toBe(GO_ZERO_TIME_SECONDS);
    // Feb 29 on a Monday: 2044, beyond 2026 + 5.
    expect(next('0 0 29 2 mon', '2026-11-30T00:00:00Z')).toBe(GO_ZERO_TIME_SECONDS);
    expect(next('0 0 29 2 thu', '2019-01-01T00:00:00Z')).toBe(at('2024-02-29T00:00:00Z') / 1000);
    expect(next('@manual', '2026-11-30T00:00:00Z')).toBe(GO_ZERO_TIME_SECONDS);
  });
});

describe('parseGoDuration', () => {
  it.each([
    ['1h30m', 5_400_000],
    ['1.5s', 1500],
    ['-2m', -120_000],
    ['300ms', 300],
    ['0', 0],
    ['1h1m1s1ms', 3_661_001],
  ])('%p is %p ms', (s, ms) => {
    expect(parseGoDuration(s)).toBe(ms);
  });

  it.each(['', '1', '1d', 'h', '1.2.3s'])('rejects %p', (s) => {
    expect(() => parseGoDuration(s)).toThrow('invalid duration');
  });
});
