import { closeSync, fstatSync, lstatSync, openSync, readdirSync, readSync } from 'node:fs';
import { join } from 'node:path';
import { ExpositionParser, expositionDecoder, type ExpositionFamily } from '../encode/parseText';
import { RxporterError } from '../errors';
import { formatValue } from '../encode/number';
import { glob, hasGlob } from '../fs/glob';
import type { Log } from '../log/types';
import type { Labels, MetricFamily } from '../model/family';
import { byteOrder } from '../sysfs/read';
import { FamilyBuilder } from './familyBuilder';
import { syncCollector } from './syncCollector';
import type { Collector, CollectorContext, CollectorDefinition } from './types';

/** One family read from a .prom file, with the file it came from. */
interface ReadFamily {
  readonly family: ExpositionFamily;
  readonly file: string;
}

/** Returns the directories a --collector.textfile.directory value names (globs expanded as Go's filepath.Glob). */
export function textfileDirectories(patterns: readonly string[]): string[] {
  const out: string[] = [];
  for (const p of patterns) {
    const matches = hasGlob(p) ? glob(p, (x) => {
      try {
        lstatSync(x);
        return true;
      } catch {
        return false;
      }
    }) : undefined;
    if (matches && matches.length > 0) out.push(...matches);
    else out.push(p);
  }
  return out;
}

/** Bytes read at a time from a .prom file: memory for its text stays this, whatever its size. */
const CHUNK_BYTES = 1 << 20;

/** What reading one .prom file gave: its families and mtime, or why the whole file is skipped. */
export type PromFileResult =
  | { readonly families: ExpositionFamily[]; readonly mtimeMs: number }
  | { readonly error: string; readonly limit?: 'max-bytes' | 'max-series' };

/**
 * Returns a .prom file's families parsed as the Prometheus text format, read a megabyte at
 * a time so that memory follows what is kept, not the file's size; or a reason to skip the
 * whole file: a parse error (including a last line without its line feed), client-side
 * timestamps (which node_exporter refuses), or a limit: more than `maxBytes` bytes (checked
 * before reading and while reading, for a file still growing) or more than `maxSeries`
 * sample lines (parsing stops at the first one over). Throws the Node error when the file
 * cannot be opened or read.
 */
export function readPromFile(path: string, limits: TextfileLimits = {}): PromFileResult {
  const { maxBytes, maxSeries } = limits;
  const overBytes = (size: string) => ({ error: `${size}, over --collector.textfile.max-bytes=${maxBytes}`, limit: 'max-bytes' as const });
  const fd = openSync(path, 'r');
  try {
    const st = fstatSync(fd);
    if (maxBytes !== undefined && st.size > maxBytes) return overBytes(`${st.size} bytes`);
    const parser = new ExpositionParser({ maxSamples: maxSeries });
    const decoder = expositionDecoder();
    const buf = Buffer.allocUnsafe(CHUNK_BYTES);
    let total = 0;
    let families: ExpositionFamily[];
    try {
      for (let n = readSync(fd, buf, 0, CHUNK_BYTES, null); n > 0; n = readSync(fd, buf, 0, CHUNK_BYTES, null)) {
        total += n;
        if (maxBytes !== undefined && total > maxBytes) return overBytes(`grew past ${maxBytes} bytes while read`);
        parser.push(decoder.decode(buf.subarray(0, n), { stream: true }));
      }
      parser.push(decoder.decode());
      families = [...parser.end().families.values()];
    } catch (e) {
      if (e instanceof RxporterError && e.code === 'RXP_LIMIT') return { error: `${e.message}, over --collector.textfile.max-series=${maxSeries}`, limit: 'max-series' };
      if (e instanceof RxporterError) return { error: e.message };
      if (e instanceof TypeError) return { error: 'exposition is not valid UTF-8' }; // the strict decoder's
      throw e;
    }
    if (families.some((f) => f.samples.some((s) => s.timestampMs !== undefined))) {
      return { error: 'contains unsupported client-side timestamps, skipping entire file' };
    }
    return { families: families.filter((f) => f.samples.length > 0 || f.help !== undefined || f.type !== undefined), mtimeMs: st.mtimeMs };
  } finally {
    closeSync(fd);
  }
}

const numLabel = (v: string): string => {
  const n = Number(v === '+Inf' ? Infinity : v === '-Inf' ? -Infinity : v);
  return Number.isNaN(n) && v.toLowerCase() !== 'nan' ? v : formatValue(n);
};

/**
 * Adds a parsed family's samples, every sample carrying the union of the family's label
 * names ("" where absent), as node_exporter does. A histogram or summary stays one family of
 * its type with its series (`_bucket`, `_sum`, `_count`, quantiles); a missing +Inf bucket
 * is added from _count, as client_golang's const histogram does.
 */
function addFamily(b: FamilyBuilder, f: ExpositionFamily, help: string): void {
  const type = f.type ?? 'untyped';
  const names = new Set<string>();
  for (const s of f.samples) for (const n of Object.keys(s.labels)) names.add(n);
  if (type === 'histogram') names.delete('le');
  if (type === 'summary') names.delete('quantile');
  const full = (l: Labels): Record<string, string> => {
    // Most samples already carry every name: keep their labels object instead of a copy.
    let n = 0;
    for (const k in l) if (names.has(k)) n++;
    if (n === names.size && Object.keys(l).length === n) return l;
    const out: Record<string, string> = {};
    for (const n of names) out[n] = l[n] ?? '';
    return out;
  };
  if (type === 'counter' || type === 'gauge' || type === 'untyped') {
    for (const s of f.samples) b.add(f.name, help, type, full(s.labels), s.value);
    return;
  }
  const infSeen = new Set<string>();
  const counts = new Map<string, { labels: Record<string, string>; value: number }>();
  for (const s of f.samples) {
    const labels = full(s.labels);
    if (type === 'histogram' && s.name === `${f.name}_bucket` && s.labels.le !== undefined) {
      const le = numLabel(s.labels.le);
      if (le === '+Inf') infSeen.add(JSON.stringify(labels));
      b.series(f.name, help, 'histogram', s.name, { ...labels, le }, s.value);
    } else if (type === 'summary' && s.name === f.name && s.labels.quantile !== undefined) {
      b.series(f.name, help, 'summary', s.name, { ...labels, quantile: numLabel(s.labels.quantile) }, s.value);
    } else {
      b.series(f.name, help, type, s.name, labels, s.value);
      if (s.name === `${f.name}_count`) counts.set(JSON.stringify(labels), { labels, value: s.value });
    }
  }
  if (type === 'histogram') {
    for (const [key, c] of counts) if (!infSeen.has(key)) b.series(f.name, help, 'histogram', `${f.name}_bucket`, { ...c.labels, le: '+Inf' }, c.value);
  }
}

/** Limits on what one collection reads from one .prom file (undefined: no limit). */
export interface TextfileLimits {
  /** Largest file size read, in bytes. */
  readonly maxBytes?: number;
  /** Most series (sample lines) kept from one file. */
  readonly maxSeries?: number;
}

/** Returns the textfile families of the .prom files in `dirs`, plus mtimes and the error flag. */
export function textfileFamilies(dirs: readonly string[], log: Log, limits: TextfileLimits = {}): MetricFamily[] {
  let errored = false;
  const read: ReadFamily[] = [];
  const filesOf = new Map<string, string[]>();
  const helpOf = new Map<string, [string, string]>();
  const mtimes = new Map<string, number>();
  for (const dir of dirs) {
    let entries: string[] = [];
    try {
      entries = readdirSync(dir).sort(byteOrder);
    } catch (e) {
      if (dir !== '') {
        errored = true;
        log.error('failed to read textfile collector directory', { collector: 'textfile', path: dir, error: (e as Error).message });
      }
    }
    for (const name of entries) {
      if (!name.endsWith('.prom')) continue;
      const file = join(dir, name);
      let parsed: PromFileResult;
      try {
        parsed = readPromFile(file, limits);
      } catch (e) {
        errored = true;
        log.error('failed to collect textfile data', { collector: 'textfile', file: name, error: (e as Error).message });
        continue;
      }
      if ('error' in parsed) {
        errored = true;
        if (parsed.limit) log.error('textfile over a limit, skipping entire file', { collector: 'textfile', file, limit: parsed.limit, error: parsed.error });
        else log.error('failed to collect textfile data', { collector: 'textfile', file: name, error: parsed.error });
        continue;
      }
      const mtime = Math.trunc(parsed.mtimeMs / 1000);
      for (const f of parsed.families) {
        const seen = helpOf.get(f.name);
        if (seen && ((f.help !== undefined && seen[0] !== f.help) || seen[1] !== '')) {
          helpOf.set(f.name, [seen[0], f.help ?? '']);
          errored = true;
          log.error('inconsistent metric help text', { collector: 'textfile', metric: f.name, original_help_text: seen[0], new_help_text: f.help, file: (filesOf.get(f.name) ?? [''])[0] });
          continue;
        }
        if (f.help !== undefined) helpOf.set(f.name, [f.help, '']);
        const files = filesOf.get(f.name) ?? [];
        files.push(file);
        filesOf.set(f.name, files);
        read.push({ family: f, file });
      }
      mtimes.set(file, mtime);
    }
  }
  const b = new FamilyBuilder();
  const defaultHelp = new Map<string, string>();
  for (const { family } of read) {
    let help = family.help;
    if (help === undefined) {
      help = defaultHelp.get(family.name) ?? `Metric read from ${(filesOf.get(family.name) ?? []).join(', ')}`;
      defaultHelp.set(family.name, help);
    }
    addFamily(b, family, help);
  }
  for (const file of [...mtimes.keys()].sort(byteOrder)) {
    b.gauge('node_textfile_mtime_seconds', 'Unixtime mtime of textfiles successfully read.', { file }, mtimes.get(file)!);
  }
  b.gauge('node_textfile_scrape_error', '1 if there was an error opening or reading a file, 0 otherwise', {}, errored ? 1 : 0);
  return b.families();
}

/**
 * Default --collector.textfile.max-bytes: 64 MiB. Files are read a megabyte at a time, so
 * bytes cost reading time, not memory (a 53 MB file over a limit is dropped after 1.7 s at
 * 140 MB RSS: bench/textfile.ts); 64 MiB is far above any legitimate textfile (a cron job's
 * handful of series; node_exporter's own fixtures are a few hundred bytes).
 */
export const DEFAULT_TEXTFILE_MAX_BYTES = 64 * 1024 * 1024;
/**
 * Default --collector.textfile.max-series: 200 000. Series are what costs memory: about
 * 0.5 KB of RSS each while a collection holds them (bench/textfile.ts: 200 000 series take
 * about 130 MB and 2 s, 800 000 take 390 MB and 10 s), so this bounds one file's cost to
 * roughly the agent's own size, while staying a hundred times above a large textfile.
 */
export const DEFAULT_TEXTFILE_MAX_SERIES = 200_000;

/** Returns the textfile collector for the given directories (globs allowed) and per-file limits. */
export function createTextfileCollector(directories: readonly string[], limits: TextfileLimits = {}): Collector {
  return syncCollector('textfile', true, (ctx: CollectorContext) => textfileFamilies(textfileDirectories(directories), ctx.log, limits));
}

/** Returns a limit option's value: 0 turns the limit off. */
const limitValue = (v: unknown): number | undefined => (Number(v) > 0 ? Number(v) : undefined);

/** The textfile collector's registration, with node_exporter's (repeatable) flag and our per-file limits. */
export const textfileDefinition: CollectorDefinition = {
  name: 'textfile',
  defaultEnabled: true,
  options: {
    directory: {
      doc: 'Directory to read text files with metrics from, supports glob matching. (repeatable)',
      format: 'string-list',
      default: [] as string[],
      arg: 'collector.textfile.directory',
    },
    maxBytes: {
      doc: 'Largest .prom file read, in bytes; a larger one is skipped whole with node_textfile_scrape_error 1 (0: no limit).',
      format: 'count',
      range: [0, 2 ** 40],
      default: DEFAULT_TEXTFILE_MAX_BYTES,
      arg: 'collector.textfile.max-bytes',
    },
    maxSeries: {
      doc: 'Most series read from one .prom file; a file with more is skipped whole with node_textfile_scrape_error 1 (0: no limit).',
      format: 'count',
      range: [0, 100_000_000],
      default: DEFAULT_TEXTFILE_MAX_SERIES,
      arg: 'collector.textfile.max-series',
    },
  },
  create: (o) =>
    createTextfileCollector(Array.isArray(o.directory) ? (o.directory as string[]) : o.directory ? [String(o.directory)] : [], {
      maxBytes: limitValue(o.maxBytes),
      maxSeries: limitValue(o.maxSeries),
    }),
};
