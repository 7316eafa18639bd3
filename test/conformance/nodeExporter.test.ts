import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { EXCEPTIONS } from '../../tools/conformance';
import { collectorDefinitions } from '../../src/collectors';
import { configSchema } from '../../src/config/schema';
import { SCRAPE } from '../../tools/conformance/attribution';
import { formatSeries, parseExposition } from '../../src/encode/parseText';
import {
  flagName,
  neDataDir,
  prepareFixtures,
  runConformance,
  schemaFlags,
  scrapedCollectors,
  VARIANTS,
  withoutExcused,
  type ConformanceRun,
  type PreparedFixtures,
} from '../../tools/conformance/harness';
import { cliPath } from '../support/paths';

// The agent runs from dist/ (npm test builds first), once per variant for the whole file.
const upstream = new Set(scrapedCollectors(parseExposition(readFileSync(join(neDataDir(), 'expected', 'e2e-output.txt')))));
const implemented = collectorDefinitions.map((d) => d.name).filter((n) => upstream.has(n));

/** Returns the collector a flag belongs to: `--collector.arp.device-exclude=x` → arp. */
const flagCollector = (flag: string): string | undefined => /^collector\.([^.=]+)/.exec(flagName(flag))?.[1];

const runs = new Map<string, ConformanceRun>();
let fixtures: PreparedFixtures;

beforeAll(async () => {
  fixtures = prepareFixtures();
  const knownFlags = schemaFlags(configSchema());
  const registry = collectorDefinitions.map((d) => d.name);
  for (const variant of VARIANTS) {
    runs.set(variant.name, await runConformance({ variant, cli: cliPath(), knownFlags, registry, fixtures }));
  }
}, 120_000);

afterAll(() => fixtures?.remove());

it('copies upstream fixtures with their 93 relative symlinks and the empty directories', () => {
  expect(fixtures.symlinks).toBe(93);
  expect(fixtures.emptyDirs).toBeGreaterThanOrEqual(31);
});

it('finds the 63 collectors upstream runs in its expected scrape, some of them ours', () => {
  expect(upstream.size).toBe(63);
  expect(implemented.length).toBeGreaterThan(0);
});

describe.each(VARIANTS.map((v) => [v.name] as const))('node_exporter e2e, %s', (variant) => {
  const run = (): ConformanceRun => {
    const r = runs.get(variant);
    if (!r) throw new Error(`no run for ${variant}`);
    return r;
  };

  it.each(implemented)('%s matches upstream exactly', (name) => {
    const r = run();
    const c = r.comparison.collectors.find((x) => x.collector === name);
    expect(c).toBeDefined();
    const d = withoutExcused(c!, EXCEPTIONS[name]);
    const series = (s: { name: string; labels: Readonly<Record<string, string>> }) => formatSeries(s.name, s.labels);
    expect({
      droppedFlags: r.droppedFlags.filter((f) => flagCollector(f) === name),
      missing: d.missing.map(series),
      extra: d.extra.map(series),
      differentValue: d.differentValue.map((v) => `${series(v)} expected ${v.expected} got ${v.actual}`),
      differentMeta: d.differentMeta,
      missingFamilies: d.missingFamilies,
      extraFamilies: d.extraFamilies,
    }).toEqual({ droppedFlags: [], missing: [], extra: [], differentValue: [], differentMeta: [], missingFamilies: [], extraFamilies: [] });
  });

  it('writes the node_scrape_collector_* families as upstream does', () => {
    const c = run().comparison.collectors.find((x) => x.collector === SCRAPE);
    expect(c && { missingFamilies: c.missingFamilies, differentMeta: c.differentMeta, extraFamilies: c.extraFamilies }).toEqual({
      missingFamilies: [],
      differentMeta: [],
      extraFamilies: [],
    });
  });

  it('emits no family upstream does not', () => {
    expect(run().comparison.collectors.flatMap((c) => c.extraFamilies.map((f) => `${c.collector}: ${f}`))).toEqual([]);
  });
});
