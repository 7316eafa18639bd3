import { lstatSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { parseExposition, type ExpositionFamily } from '../encode/parseText';
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

/**
 * Returns a file's families parsed as the Prometheus text format, or a reason to skip the
 * whole file (a parse error, or client-side timestamps, which node_exporter refuses).
 */
export function parsePromFile(bytes: Buffer): { families: ExpositionFamily[] } | { error: string } {
  let families: ExpositionFamily[];
  try {
    families = [...parseExposition(bytes).families.values()];
  } catch (e) {
    return { error: (e as Error).message };
  }
  if (families.some((f) => f.samples.some((s) => s.timestampMs !== undefined))) {
    return { error: 'contains unsupported client-side timestamps, skipping entire file' };
  }
  return { families: families.filter((f) => f.samples.length > 0 || f.help !== undefined || f.type !== undefined) };
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

/** Returns the textfile families of the .prom files in `dirs`, plus mtimes and the error flag. */
export function textfileFamilies(dirs: readonly string[], log: Log): MetricFamily[] {
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
      let parsed: ReturnType<typeof parsePromFile>;
      let mtime: number;
      try {
        const bytes = readFileSync(file);
        mtime = Math.trunc(statSync(file).mtimeMs / 1000);
        parsed = parsePromFile(bytes);
      } catch (e) {
        errored = true;
        log.error('failed to collect textfile data', { collector: 'textfile', file: name, error: (e as Error).message });
        continue;
      }
      if ('error' in parsed) {
        errored = true;
        log.error('failed to collect textfile data', { collector: 'textfile', file: name, error: parsed.error });
        continue;
      }
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

/** Returns the textfile collector for the given directories (globs allowed). */
export function createTextfileCollector(directories: readonly string[]): Collector {
  return syncCollector('textfile', true, (ctx: CollectorContext) => textfileFamilies(textfileDirectories(directories), ctx.log));
}

/** The textfile collector's registration, with node_exporter's (repeatable) flag. */
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
  },
  create: (o) => createTextfileCollector(Array.isArray(o.directory) ? (o.directory as string[]) : o.directory ? [String(o.directory)] : []),
};
