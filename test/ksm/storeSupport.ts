import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { encodeText } from '../../src/encode/text';
import type { KsmOptions, KsmStore, KubeObject } from '../../src/ksm/types';
import { fixture } from '../support/paths';

/** 2026-11-30T00:00:00Z: the fixed "now" of the store tests. */
export const TEST_NOW_MS = Date.UTC(2026, 10, 30);

/** Returns KsmOptions for a test: nothing allow-listed unless given, a fixed clock, UTC for cron. */
export function ksmOptions(o: Partial<KsmOptions> = {}): KsmOptions {
  return {
    labelsAllowlist: new Map(),
    annotationsAllowlist: new Map(),
    optIn: new Set(),
    now: () => TEST_NOW_MS,
    timeZone: 'UTC',
    ...o,
  };
}

/** Returns the objects of fixtures/ksm/<resource>.json, a Kubernetes List (`{"items": [...]}`). */
export function loadObjects(resource: string): KubeObject[] {
  return (JSON.parse(readFileSync(fixture('ksm', `${resource}.json`), 'utf8')) as { items: KubeObject[] }).items;
}

/** Returns the text exposition of a store's families for the fixture objects of its resource. */
export const renderStore = (store: KsmStore, o: KsmOptions, objects: readonly KubeObject[] = loadObjects(store.resource)): string =>
  encodeText(store.families(objects, o));

/** Asserts `actual` equals fixtures/ksm/golden/<name>; UPDATE_GOLDEN=1 rewrites the file instead. */
export function expectKsmGolden(name: string, actual: string): void {
  const p = fixture('ksm', 'golden', name);
  if (process.env.UPDATE_GOLDEN === '1' || !existsSync(p)) {
    if (process.env.CI === 'true' && !existsSync(p)) throw new Error(`golden file ksm/golden/${name} missing (run with UPDATE_GOLDEN=1)`);
    writeFileSync(p, actual);
  }
  expect(actual).toBe(readFileSync(p, 'utf8'));
}

/**
 * Returns the sample lines of `text` whose labels include `label="value"` (each with its
 * labels in byte order), sorted, only of the `families` named when given: the series of one
 * object, to set beside an upstream expectation.
 */
export function seriesOf(text: string, label: string, value: string, families?: readonly string[]): string[] {
  const needle = `${label}="${value}"`;
  const has = (l: string) => l.includes(`{${needle},`) || l.includes(`,${needle},`) || l.includes(`,${needle}}`) || l.includes(`{${needle}}`);
  const wanted = (l: string) => families === undefined || families.includes(l.slice(0, l.search(/[{ ]/)));
  return text
    .split('\n')
    .filter((l) => l !== '' && !l.startsWith('#') && has(l) && wanted(l))
    .sort();
}

/**
 * Returns kube-state-metrics' expected lines (as its store tests write them: any indentation,
 * labels in byte order, Go's %g floats such as 1.5e+09) normalized like seriesOf's output:
 * trimmed, sorted, floats in the notation our encoder writes.
 */
export function upstreamLines(text: string): string[] {
  return text
    .split('\n')
    .map((l) => l.trim())
    .filter((l) => l !== '' && !l.startsWith('#'))
    .map((l) => {
      const sp = l.lastIndexOf(' ');
      const series = l.slice(0, sp);
      const brace = series.indexOf('{');
      if (brace < 0) return `${series} ${formatLikeEncoder(Number(l.slice(sp + 1)))}`;
      const pairs = [...series.slice(brace).matchAll(/([A-Za-z_][A-Za-z0-9_]*)="((?:[^"\\]|\\.)*)"/g)].map((m) => [m[1], m[2]]);
      pairs.sort((a, b) => (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0));
      const labels = pairs.map(([k, v]) => `${k}="${v}"`).join(',');
      return `${series.slice(0, brace)}{${labels}} ${formatLikeEncoder(Number(l.slice(sp + 1)))}`;
    })
    .sort();
}

/** Returns `v` as the text encoder writes a sample value. */
function formatLikeEncoder(v: number): string {
  const text = encodeText([{ name: 'x', help: 'x', type: 'gauge', samples: [{ labels: {}, value: v }] }]);
  return text.trim().split('\n').pop()?.split(' ')[1] ?? '';
}

/** Returns the `# HELP` and `# TYPE` lines of `text`. */
export const headersOf = (text: string): string[] => text.split('\n').filter((l) => l.startsWith('# '));

/** One case of an upstream store test: the object's name, its options, the families it checks, the lines it wants. */
export interface UpstreamCase {
  /** The object's name (the value of the store's name label). */
  readonly name: string;
  /** The options upstream renders the case with (default: nothing allow-listed). */
  readonly options?: KsmOptions;
  /** The families upstream's MetricNames restricts the case to (default: all). */
  readonly families?: readonly string[];
  /** Another fixture file (fixtures/ksm/<fixture>.json) for an object whose name the main one already uses. */
  readonly fixture?: string;
  /** Upstream's Want, without its HELP/TYPE lines. */
  readonly want: string;
}

/**
 * Defines the tests every store shares: its golden exposition of the fixture objects
 * (`goldenOptions`), each upstream case's lines, the HELP/TYPE lines of upstream's metadata
 * block, headers without samples for a bare object and nothing without objects.
 */
export function storeSuite(
  store: KsmStore,
  nameLabel: string,
  goldenOptions: KsmOptions,
  cases: readonly UpstreamCase[],
  upstreamHeaders: string,
): void {
  it('renders the fixture objects as the golden exposition', () => {
    expectKsmGolden(`${store.resource}.prom`, renderStore(store, goldenOptions));
  });

  it.each(cases.map((c) => [c.name, c] as const))('matches kube-state-metrics for %s', (name, c) => {
    const text = renderStore(store, c.options ?? ksmOptions(), loadObjects(c.fixture ?? store.resource));
    expect(seriesOf(text, nameLabel, name, c.families)).toEqual(upstreamLines(c.want));
  });

  it("writes every family's HELP and TYPE as kube-state-metrics", () => {
    expect(headersOf(renderStore(store, ksmOptions())).sort()).toEqual(headersOf(upstreamHeaders).sort());
  });

  it('writes HELP and TYPE of families without samples once there is an object, nothing without objects', () => {
    const bare = renderStore(store, ksmOptions(), [{ metadata: { name: 'bare', namespace: 'x' } }]);
    expect(headersOf(bare).length).toBe(headersOf(upstreamHeaders).length);
    expect(renderStore(store, ksmOptions(), [])).toBe('');
  });

  it('gives every fixture object series', () => {
    const text = renderStore(store, goldenOptions);
    for (const obj of loadObjects(store.resource)) expect(seriesOf(text, nameLabel, obj.metadata.name).length).toBeGreaterThan(0);
  });
}
