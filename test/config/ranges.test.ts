import { parseDuration } from '../../src/config/duration';
import { loadConfig } from '../../src/config/load';
import { MAX_TIMER_MS, rangeErrors, type Range } from '../../src/config/ranges';
import { configSchema } from '../../src/config/schema';
import { configError } from '../support/configError';

interface Leaf {
  readonly format: unknown;
  readonly default: unknown;
  readonly range?: Range;
  readonly arg?: string;
}

/** Returns every schema leaf with its dotted key. */
function leaves(schema: unknown, prefix = ''): [string, Leaf][] {
  const out: [string, Leaf][] = [];
  for (const [k, v] of Object.entries(schema as Record<string, unknown>)) {
    const key = prefix ? `${prefix}.${k}` : k;
    if (typeof v === 'object' && v !== null && 'default' in v && 'format' in v) out.push([key, v as Leaf]);
    else if (typeof v === 'object' && v !== null) out.push(...leaves(v, key));
  }
  return out;
}

const all = leaves(configSchema());
const ranged = all.filter(([, l]) => l.range !== undefined);
const numeric = (l: Leaf) => l.format === 'duration' || l.format === 'count';
const ms = (v: string | number) => (typeof v === 'string' ? parseDuration(v) : v);

/** Returns the file-shaped values that set `key` to `value` (plus the required app name). */
function valuesWith(key: string, value: unknown): Record<string, unknown> {
  const root: Record<string, unknown> = { global: { appName: 'x' } };
  const parts = key.split('.');
  let node = root;
  for (const p of parts.slice(0, -1)) node = (node[p] ??= {}) as Record<string, unknown>;
  node[parts[parts.length - 1]] = value;
  return root;
}

const load = (key: string, value: unknown) => loadConfig({ values: valuesWith(key, value) });
const refusal = (f: () => unknown): string => configError(f).message;

describe('value ranges', () => {
  it('every duration and count key declares its range, and no key uses a sloppy number format', () => {
    expect(all.filter(([, l]) => numeric(l) && l.range === undefined).map(([k]) => k)).toEqual([]);
    // convict's nat/int parse "10MB" as 10 and "three" as NaN (shown without the value): use 'count'.
    expect(all.filter(([, l]) => ['nat', 'int', 'integer', 'number', Number].includes(l.format as string)).map(([k]) => k)).toEqual([]);
  });

  it('no duration may exceed what a Node timer keeps (2^31-1 ms)', () => {
    for (const [key, l] of ranged.filter(([, l]) => l.format === 'duration')) {
      expect([key, ms(l.range![1]) <= MAX_TIMER_MS]).toEqual([key, true]);
      expect([key, ms(l.range![0]) <= ms(l.range![1])]).toEqual([key, true]);
    }
  });

  it.each(ranged.map(([k, l]) => [k, l] as const))('%s: takes both ends of its range and refuses just past them, naming key, value and range', (key, l) => {
    const [min, max] = [ms(l.range![0]), ms(l.range![1])];
    const value = (n: number) => (l.format === 'duration' ? `${n}ms` : n);
    expect(() => load(key, value(min))).not.toThrow();
    expect(() => load(key, value(max))).not.toThrow();
    const range = `must be between ${l.range![0]} and ${l.range![1]}`;
    expect(refusal(() => load(key, value(max + 1)))).toContain(`${key}: ${range}: value was ${JSON.stringify(value(max + 1))}`);
    if (min > 0) expect(refusal(() => load(key, value(min - 1)))).toContain(`${key}: ${range}: value was ${JSON.stringify(value(min - 1))}`);
  });

  it('bounds a duration key that declares no range to what a timer keeps (0ms to 24d)', () => {
    const schema = { a: { b: { format: 'duration', default: '1s' } }, n: { format: 'count', default: 1 } };
    expect(rangeErrors(schema, { a: { b: '30d' }, n: 10 ** 12 })).toEqual(['a.b: must be between 0ms and 24d: value was "30d"']);
    expect(rangeErrors(schema, { a: { b: '24d' }, n: 0 })).toEqual([]);
  });

  it('every default lies in its range', () => {
    expect(rangeErrors(configSchema(), loadConfig({ args: ['--global.app-name=x'] }))).toEqual([]);
  });

  it.each([
    // The cases: a 30-day timer fired at once, 0 was a busy loop or dropped everything.
    [['--collect.interval=30d'], 'collect.interval: must be between 1s and 24d: value was "30d"'],
    [['--push.timeout=30d'], 'exporter.timeout: must be between 10ms and 24d: value was "30d"'],
    [['--collect.interval=0'], 'collect.interval: must be between 1s and 24d (a number without a unit is milliseconds): value was "0"'],
    [['--push.queue.max-bytes=0'], 'exporter.queue.maxBytes: must be between 1048576 and 1099511627776: value was 0'],
    [['--push.remote-write.max-samples-per-request=0'], 'exporter.remoteWrite.maxSamplesPerRequest: must be between 1 and 1000000: value was 0'],
    [['--push.retry-count=0'], 'exporter.retryCount: must be between 1 and 1000: value was 0'],
    [['--collector.filesystem.mount-timeout=30d'], 'collectors.filesystem.mountTimeout: must be between 10ms and 24d: value was "30d"'],
  ])('refuses %j at load', (args, msg) => {
    expect(refusal(() => loadConfig({ args: ['--global.app-name=x', ...args] })).split('\n')).toContain(msg);
  });

  it('refuses a number of milliseconds from the file the same way', () => {
    expect(refusal(() => load('collect.interval', 30))).toBe('collect.interval: must be between 1s and 24d (a number without a unit is milliseconds): value was 30');
  });

  it('lists every value out of range, one line each', () => {
    const msg = refusal(() => loadConfig({ args: ['--global.app-name=x', '--collect.interval=30d', '--push.interval=0s', '--push.queue.memory-batches=0'] }));
    expect(msg.split('\n').map((l) => l.split(':')[0])).toEqual(['collect.interval', 'exporter.pushInterval', 'exporter.queue.memoryBatches']);
  });

  it.each([
    ['three', '"three"'],
    ['10MB', '"10MB"'],
    [3.5, '3.5'],
    [-1, '-1'],
  ])('refuses retryCount %p showing the value', (v, shown) => {
    expect(refusal(() => load('exporter.retryCount', v))).toBe(`exporter.retryCount: must be a whole number (0, 1, 2, …): value was ${shown}`);
  });

  it('shows the value of a wrong type that is falsy', () => {
    expect(refusal(() => load('web.baseLabels', 0))).toBe('web.baseLabels: must be true or false: value was 0');
    expect(refusal(() => load('log.format', ''))).toMatch(/^log\.format: must be one of the possible values: .*: value was ""$/);
  });
});
