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
      return `${l.slice(0, sp)} ${formatLikeEncoder(Number(l.slice(sp + 1)))}`;
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
