import { cpSync, chmodSync, existsSync, lstatSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { asyncScheduler, firstValueFrom, toArray } from 'rxjs';
import type { Collector, CollectorContext } from '../../src/collectors/types';
import { encodeText } from '../../src/encode/text';
import type { Log } from '../../src/log/types';
import type { MetricFamily } from '../../src/model/family';
import { repoRoot } from './paths';

/** Returns the repository's copy of node_exporter's end-to-end data (fixtures/node-exporter-e2e). */
export const neDataDir = (): string => resolve(repoRoot(), 'fixtures', 'node-exporter-e2e');

/** Sample lines upstream's e2e test drops before diffing (HELP/TYPE stay). */
export const NE_IGNORED =
  /^(go_|node_exporter_build_info|node_scrape_collector_duration_seconds|process_|node_textfile_mtime_seconds|node_time_(zone|seconds)|node_network_(receive|transmit)_(bytes|packets)_total)/;

/**
 * Returns a writable copy of upstream's fixtures (only the top-level `parts`, e.g. ['proc'], when given) (in os.tmpdir(), as `<tmp>/fixtures`)
 * with the relative symlinks and the empty directories git drops restored.
 */
export function copyNeFixtures(parts?: readonly string[]): string {
  const base = mkdtempSync(join(tmpdir(), 'rxp-ne-'));
  const dest = join(base, 'fixtures');
  const src = join(neDataDir(), 'fixtures');
  // Upstream's relative symlinks are git symlinks here: copy them as links, not their targets.
  if (parts) for (const p of parts) cpSync(join(src, p), join(dest, p), { recursive: true, verbatimSymlinks: true });
  else cpSync(src, dest, { recursive: true, verbatimSymlinks: true });
  const chmodAll = (d: string): void => {
    chmodSync(d, 0o755);
    for (const n of readdirSync(d)) {
      const p = join(d, n);
      const st = lstatSync(p);
      if (st.isSymbolicLink()) continue;
      if (st.isDirectory()) chmodAll(p);
      else chmodSync(p, 0o644);
    }
  };
  chmodAll(dest);
  const empty = join(neDataDir(), 'empty-dirs.txt');
  if (existsSync(empty)) {
    for (const d of readFileSync(empty, 'utf8').split('\n')) {
      if (d && (!parts || parts.some((p) => d.startsWith(`${p}/`)))) mkdirSync(join(dest, d), { recursive: true });
    }
  }
  return dest;
}

/** Removes a copy made by copyNeFixtures. */
export const removeNeFixtures = (dest: string): void => rmSync(resolve(dest, '..'), { recursive: true, force: true });

/** A Log that records what it is given. */
export function recordingLog(): Log & { lines: { level: string; message: string; meta?: Record<string, unknown> }[] } {
  const lines: { level: string; message: string; meta?: Record<string, unknown> }[] = [];
  const at = (level: string) => (message: string, meta?: Record<string, unknown>) => lines.push({ level, message, meta });
  return { lines, error: at('error'), warn: at('warn'), info: at('info'), debug: at('debug') };
}

/** Returns a collector context on a fixture tree laid out like upstream's (proc, sys, udev/data). */
export const fixtureContext = (root: string, log: Log = recordingLog()): CollectorContext => ({
  procPath: join(root, 'proc'),
  sysPath: join(root, 'sys'),
  rootPath: root,
  udevDataPath: join(root, 'udev', 'data'),
  log,
  scheduler: asyncScheduler,
});

/** Returns every family one run of `c` emits. */
export const collectAll = (c: Collector, ctx: CollectorContext): Promise<MetricFamily[]> =>
  firstValueFrom(c.collect(ctx).pipe(toArray()));

/**
 * Returns the part of upstream's expected scrape made of the families whose name matches
 * `names`, without the sample lines upstream ignores.
 */
export function expectedExposition(names: RegExp, file = 'e2e-output.txt'): string {
  const text = readFileSync(join(neDataDir(), 'expected', file), 'utf8');
  return keepFamilies(text, names);
}

/** Returns the lines of an exposition whose family matches `names`, ignored samples dropped. */
export function keepFamilies(text: string, names: RegExp): string {
  const out: string[] = [];
  for (const line of text.split('\n')) {
    if (line === '') continue;
    const name = line.startsWith('# ') ? line.split(' ', 3)[2] : line.slice(0, Math.min(...[' ', '{'].map((c) => (line.indexOf(c) < 0 ? line.length : line.indexOf(c)))));
    if (!names.test(name)) continue;
    if (!line.startsWith('#') && NE_IGNORED.test(line)) continue;
    out.push(line);
  }
  return out.join('\n');
}

/** Returns our exposition of `families` filtered like expectedExposition. */
export const actualExposition = (families: readonly MetricFamily[], names: RegExp): string =>
  keepFamilies(encodeText(families), names);

/**
 * Runs `c` on `root` and asserts its families matching `names` equal node_exporter's
 * e2e output byte for byte, and that the expected part holds `count` samples.
 */
export async function expectUpstreamConformance(c: Collector, root: string, names: RegExp, count: number): Promise<void> {
  const fams = await collectAll(c, fixtureContext(root));
  const expected = expectedExposition(names);
  expect(expected.split('\n').filter((l) => l !== '' && !l.startsWith('#'))).toHaveLength(count);
  expect(actualExposition(fams, names)).toBe(expected);
}

/**
 * Copies the `parts` of upstream's fixtures, lets `edit` change the copy, runs `c` on it
 * and returns the families or the error; the copy is removed afterwards.
 */
/**
 * Returns what `c` collects on a fresh copy of `parts` where the file at `rel` (path parts
 * below the copy's root) is removed (`content` null) or replaced by `content`.
 */
export function collectWithFile(
  c: Collector,
  parts: readonly string[],
  rel: readonly string[],
  content: string | null,
): Promise<{ families?: MetricFamily[]; error?: unknown }> {
  return collectOnEditedCopy(c, parts, (root) => {
    const p = join(root, ...rel);
    if (content === null) rmSync(p);
    else writeFileSync(p, content);
  });
}

export async function collectOnEditedCopy(
  c: Collector,
  parts: readonly string[],
  edit: (root: string) => void,
  log: Log = recordingLog(),
): Promise<{ families?: MetricFamily[]; error?: unknown }> {
  const root = copyNeFixtures(parts);
  try {
    edit(root);
    return { families: await collectAll(c, fixtureContext(root, log)) };
  } catch (error) {
    return { error };
  } finally {
    removeNeFixtures(root);
  }
}
