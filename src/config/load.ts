import convict from 'convict';
import { checkCollectorLists } from '../collectors';
import { RxporterError } from '../errors';
import { parseDuration } from './duration';
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
  /** Command-line arguments (default: none; the CLI passes process.argv). */
  readonly args?: readonly string[];
  /** Environment (default: none; the CLI passes process.env). */
  readonly env?: NodeJS.ProcessEnv;
}

let yamlParserAdded = false;
const addYamlParser = () => {
  if (yamlParserAdded) return;
  yamlParserAdded = true;
  // Loaded only for YAML files: the parser costs about 8 MB of RSS.
  const parse = (text: string): unknown => (require('yaml') as typeof import('yaml')).parse(text);
  convict.addParser([
    { extension: ['yaml', 'yml'], parse },
    { extension: 'json', parse: JSON.parse },
  ]);
};

const isLeaf = (v: unknown): v is Leaf => typeof v === 'object' && v !== null && 'default' in v && 'format' in v;

function resolve(schema: Record<string, unknown>, values: Record<string, unknown>): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [k, s] of Object.entries(schema)) {
    const v = values[k];
    if (isLeaf(s)) out[k] = s.format === 'duration' ? parseDuration(v) : v;
    else out[k] = resolve(s as Record<string, unknown>, (v ?? {}) as Record<string, unknown>);
  }
  return out;
}

/**
 * Returns the validated configuration from the given sources. Throws RXP_CONFIG whose
 * message names each bad key, its value and what was expected, for unknown keys, wrong
 * types, bad durations, and a missing global.appName.
 */
export function loadConfig(sources: ConfigSources = {}): RxporterConfig {
  addYamlParser();
  const schema = configSchema();
  const conf = convict(schema, { args: [...(sources.args ?? [])], env: sources.env ?? {} });
  try {
    if (sources.values !== undefined) conf.load(sources.values);
    if (sources.file) conf.loadFile(sources.file);
    conf.validate({ allowed: 'strict' });
  } catch (e) {
    const msg = (e as Error).message
      .split('\n')
      .map((line) => {
        const m = /^configuration param '(.+)' not declared in the schema$/.exec(line);
        if (!m) return line;
        let value: unknown;
        try {
          value = conf.get(m[1] as never);
        } catch {
          value = undefined;
        }
        return `${m[1]}: unknown key (not in the schema; see rxporter --help for the keys): value was ${JSON.stringify(value)}`;
      })
      .join('\n');
    throw new RxporterError('RXP_CONFIG', sources.file && /ENOENT|Unexpected|YAML|JSON|at line/i.test(msg) && !msg.includes(': must') ? `${sources.file}: ${msg}` : msg, false, { cause: e });
  }
  const appName = String(conf.get('global.appName') ?? '').trim();
  if (appName === '') {
    throw new RxporterError(
      'RXP_CONFIG',
      'global.appName must be set (config file key global.appName, flag --global.app-name or env RXPORTER_APP_NAME); value was ""',
    );
  }
  const config = resolve(schema as unknown as Record<string, unknown>, conf.getProperties() as Record<string, unknown>) as RxporterConfig;
  checkCollectorLists(config);
  return config;
}

/** Returns `--help` text listing every flag with its env variable, default and description. */
export function configHelp(): string {
  const lines: string[] = [];
  const walk = (s: Record<string, unknown>, prefix: string) => {
    for (const [k, v] of Object.entries(s)) {
      const key = prefix ? `${prefix}.${k}` : k;
      if (isLeaf(v)) {
        const leaf = v as Leaf & { doc?: string; arg?: string; env?: string };
        const flag = leaf.arg ? `--${leaf.arg}` : `(file only: ${key})`;
        const def = leaf.default === null ? '' : ` (default ${JSON.stringify(leaf.default)})`;
        lines.push(`  ${flag}\n      ${leaf.doc ?? ''}${def}\n      config key ${key}${leaf.env ? `, env ${leaf.env}` : ''}`);
      } else walk(v as Record<string, unknown>, key);
    }
  };
  walk(configSchema() as unknown as Record<string, unknown>, '');
  return lines.join('\n');
}
