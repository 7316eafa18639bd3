import { RxporterError } from '../errors';

/** How a flag takes its value: a switch (`--x`, `--no-x`, `--x=false`), a list (repeatable) or one value. */
export type FlagKind = 'switch' | 'list' | 'value';

/** A flag the schema declares: the config key it sets and how it takes its value. */
export interface FlagSpec {
  /** The config key, e.g. `exporter.vmagent.url`. */
  readonly key: string;
  readonly kind: FlagKind;
}

/** One setting from the command line: the config key and its value. */
export interface FlagValue {
  readonly key: string;
  /** A string (converted by the key's format later), a boolean for a switch, or every value of a list flag. */
  readonly value: string | boolean | string[];
}

const SWITCH_FORMATS = new Set(['bool', 'optional-boolean']);
const LIST_FORMATS = new Set(['string-list']);

/** Returns every flag (without "--") the schema declares with `arg`, and what it sets. */
export function flagSpecs(schema: unknown): Map<string, FlagSpec> {
  const out = new Map<string, FlagSpec>();
  const walk = (s: Record<string, unknown>, prefix: string): void => {
    for (const [k, v] of Object.entries(s)) {
      if (typeof v !== 'object' || v === null) continue;
      const key = prefix ? `${prefix}.${k}` : k;
      if ('default' in v && 'format' in v) {
        const leaf = v as { arg?: unknown; format: unknown };
        if (typeof leaf.arg !== 'string') continue;
        const f = typeof leaf.format === 'string' ? leaf.format : '';
        out.set(leaf.arg, { key, kind: SWITCH_FORMATS.has(f) ? 'switch' : LIST_FORMATS.has(f) ? 'list' : 'value' });
      } else walk(v as Record<string, unknown>, key);
    }
  };
  walk(schema as Record<string, unknown>, '');
  return out;
}

/**
 * Returns the settings of command-line flags, in the order given, by node_exporter's rules
 * (kingpin, alecthomas/kingpin app.go setValues):
 * - `--name=value` or `--name value` (a next word that starts with "--" is not taken as a value);
 * - a switch is `--name` (true), `--no-name` (false) or `--name=true|false`;
 * - a list flag (node_exporter's repeatable ones, e.g. --collector.textfile.directory) may be
 *   repeated; each value is kept whole, commas included;
 * - any other flag may be given once: a second `--name`, or `--name` with `--no-name`, is an
 *   error naming both (kingpin: "flag 'x' cannot be repeated"), never a comma-joined value.
 * Throws RXP_CONFIG listing every unknown flag, missing value, repetition and stray argument.
 */
export function parseFlags(args: readonly string[], specs: ReadonlyMap<string, FlagSpec>): FlagValue[] {
  const errors: string[] = [];
  const seen = new Map<string, string>(); // flag name → the words that first set it
  const lists = new Map<string, string[]>();
  const out: FlagValue[] = [];
  for (let i = 0; i < args.length; i++) {
    const word = args[i];
    if (!word.startsWith('--') || word === '--') {
      errors.push(`unexpected argument ${JSON.stringify(word)} (flags start with --; see --help)`);
      continue;
    }
    const eq = word.indexOf('=');
    const name = word.slice(2, eq < 0 ? undefined : eq);
    const inline = eq < 0 ? undefined : word.slice(eq + 1);
    const negated = name.startsWith('no-') && specs.get(name.slice(3))?.kind === 'switch';
    const flag = negated ? name.slice(3) : name;
    const spec = specs.get(flag);
    if (!spec) {
      errors.push(`unknown flag --${name} (see --help)`);
      // Its value, if it has one, is not a second error.
      if (inline === undefined && i + 1 < args.length && !args[i + 1].startsWith('--')) i++;
      continue;
    }
    let value: string | boolean;
    if (spec.kind === 'switch') {
      if (negated && inline !== undefined) {
        errors.push(`--${name} takes no value (use --${flag}=${inline} or --${name}): got ${JSON.stringify(word)}`);
        continue;
      }
      value = negated ? false : (inline ?? true);
    } else if (inline !== undefined) value = inline;
    else if (i + 1 < args.length && !args[i + 1].startsWith('--')) value = args[++i];
    else {
      errors.push(`--${name} needs a value (--${name}=VALUE or --${name} VALUE)`);
      continue;
    }
    const given = eq < 0 && spec.kind === 'value' ? `${word} ${String(value)}` : word;
    if (spec.kind === 'list') {
      const values = lists.get(flag);
      if (values) values.push(value as string);
      else {
        const fresh = [value as string];
        lists.set(flag, fresh);
        out.push({ key: spec.key, value: fresh });
      }
      continue;
    }
    const first = seen.get(flag);
    if (first !== undefined) {
      errors.push(`flag --${flag} given twice (${first}, then ${given}): only list flags may be repeated; give it once`);
      continue;
    }
    seen.set(flag, given);
    out.push({ key: spec.key, value });
  }
  if (errors.length > 0) throw new RxporterError('RXP_CONFIG', errors.join('\n'));
  return out;
}
