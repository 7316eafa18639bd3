import { parseDuration } from './duration';

/**
 * A key's valid values, both ends included: durations as duration strings (`['1s', '24d']`),
 * counts and sizes as numbers (`[1, 1_000_000]`). Declared as `range` on a schema leaf.
 */
export type Range = readonly [min: string, max: string] | readonly [min: number, max: number];

/**
 * The longest delay a Node.js timer keeps: 2³¹−1 ms (about 24.8 days). A longer one is set to
 * 1 ms with a TimeoutOverflowWarning (Node's lib/internal/timers.js), so a 30-day interval
 * would fire at once. RxJS timers are Node timers.
 */
export const MAX_TIMER_MS = 2 ** 31 - 1;

/** The largest duration a key may declare, in whole days below MAX_TIMER_MS. */
export const MAX_DURATION = '24d';

/** The range of a duration key that declares none: anything a timer keeps. */
const DEFAULT_DURATION_RANGE: Range = ['0ms', MAX_DURATION];

interface RangedLeaf {
  readonly format: unknown;
  readonly default: unknown;
  readonly range?: Range;
}

const isLeaf = (v: unknown): v is RangedLeaf => typeof v === 'object' && v !== null && 'default' in v && 'format' in v;

/** Returns a range's ends as numbers (durations in ms). */
const ends = (r: Range): [number, number] => [typeof r[0] === 'string' ? parseDuration(r[0]) : r[0], typeof r[1] === 'string' ? parseDuration(r[1]) : r[1]];

/**
 * Returns one message per value outside its key's declared `range` (a duration key without one
 * gets 0ms..24d), e.g. `collect.interval: must be between 1s and 24d: value was "0"`. `values`
 * are the validated values before durations are resolved; a value of the wrong type is left
 * to the format's check.
 */
export function rangeErrors(schema: unknown, values: unknown, prefix = ''): string[] {
  const out: string[] = [];
  for (const [k, s] of Object.entries(schema as Record<string, unknown>)) {
    const key = prefix ? `${prefix}.${k}` : k;
    const v = (values as Record<string, unknown> | undefined)?.[k];
    if (!isLeaf(s)) {
      out.push(...rangeErrors(s, v, key));
      continue;
    }
    const duration = s.format === 'duration';
    const range = s.range ?? (duration ? DEFAULT_DURATION_RANGE : undefined);
    if (!range || v === null || v === undefined) continue;
    let n: number;
    try {
      n = duration ? parseDuration(v) : (v as number);
    } catch {
      continue;
    }
    if (typeof n !== 'number') continue;
    const [min, max] = ends(range);
    if (n >= min && n <= max) continue;
    const bare = duration && (typeof v === 'number' || /^\d+$/.test(String(v))) ? ' (a number without a unit is milliseconds)' : '';
    out.push(`${key}: must be between ${range[0]} and ${range[1]}${bare}: value was ${JSON.stringify(v)}`);
  }
  return out;
}
