import { existsSync, readFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { asyncScheduler, lastValueFrom, toArray } from 'rxjs';
import type { Collector, CollectorContext } from '../../src/collectors/types';
import { FIXTURES_REL, prepareFixtures } from '../../tools/conformance/harness';
import { encodeText } from '../../src/encode/text';
import type { Log } from '../../src/log/types';
import type { MetricFamily } from '../../src/model/family';

/** Returns the repository root: the nearest directory up from here whose package.json names rxporter. */
function root(): string {
  for (let dir = __dirname; dir !== dirname(dir); dir = dirname(dir)) {
    const p = join(dir, 'package.json');
    if (existsSync(p) && (JSON.parse(readFileSync(p, 'utf8')) as { name?: string }).name === 'rxporter') return dir;
  }
  throw new Error('repository root not found');
}

/** Returns the repository's copy of node_exporter's end-to-end data (fixtures/node-exporter-e2e). */
export const upstreamDir = (): string => resolve(root(), 'fixtures', 'node-exporter-e2e');

let copy: string | undefined;

/**
 * Returns the directory of a writable copy of the upstream fixtures, spelled
 * `<tmp>/collector/fixtures` as upstream does, with the empty directories git drops and
 * upstream's symlinks restored (the conformance harness's prepareFixtures). One copy per
 * test file (jest runs each file in its own module registry).
 */
export function upstreamFixtures(): string {
  if (copy) return copy;
  copy = join(prepareFixtures(upstreamDir()).workDir, FIXTURES_REL);
  return copy;
}

/** A Log that remembers every line, to assert on debug messages. */
export interface RecordingLog extends Log {
  readonly lines: { level: string; message: string; meta?: Record<string, unknown> }[];
}

/** Returns a Log that records its lines. */
export function recordingLog(): RecordingLog {
  const lines: RecordingLog['lines'] = [];
  const at = (level: string) => (message: string, meta?: Record<string, unknown>) => lines.push({ level, message, meta });
  return { lines, error: at('error'), warn: at('warn'), info: at('info'), debug: at('debug') };
}

/** Returns a collector context on a fixture tree laid out like upstream's (proc, sys, udev/data). */
export function fixtureContext(fixtures = upstreamFixtures(), log: Log = recordingLog()): CollectorContext {
  return {
    procPath: join(fixtures, 'proc'),
    sysPath: join(fixtures, 'sys'),
    rootPath: fixtures,
    udevDataPath: join(fixtures, 'udev', 'data'),
    log,
    scheduler: asyncScheduler,
  };
}

/** Returns every family one run of `collector` emits. */
export const collectFamilies = (collector: Collector, ctx: CollectorContext = fixtureContext()): Promise<MetricFamily[]> =>
  lastValueFrom(collector.collect(ctx).pipe(toArray()));

/** Sample lines upstream drops before diffing (its end-to-end test's regex). */
export const IGNORED_SAMPLES =
  /^(go_|node_exporter_build_info|node_scrape_collector_duration_seconds|process_|node_textfile_mtime_seconds|node_time_(zone|seconds)|node_network_(receive|transmit)_(bytes|packets)_total)/;

/**
 * Returns the lines of upstream's expected scrape (x86_64 unless `file` says otherwise) whose
 * family name passes `keep`, HELP and TYPE included, as one text.
 */
export function expectedText(keep: (family: string) => boolean, file = 'e2e-output.txt'): string {
  const out: string[] = [];
  for (const line of readFileSync(join(upstreamDir(), 'expected', file), 'utf8').split('\n')) {
    if (line === '') continue;
    const name = line.startsWith('# ') ? line.split(' ', 3)[2] : line.slice(0, Math.min(...[line.indexOf('{'), line.indexOf(' ')].filter((i) => i >= 0)));
    if (keep(name)) out.push(`${line}\n`);
  }
  return out.join('');
}

/** Returns our exposition of `families` restricted to `keep`, with the samples upstream ignores dropped. */
export function actualText(families: readonly MetricFamily[], keep: (family: string) => boolean): string {
  return encodeText(families.filter((f) => keep(f.name)))
    .split('\n')
    .filter((l) => l !== '' && (l.startsWith('#') || !IGNORED_SAMPLES.test(l)))
    .map((l) => `${l}\n`)
    .join('');
}

/** Returns a family-name filter for the given prefixes. */
export const byPrefix =
  (...prefixes: string[]) =>
  (name: string): boolean =>
    prefixes.some((p) => name.startsWith(p));

/** Returns the number of sample lines of an exposition text. */
export const sampleCount = (text: string): number => text.split('\n').filter((l) => l !== '' && !l.startsWith('#')).length;
