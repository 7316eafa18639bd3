/**
 * The part of Go's text/template (https://pkg.go.dev/text/template) that process-exporter's
 * group `name` templates use: text, `{{.Field}}`, `{{.Matches.key}}`, `{{index .Matches "key"}}`,
 * comments and the `{{-` / `-}}` trim markers. Anything else is refused when the config is read.
 */

/** What a name template can refer to: process-exporter's templateParams (config/config.go). */
export interface TemplateParams {
  readonly Comm: string;
  readonly ExeBase: string;
  readonly ExeFull: string;
  readonly Username: string;
  readonly PID: number;
  /** Start time, seconds and nanoseconds since the epoch (UTC). */
  readonly StartTime: { readonly seconds: number; readonly nanos: number };
  readonly Cgroups: readonly string[];
  readonly Matches: ReadonlyMap<string, string>;
}

/** A compiled name template: what it uses (so that unused data need not be read) and how to execute it. */
export interface NameTemplate {
  readonly usesUsername: boolean;
  readonly usesCgroups: boolean;
  execute(p: TemplateParams): string;
}

const FIELDS = ['Comm', 'ExeBase', 'ExeFull', 'Username', 'PID', 'StartTime', 'Cgroups', 'Matches'] as const;
type Field = (typeof FIELDS)[number];

const pad = (n: number, w = 2): string => String(n).padStart(w, '0');

/**
 * Returns a UTC time as Go's time.Time.String() prints it: "2006-01-02 15:04:05.999999999 +0000 UTC",
 * the fraction without trailing zeros and left out when zero.
 *   { seconds: 1795990715, nanos: 120000000 } → "2026-11-29 22:18:35.12 +0000 UTC"
 */
export function goTimeString(t: { readonly seconds: number; readonly nanos: number }): string {
  const d = new Date(t.seconds * 1000);
  const frac = t.nanos > 0 ? `.${pad(t.nanos, 9).replace(/0+$/, '')}` : '';
  return `${pad(d.getUTCFullYear(), 4)}-${pad(d.getUTCMonth() + 1)}-${pad(d.getUTCDate())} ${pad(d.getUTCHours())}:${pad(d.getUTCMinutes())}:${pad(d.getUTCSeconds())}${frac} +0000 UTC`;
}

/** Returns how Go's fmt prints a value of the field (%v): slices as "[a b]", maps as "map[k:v]" by key. */
function show(p: TemplateParams, f: Field): string {
  switch (f) {
    case 'PID':
      return String(p.PID);
    case 'StartTime':
      return goTimeString(p.StartTime);
    case 'Cgroups':
      return `[${p.Cgroups.join(' ')}]`;
    case 'Matches':
      return `map[${[...p.Matches.keys()].sort().map((k) => `${k}:${p.Matches.get(k)}`).join(' ')}]`;
    default:
      return p[f];
  }
}

/** Go prints a missing map key as this (missingkey=default). */
const NO_VALUE = '<no value>';

type Part = string | ((p: TemplateParams) => string);

/** Returns the executor of one action's text (between the delimiters, trimmed), or throws. */
function compileAction(action: string): { run: Part; field?: Field } {
  const idx = /^index\s+\.Matches\s+"((?:[^"\\]|\\.)*)"$/.exec(action);
  if (idx) {
    const key = JSON.parse(`"${idx[1]}"`) as string;
    return { run: (p) => p.Matches.get(key) ?? "", field: "Matches" }; // index gives the zero value
  }
  const m = /^\.([A-Za-z_][A-Za-z0-9_]*)(?:\.([A-Za-z_][A-Za-z0-9_]*))?$/.exec(action);
  if (!m) throw new Error(`unsupported action {{${action}}} (supported: {{.Field}}, {{.Matches.key}}, {{index .Matches "key"}})`);
  const field = m[1] as Field;
  if (!FIELDS.includes(field)) throw new Error(`unknown field .${m[1]} (fields: ${FIELDS.map((f) => `.${f}`).join(', ')})`);
  if (m[2] !== undefined) {
    if (field !== 'Matches') throw new Error(`.${field} has no field .${m[2]}`);
    const key = m[2];
    return { run: (p) => p.Matches.get(key) ?? NO_VALUE, field };
  }
  return { run: (p) => show(p, field), field };
}

/**
 * Returns the compiled template of `source`.
 *   compileNameTemplate("{{.Comm}}:{{.Matches.cfg}}").execute({ Comm: "nginx", Matches: {cfg: "a"}, … }) → "nginx:a"
 * Throws a plain Error naming the problem for an unclosed action, an unknown field or an
 * action this subset does not support (if, range, pipelines, functions other than index).
 */
export function compileNameTemplate(source: string): NameTemplate {
  const parts: Part[] = [];
  const used = new Set<Field>();
  let i = 0;
  let trimNext = false;
  while (i < source.length) {
    const open = source.indexOf('{{', i);
    let text = source.slice(i, open < 0 ? source.length : open);
    if (trimNext) text = text.replace(/^\s+/, '');
    trimNext = false;
    if (open < 0) {
      if (text) parts.push(text);
      break;
    }
    const close = source.indexOf('}}', open + 2);
    if (close < 0) throw new Error(`unclosed action at offset ${open}`);
    let inner = source.slice(open + 2, close);
    // "{{- " and " -}}" trim the white space around the action (the space after "-" is required).
    if (/^-\s/.test(inner)) {
      text = text.replace(/\s+$/, '');
      inner = inner.slice(1);
    }
    if (/\s-$/.test(inner)) {
      trimNext = true;
      inner = inner.slice(0, -1);
    }
    if (text) parts.push(text);
    inner = inner.trim();
    i = close + 2;
    if (inner.startsWith('/*') && inner.endsWith('*/')) continue;
    const a = compileAction(inner);
    if (a.field) used.add(a.field);
    parts.push(a.run);
  }
  return {
    usesUsername: used.has('Username'),
    usesCgroups: used.has('Cgroups'),
    execute: (p) => {
      let out = '';
      for (const part of parts) out += typeof part === 'string' ? part : part(p);
      return out;
    },
  };
}
