import { readFileSync } from 'node:fs';
import { parse } from 'yaml';
import { RxporterError, parseErrorText } from '../errors';
import { compileGoRegexp } from './goRegexp';
import { compileNameTemplate, type NameTemplate, type TemplateParams } from './goTemplate';

/**
 * process-exporter's configuration (config/config.go): the `process_names` rules of its
 * YAML file, each a name template and up to three matchers that must all match.
 */

/** What the matchers and the name template see of a process (process-exporter's ProcAttributes). */
export interface ProcAttributes {
  /** The comm: /proc/<pid>/stat's command name. */
  readonly name: string;
  readonly cmdline: readonly string[];
  readonly pid: number;
  readonly startTime: { readonly seconds: number; readonly nanos: number };
  /** Resolved only when a template uses it. */
  readonly username: () => string;
  /** Resolved only when a template uses it; [] when /proc/<pid>/cgroup is unreadable. */
  readonly cgroups: () => readonly string[];
}

/** One `process_names` entry. */
export interface MatchRule {
  /** The comm names of the `comm` list, or undefined without one. */
  readonly comms?: ReadonlySet<string>;
  /** `exe`: base name → full path ("" when any path of that base name matches). */
  readonly exes?: ReadonlyMap<string, string>;
  /** `cmdline`: regexps that must all match the arguments joined by spaces. */
  readonly cmdlines?: readonly RegExp[];
  readonly template: NameTemplate;
}

/** The parsed file: rules in file order, the first that matches names the process. */
export interface ProcessNamesConfig {
  readonly rules: readonly MatchRule[];
  readonly usesUsername: boolean;
  readonly usesCgroups: boolean;
}

/**
 * Returns Go's filepath.Base: the last element of a slash path, trailing slashes dropped,
 * "." for "" and "/" for a path of slashes only.
 *   "/usr/bin/sleep" → "sleep", "a/b/" → "b"
 */
export function goBase(path: string): string {
  if (path === '') return '.';
  let end = path.length;
  while (end > 0 && path[end - 1] === '/') end--;
  if (end === 0) return '/';
  return path.slice(path.lastIndexOf('/', end - 1) + 1, end);
}

/** Returns whether every matcher of `rule` accepts `p`, filling `captures` from the cmdline regexps. */
function matches(rule: MatchRule, p: ProcAttributes, captures: Map<string, string>): boolean {
  if (rule.comms && !rule.comms.has(p.name)) return false;
  if (rule.exes) {
    if (p.cmdline.length === 0) return false;
    const full = rule.exes.get(goBase(p.cmdline[0]));
    if (full === undefined || (full !== '' && full !== p.cmdline[0])) return false;
  }
  if (rule.cmdlines) {
    const joined = p.cmdline.join(' ');
    for (const re of rule.cmdlines) {
      const m = re.exec(joined);
      if (!m) return false;
      // Go records every group: the whole match under "", named ones by name.
      captures.set('', m[0]);
      if (m.groups) for (const [k, v] of Object.entries(m.groups)) captures.set(k, v ?? '');
    }
  }
  return true;
}

/**
 * Returns the group name of the first rule that matches `p`, or undefined when none does,
 * as process-exporter's FirstMatcher.MatchAndName. ExeBase/ExeFull come from the first
 * argument, or the comm when the cmdline is empty.
 */
export function matchAndName(cfg: ProcessNamesConfig, p: ProcAttributes): string | undefined {
  for (const rule of cfg.rules) {
    const captures = new Map<string, string>();
    if (!matches(rule, p, captures)) continue;
    const exeFull = p.cmdline.length > 0 ? p.cmdline[0] : p.name;
    const params: TemplateParams = {
      Comm: p.name,
      ExeBase: p.cmdline.length > 0 ? goBase(exeFull) : p.name,
      ExeFull: exeFull,
      Username: rule.template.usesUsername ? p.username() : '',
      PID: p.pid,
      StartTime: p.startTime,
      Cgroups: rule.template.usesCgroups ? p.cgroups() : [],
      Matches: captures,
    };
    return rule.template.execute(params);
  }
  return undefined;
}

const KEYS = new Set(['name', 'comm', 'exe', 'cmdline']);

/** Returns a YAML scalar as the string yaml.v2 would store in a Go string field, or undefined for a non-scalar. */
const scalar = (v: unknown): string | undefined =>
  typeof v === 'string' ? v : typeof v === 'number' || typeof v === 'boolean' ? String(v) : undefined;

/**
 * Returns the rules of a process-exporter config text (`process_names:` list of
 * `{name, comm, exe, cmdline}`; `name` defaults to "{{.ExeBase}}"). Keys other than
 * `process_names` at the top are ignored, as process-exporter does; an unknown key inside
 * a rule is refused (a misspelt matcher would silently match more).
 * Throws RXP_CONFIG naming `file`, the key (`process_names[2].cmdline[0]`) and what was
 * expected, for bad YAML, a wrong type, a rule without matchers, a bad regexp or template.
 */
export function parseProcessNamesConfig(text: string, file: string): ProcessNamesConfig {
  const fail = (key: string, msg: string): never => {
    throw new RxporterError('RXP_CONFIG', `${file}: ${key}: ${msg}`);
  };
  let doc: unknown;
  try {
    doc = parse(text);
  } catch (e) {
    fail('(file)', `not valid YAML: ${parseErrorText(e)}`);
  }
  if (doc === null || doc === undefined) doc = {};
  if (typeof doc !== 'object' || Array.isArray(doc)) fail('(file)', 'expected a mapping with a process_names list');
  const list = (doc as Record<string, unknown>).process_names ?? [];
  if (!Array.isArray(list)) fail('process_names', `expected a list of rules, got ${JSON.stringify(list)}`);
  const rules: MatchRule[] = [];
  (list as unknown[]).forEach((item, i) => {
    const at = `process_names[${i}]`;
    if (item === null || typeof item !== 'object' || Array.isArray(item)) fail(at, `expected a mapping with name, comm, exe or cmdline, got ${JSON.stringify(item)}`);
    const r = item as Record<string, unknown>;
    for (const k of Object.keys(r)) if (!KEYS.has(k)) fail(`${at}.${k}`, 'unknown key (expected name, comm, exe or cmdline)');
    const strings = (key: string): string[] | undefined => {
      const v = r[key];
      if (v === undefined || v === null) return undefined;
      if (!Array.isArray(v)) fail(`${at}.${key}`, `expected a list of strings, got ${JSON.stringify(v)}`);
      return (v as unknown[]).map((s, j) => scalar(s) ?? fail(`${at}.${key}[${j}]`, `expected a string, got ${JSON.stringify(s)}`));
    };
    const comm = strings('comm');
    const exe = strings('exe');
    const cmdline = strings('cmdline');
    if (!comm && !exe && !cmdline) fail(at, 'no matchers provided (expected comm, exe or cmdline)');
    let exes: Map<string, string> | undefined;
    if (exe) {
      exes = new Map();
      for (const e of exe) exes.set(goBase(e), e.includes('/') ? e : '');
    }
    const cmdlines = cmdline?.map((c, j) => {
      try {
        return compileGoRegexp(c);
      } catch (e) {
        return fail(`${at}.cmdline[${j}]`, `bad cmdline regex ${JSON.stringify(c)}: ${(e as Error).message}`);
      }
    });
    const nameSrc = r.name === undefined || r.name === null || r.name === '' ? '{{.ExeBase}}' : scalar(r.name);
    if (nameSrc === undefined) fail(`${at}.name`, `expected a template string, got ${JSON.stringify(r.name)}`);
    let template: NameTemplate;
    try {
      template = compileNameTemplate(nameSrc as string);
    } catch (e) {
      return fail(`${at}.name`, `bad name template ${JSON.stringify(nameSrc)}: ${(e as Error).message}`);
    }
    rules.push({ comms: comm ? new Set(comm) : undefined, exes, cmdlines, template });
  });
  return {
    rules,
    usesUsername: rules.some((r) => r.template.usesUsername),
    usesCgroups: rules.some((r) => r.template.usesCgroups),
  };
}

/** Returns the rules of the file at `path`; throws RXP_CONFIG naming the file when it cannot be read or is bad. */
export function readProcessNamesConfig(path: string): ProcessNamesConfig {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (e) {
    throw new RxporterError('RXP_CONFIG', `collector.process.config: cannot read ${path}: ${(e as Error).message}`);
  }
  return parseProcessNamesConfig(text, path);
}
