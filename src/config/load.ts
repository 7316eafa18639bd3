import { readFileSync, statSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import convict from 'convict';
import { checkCollectorLists } from '../collectors';
import { RxporterError, parseErrorText } from '../errors';
import { checkElectionDurations } from '../kube/leaderElection';
import { parseDuration } from './duration';
import { flagSpecs, parseFlags } from './flags';
import { rangeErrors, type Range } from './ranges';
import { configSchema } from './schema';

type Schema = ReturnType<typeof configSchema>;
type Leaf = { format: unknown; default: unknown };
/** A schema section turned into plain values; durations become milliseconds (numbers). */
type Resolve<S> = S extends { default: infer D; format: infer F }
  ? F extends 'duration'
    ? number
    : D extends null
      ? boolean | null
      : D extends readonly (infer _)[]
        ? string[]
        : D
  : { -readonly [K in keyof S]: Resolve<S[K]> };

/** rxporter's validated configuration; every duration is in milliseconds. */
export type RxporterConfig = Resolve<Schema>;

/** Where configuration comes from; later sources override earlier ones. */
export interface ConfigSources {
  /** A YAML (.yaml/.yml) or JSON file. */
  readonly file?: string;
  /** Plain values, as if from a file (for embedding). */
  readonly values?: unknown;
  /** Command-line flags (default: none; the CLI passes process.argv without its own flags); see parseFlags. */
  readonly args?: readonly string[];
  /** Environment (default: none; the CLI passes process.env). */
  readonly env?: NodeJS.ProcessEnv;
}

const isLeaf = (v: unknown): v is Leaf => typeof v === 'object' && v !== null && 'default' in v && 'format' in v;

/** Returns the schema leaf of a dotted key, or undefined. */
function leafAt(schema: unknown, key: string): (Leaf & { sensitive?: boolean }) | undefined {
  let node: unknown = schema;
  for (const part of key.split('.')) {
    if (typeof node !== 'object' || node === null || isLeaf(node)) return undefined;
    node = (node as Record<string, unknown>)[part];
  }
  return isLeaf(node) ? node : undefined;
}

const fileError = (file: string, what: string, cause?: unknown) => new RxporterError('RXP_CONFIG', `config file ${file}: ${what}`, false, { cause });

/** Returns the RXP_CONFIG error for a file that could not be read (missing, unreadable, a directory). */
function readError(file: string, e: unknown): RxporterError {
  if (e instanceof RxporterError) return e;
  const code = (e as NodeJS.ErrnoException).code;
  if (code === 'EISDIR') return fileError(file, 'is a directory; --config takes a YAML or JSON file');
  const what = code === 'ENOENT' ? 'no such file' : code === 'EACCES' ? 'permission denied' : (e as Error).message;
  return fileError(file, what, e);
}

/** Returns the settings in the text of config file `file` (see readConfigFile). */
function parseConfigText(file: string, text: string): Record<string, unknown> {
  const yaml = /\.ya?ml$/i.test(file);
  let parsed: unknown;
  try {
    // The YAML parser is loaded only for YAML files: it costs about 8 MB of RSS.
    parsed = text.trim() === '' ? null : yaml ? (require('yaml') as typeof import('yaml')).parse(text) : JSON.parse(text);
  } catch (e) {
    throw fileError(file, `not valid ${yaml ? 'YAML' : 'JSON'}: ${parseErrorText(e)}`, e);
  }
  if (parsed === null || parsed === undefined) return {};
  if (typeof parsed !== 'object' || Array.isArray(parsed)) {
    throw fileError(file, `must hold a mapping of keys (e.g. "global:"), not ${Array.isArray(parsed) ? 'a list' : JSON.stringify(parsed)}`);
  }
  return parsed as Record<string, unknown>;
}

/**
 * Returns the settings of a YAML (.yaml/.yml) or JSON file (any other name). A file that is
 * empty or holds only whitespace (or, in YAML, only comments) has no settings, in both
 * formats. Throws RXP_CONFIG naming the file when it is missing, unreadable, a directory, does
 * not parse, or holds something other than a mapping of keys at the top.
 */
export function readConfigFile(file: string): Record<string, unknown> {
  let text: string;
  try {
    if (statSync(file).isDirectory()) throw Object.assign(new Error('is a directory'), { code: 'EISDIR' });
    text = readFileSync(file, 'utf8');
  } catch (e) {
    throw readError(file, e);
  }
  return parseConfigText(file, text);
}

/**
 * Returns readConfigFile's result, read without blocking the thread (a reload on the main
 * thread). Rejects with the same RXP_CONFIG errors.
 */
export async function readConfigFileAsync(file: string): Promise<Record<string, unknown>> {
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (e) {
    throw readError(file, e);
  }
  return parseConfigText(file, text);
}

function resolve(schema: Record<string, unknown>, values: Record<string, unknown>): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [k, s] of Object.entries(schema)) {
    const v = values[k];
    if (isLeaf(s)) out[k] = s.format === 'duration' ? parseDuration(v) : v;
    else out[k] = resolve(s as Record<string, unknown>, (v ?? {}) as Record<string, unknown>);
  }
  return out;
}

/** Returns convict's validation message, one line per problem, each with its key and value. */
function validationLines(e: unknown, schema: unknown, get: (key: string) => unknown): string[] {
  const value = (key: string): string => {
    try {
      return JSON.stringify(get(key)) ?? 'undefined';
    } catch {
      return 'undefined';
    }
  };
  return (e as Error).message.split('\n').map((line) => {
    const undeclared = /^configuration param '(.+)' not declared in the schema$/.exec(line);
    if (undeclared) return `${undeclared[1]}: unknown key (not in the schema; see rxporter --help for the keys): value was ${value(undeclared[1])}`;
    // convict leaves out values that are falsy (0, "", false): every line names its value.
    const m = /^([\w.-]+): /.exec(line);
    const leaf = m ? leafAt(schema, m[1]) : undefined;
    return m && leaf && !leaf.sensitive && !line.includes(': value was ') ? `${line}: value was ${value(m[1])}` : line;
  });
}

/**
 * Returns the validated configuration from the given sources. Throws RXP_CONFIG whose
 * message has one line per problem, naming the key, its value and what was expected: unknown
 * keys and flags, wrong types, bad durations, values outside their key's range (src/config/
 * ranges.ts), a flag that is not a list given twice, an unreadable file, a missing
 * global.appName and leader-election durations client-go would refuse (src/kube/leaderElection.ts).
 */
export function loadConfig(sources: ConfigSources = {}): RxporterConfig {
  const schema = configSchema();
  const flags = parseFlags(sources.args ?? [], flagSpecs(schema));
  const conf = convict(schema, { args: [], env: sources.env ?? {} });
  const problems: string[] = [];
  try {
    // Each load re-applies the environment over what it loaded: env wins over the file.
    if (sources.values !== undefined) conf.load(sources.values);
    if (sources.file) conf.load(readConfigFile(sources.file));
    // Flags win over both; a list flag's values are set as a list, never joined and split.
    for (const f of flags) conf.set(f.key, f.value as never);
    conf.validate({ allowed: 'strict' });
  } catch (e) {
    if (e instanceof RxporterError) throw e;
    problems.push(...validationLines(e, schema, (key) => conf.get(key as never)));
  }
  // A value of the wrong type is reported once, by its format.
  const bad = new Set(problems.map((p) => p.split(':', 1)[0]));
  problems.push(...rangeErrors(schema, conf.getProperties()).filter((p) => !bad.has(p.split(':', 1)[0])));
  if (problems.length > 0) throw new RxporterError('RXP_CONFIG', problems.join('\n'));
  const appName = String(conf.get('global.appName') ?? '').trim();
  if (appName === '') {
    throw new RxporterError(
      'RXP_CONFIG',
      'global.appName must be set (config file key global.appName, flag --global.app-name or env RXPORTER_APP_NAME); value was ""',
    );
  }
  const config = resolve(schema as unknown as Record<string, unknown>, conf.getProperties() as Record<string, unknown>) as RxporterConfig;
  checkCollectorLists(config);
  const le = config.kube.leaderElection;
  // As client-go, when an election runs (the durations of a disabled one do not matter).
  if (config.kube.leaderElect) checkElectionDurations({ leaseDurationMs: le.leaseDuration, renewDeadlineMs: le.renewDeadline, retryPeriodMs: le.retryPeriod });
  return config;
}

/** Returns `--help` text listing every flag with its env variable, default, range and description. */
export function configHelp(): string {
  const lines: string[] = [];
  const walk = (s: Record<string, unknown>, prefix: string) => {
    for (const [k, v] of Object.entries(s)) {
      const key = prefix ? `${prefix}.${k}` : k;
      if (isLeaf(v)) {
        const leaf = v as Leaf & { doc?: string; arg?: string; env?: string; range?: Range };
        const list = leaf.format === 'string-list';
        const flag = leaf.arg ? `--${leaf.arg}${list ? ' (repeatable)' : ''}` : `(file only: ${key})`;
        const range = leaf.range ? `, range ${leaf.range[0]} to ${leaf.range[1]}` : '';
        const def = leaf.default === null ? '' : ` (default ${JSON.stringify(leaf.default)}${range})`;
        const env = leaf.env ? `, env ${leaf.env}${list ? ' (comma-separated, or a JSON array)' : ''}` : '';
        lines.push(`  ${flag}\n      ${leaf.doc ?? ''}${def}\n      config key ${key}${env}`);
      } else walk(v as Record<string, unknown>, key);
    }
  };
  walk(configSchema() as unknown as Record<string, unknown>, '');
  return lines.join('\n');
}
