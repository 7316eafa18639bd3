import { Cron } from 'croner';
import { GO_ZERO_TIME_SECONDS } from './common';

/**
 * A CronJob schedule as kube-state-metrics parses it (internal/store/cronjob.go: go-cron's
 * ParseStandard, github.com/netresearch/go-cron parser.go): `fields` runs at the times its
 * expanded fields match, `every` at a constant delay, `triggered` never by itself (also a
 * schedule whose days no month has).
 */
export type CronSchedule =
  | {
      readonly kind: 'fields';
      /** croner's 6-part pattern (second minute hour day month weekday) with every value spelled out. */
      readonly pattern: string;
      /** IANA zone, or undefined for the process's zone. */
      readonly timeZone: string | undefined;
    }
  | { readonly kind: 'every'; readonly delayMs: number }
  | { readonly kind: 'triggered' };

/** Outcome of parseCronSchedule: the schedule, or why go-cron rejects it. */
export type CronParse = { readonly ok: true; readonly schedule: CronSchedule } | { readonly ok: false; readonly reason: string };


interface Bounds {
  readonly min: number;
  readonly max: number;
  readonly names?: Readonly<Record<string, number>>;
}

const MINUTES: Bounds = { min: 0, max: 59 };
const HOURS: Bounds = { min: 0, max: 23 };
const DOM: Bounds = { min: 1, max: 31 };
const MONTHS: Bounds = {
  min: 1,
  max: 12,
  names: { jan: 1, feb: 2, mar: 3, apr: 4, may: 5, jun: 6, jul: 7, aug: 8, sep: 9, oct: 10, nov: 11, dec: 12 },
};
// go-cron accepts 7 for Sunday and folds it onto 0 (NormalizeDOW).
const DOW: Bounds = { min: 0, max: 7, names: { sun: 0, mon: 1, tue: 2, wed: 3, thu: 4, fri: 5, sat: 6 } };

const DESCRIPTORS: Readonly<Record<string, string>> = {
  '@yearly': '0 0 1 1 *',
  '@annually': '0 0 1 1 *',
  '@monthly': '0 0 1 * *',
  '@weekly': '0 0 * * 0',
  '@daily': '0 0 * * *',
  '@midnight': '0 0 * * *',
  '@hourly': '0 * * * *',
};

/** The most days each month (1-12) can have. */
const MONTH_DAYS = [0, 31, 29, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31];

const TRIGGERED = new Set(['@triggered', '@manual', '@none']);

/** Go's strconv.Atoi for the non-negative ints go-cron accepts (a leading + is allowed). */
function parseUint(s: string): number {
  if (!/^[+-]?\d+$/.test(s)) throw new Error(`failed to parse int from "${s}"`);
  const n = Number(s);
  if (n < 0) throw new Error(`negative number (${n}) not allowed: "${s}"`);
  return n;
}

const parseIntOrName = (s: string, b: Bounds): number => b.names?.[s.toLowerCase()] ?? parseUint(s);

/**
 * Returns the values one comma-separated term (`*`, `?`, `n`, `a-b`, `x/step`) selects, with
 * go-cron's rules: `n/step` runs to the maximum, ranges may wrap around (`22-2`), and a step
 * must be smaller than its range.
 */
function rangeValues(expr: string, b: Bounds): number[] {
  const rangeAndStep = expr.split('/');
  if (rangeAndStep.length > 2) throw new Error(`too many slashes: "${expr}"`);
  const lowAndHigh = rangeAndStep[0].split('-');
  let start: number;
  let end: number;
  if (lowAndHigh[0] === '*' || lowAndHigh[0] === '?') {
    start = b.min;
    end = b.max;
  } else {
    if (lowAndHigh.length > 2) throw new Error(`too many hyphens: "${rangeAndStep[0]}"`);
    start = parseIntOrName(lowAndHigh[0], b);
    end = lowAndHigh.length === 2 ? parseIntOrName(lowAndHigh[1], b) : start;
  }
  let step = 1;
  if (rangeAndStep.length === 2) {
    step = parseUint(rangeAndStep[1]);
    if (lowAndHigh.length === 1) end = b.max;
  }
  if (start < b.min) throw new Error(`beginning of range (${start}) below minimum (${b.min}): "${expr}"`);
  if (end > b.max) throw new Error(`end of range (${end}) above maximum (${b.max}): "${expr}"`);
  if (step === 0) throw new Error(`step of range must be a positive number: "${expr}"`);
  const size = start > end ? b.max - start + 1 + (end - b.min + 1) : end - start + 1;
  if (step > 1 && step >= size) throw new Error(`step (${step}) must be less than range size (${size}): "${expr}"`);
  const out: number[] = [];
  for (let i = 0; i < size; i += step) out.push(start + i > b.max ? start + i - (b.max - b.min + 1) : start + i);
  return out;
}

/** Returns the sorted values a whole field selects (go-cron drops empty comma terms). */
function fieldValues(field: string, b: Bounds, fold7 = false): number[] {
  const set = new Set<number>();
  for (const term of field.split(',')) {
    if (term === '') continue;
    for (const v of rangeValues(term, b)) set.add(fold7 && v === 7 ? 0 : v);
  }
  return [...set].sort((x, y) => x - y);
}

/** Most entries each memo below holds; a full memo starts over (CronJobs are few, their schedules fewer). */
const MEMO_LIMIT = 4096;

/** Returns memo.get(key), else stores and returns make(). */
function memo<V>(m: Map<string, V>, key: string, make: () => V): V {
  const hit = m.get(key);
  if (hit !== undefined || m.has(key)) return hit as V;
  if (m.size >= MEMO_LIMIT) m.clear();
  const v = make();
  m.set(key, v);
  return v;
}

// Intl zone look-ups cost about a millisecond each, so zones, year formats, parses and next
// runs (fixed until lastScheduleTime moves) are each computed once.
const zones = new Map<string, boolean>();
const yearFormats = new Map<string, Intl.DateTimeFormat>();
const parses = new Map<string, CronParse>();
const jobs = new WeakMap<CronSchedule, Cron>();
const nextRuns = new Map<string, number>();

/** Returns whether `tz` names a zone Go's time.LoadLocation finds (an IANA name or UTC). */
function knownZone(tz: string): boolean {
  // go-cron's validateTimezone: at most 64 of [A-Za-z0-9/_+:-]; Intl also takes "+05:00" offsets, Go does not.
  if (tz.length === 0 || tz.length > 64 || !/^[A-Za-z0-9/_+:-]+$/.test(tz) || /^[+-]/.test(tz)) return false;
  return memo(zones, tz, () => {
    try {
      new Intl.DateTimeFormat('en-US', { timeZone: tz });
      return true;
    } catch {
      return false;
    }
  });
}

const GO_DURATION_UNITS: Readonly<Record<string, number>> = { ns: 1e-6, us: 1e-3, µs: 1e-3, μs: 1e-3, ms: 1, s: 1e3, m: 60e3, h: 3600e3 };

/** Go's time.ParseDuration ("1h30m", "1.5s", "-2m", "0"), in milliseconds; throws on bad input. */
export function parseGoDuration(s: string): number {
  if (s === '0' || s === '+0' || s === '-0') return 0;
  const m = /^([+-]?)((?:(?:\d+\.?\d*|\.\d+)(?:ns|us|µs|μs|ms|s|m|h))+)$/.exec(s);
  if (!m) throw new Error(`invalid duration "${s}"`);
  let ms = 0;
  for (const part of m[2].matchAll(/(\d+\.?\d*|\.\d+)(ns|us|µs|μs|ms|s|m|h)/g)) ms += Number(part[1]) * GO_DURATION_UNITS[part[2]];
  return m[1] === '-' ? -ms : ms;
}

/**
 * Parses a CronJob's `spec.schedule` with its `spec.timeZone` the way kube-state-metrics
 * does: a time zone is prefixed as `CRON_TZ=<zone> ` and the whole goes through go-cron's
 * standard parser (5 fields minute hour day-of-month month day-of-week, names, `?`, 7 for
 * Sunday, wrap-around ranges, steps smaller than their range, `@yearly`… descriptors,
 * `@every <Go duration>` of at least 1s, `@triggered`/`@manual`/`@none`). Day of month and day
 * of week must both match (go-cron's default, not Vixie cron's "either"). `localZone` is the
 * zone of schedules without one (undefined: the process's zone, Go's time.Local).
 * Returns the schedule or the reason it does not parse; never throws.
 */
export function parseCronSchedule(schedule: string, timeZone: string | undefined, localZone?: string): CronParse {
  return memo(parses, `${schedule}\u0000${timeZone ?? '\u0001'}\u0000${localZone ?? ''}`, () => {
    try {
      return { ok: true, schedule: parseOrThrow(schedule, timeZone, localZone) };
    } catch (e) {
      return { ok: false, reason: e instanceof Error ? e.message : String(e) };
    }
  });
}

function parseOrThrow(schedule: string, timeZone: string | undefined, localZone: string | undefined): CronSchedule {
  let spec = timeZone === undefined ? schedule : `CRON_TZ=${timeZone} ${schedule}`;
  if (spec.length === 0) throw new Error('empty spec string');
  if (spec.length > 1024) throw new Error(`spec too long: ${spec.length} > 1024`);
  let zone = localZone;
  if (spec.startsWith('TZ=') || spec.startsWith('CRON_TZ=')) {
    const sp = spec.indexOf(' ');
    if (sp < 0) throw new Error(`missing fields after timezone in spec "${spec}"`);
    let name = spec.slice(spec.indexOf('=') + 1, sp);
    if (name.length >= 2 && (name[0] === '"' || name[0] === "'") && name[name.length - 1] === name[0]) name = name.slice(1, -1);
    if (name === 'Local') zone = localZone;
    else if (name === 'UTC') zone = 'UTC';
    else if (knownZone(name)) zone = name;
    else throw new Error(`unknown time zone "${name}"`);
    spec = spec.slice(sp).trim();
    if (spec.length === 0) throw new Error(`missing fields after timezone "${name}"`);
  }
  if (spec.startsWith('@')) {
    if (TRIGGERED.has(spec)) return { kind: 'triggered' };
    if (spec.startsWith('@every ')) {
      const ms = parseGoDuration(spec.slice('@every '.length));
      if (ms < 1000) throw new Error(`@every duration must be at least 1s: "${spec}"`);
      return { kind: 'every', delayMs: ms - (ms % 1000) };
    }
    const d = DESCRIPTORS[spec];
    if (d === undefined) throw new Error(`unrecognized descriptor: "${spec}"`);
    spec = d;
  }
  const fields = spec.split(/\s+/).filter((f) => f !== '');
  if (fields.length !== 5) throw new Error(`expected exactly 5 fields, found ${fields.length}: [${fields.join(' ')}]`);
  const parts = [
    fieldValues(fields[0], MINUTES),
    fieldValues(fields[1], HOURS),
    fieldValues(fields[2], DOM),
    fieldValues(fields[3], MONTHS),
    fieldValues(fields[4], DOW, true),
  ];
  // A field with no values at all (",") parses in go-cron and never matches; nor does a day no
  // month of the schedule has (30 2): go-cron searches 5 years for it, croner would too (slowly).
  if (parts.some((p) => p.length === 0)) return { kind: 'triggered' };
  if (!parts[3].some((m) => parts[2].some((d) => d <= MONTH_DAYS[m]))) return { kind: 'triggered' };
  return { kind: 'fields', pattern: `0 ${parts.map((p) => p.join(',')).join(' ')}`, timeZone: zone };
}

/** Returns the calendar year of `ms` in `zone` (undefined: the process's zone). */
function yearIn(ms: number, zone: string | undefined): number {
  const f = memo(yearFormats, zone ?? '', () => new Intl.DateTimeFormat('en-US', { timeZone: zone, year: 'numeric' }));
  return Number(f.format(ms));
}

/** go-cron gives up after 5 calendar years; croner is told to stop a little later than that. */
const SEARCH_MS = 6 * 366 * 86400_000;

/**
 * Returns the first run strictly after `afterMs` (ms since the epoch, whole seconds) in Unix
 * seconds, as go-cron's Schedule.Next: GO_ZERO_TIME_SECONDS when nothing matches within the
 * 5 calendar years that go-cron searches, or for a `triggered` schedule.
 */
export function nextRunSeconds(s: CronSchedule, afterMs: number): number {
  if (s.kind === 'triggered') return GO_ZERO_TIME_SECONDS;
  if (s.kind === 'every') return Math.floor((afterMs - (afterMs % 1000) + s.delayMs) / 1000);
  const schedule = s;
  return memo(nextRuns, `${schedule.pattern}\u0000${schedule.timeZone ?? ''}\u0000${afterMs}`, () => {
    let job = jobs.get(schedule);
    if (!job) {
      job = new Cron(schedule.pattern, { timezone: schedule.timeZone, domAndDow: true, mode: '6-part', paused: true });
      jobs.set(schedule, job);
    }
    const next = job.nextRun(new Date(afterMs));
    if (next === null || next.getTime() - afterMs > SEARCH_MS) return GO_ZERO_TIME_SECONDS;
    return yearIn(next.getTime(), schedule.timeZone) > yearIn(afterMs, schedule.timeZone) + 5 ? GO_ZERO_TIME_SECONDS : Math.floor(next.getTime() / 1000);
  });
}
