import { RxporterError } from '../errors';
import type { Labels } from '../model/family';

/** The metric types a `# TYPE` line may name in the text format 0.0.4. */
export type ExpositionType = 'counter' | 'gauge' | 'histogram' | 'summary' | 'untyped';

const TYPES: ReadonlySet<string> = new Set(['counter', 'gauge', 'histogram', 'summary', 'untyped']);

/** One sample line of an exposition. */
export interface ExpositionSample {
  /** The metric name as written on the line (e.g. `x_bucket` of histogram `x`). */
  readonly name: string;
  /** The family the sample belongs to: `name`, or its histogram/summary base name. */
  readonly family: string;
  /** Label values unescaped. */
  readonly labels: Labels;
  readonly value: number;
  readonly timestampMs?: number;
  /** 1-based line number. */
  readonly line: number;
  /** The line as written ("" unless ExpositionParser's keepText). */
  readonly text: string;
}

/** One family: its HELP (unescaped) and TYPE when given, and its samples in order. */
export interface ExpositionFamily {
  readonly name: string;
  help?: string;
  type?: ExpositionType;
  readonly samples: ExpositionSample[];
}

/** A parsed exposition: families in order of first appearance, and every sample in order. */
export interface Exposition {
  readonly families: ReadonlyMap<string, ExpositionFamily>;
  readonly samples: readonly ExpositionSample[];
}

const decoder = new TextDecoder('utf-8', { fatal: true, ignoreBOM: true });

/** Returns a strict UTF-8 decoder as parseExposition uses, for decoding an exposition in pieces (`stream: true`). */
export const expositionDecoder = () => new TextDecoder('utf-8', { fatal: true, ignoreBOM: true });

const fail = (line: number, text: string, why: string): never => {
  throw new RxporterError('RXP_EXPOSITION_PARSE', `line ${line}: ${why}: ${JSON.stringify(text.length > 200 ? `${text.slice(0, 200)}…` : text)}`);
};

const isNameStart = (c: number): boolean => (c >= 97 && c <= 122) || (c >= 65 && c <= 90) || c === 95;
const isNameChar = (c: number): boolean => isNameStart(c) || (c >= 48 && c <= 57);
const isBlank = (c: number): boolean => c === 32 || c === 9;

const DECIMAL = /^[+-]?(?:\d+\.?\d*|\.\d+)(?:[eE][+-]?\d+)?$/;
const SPECIAL = /^([+-]?)(inf|infinity|nan)$/i;

/**
 * Returns the float64 a sample value spells, accepting what Go's strconv.ParseFloat
 * accepts in client_golang output: decimals, exponents, `NaN`, `+Inf`, `-Inf` (any case).
 *   "1.04448e+06" → 1044480, "+Inf" → Infinity
 * Throws RXP_EXPOSITION_PARSE for anything else.
 */
export function parseValue(s: string): number {
  if (DECIMAL.test(s)) return Number(s);
  const m = SPECIAL.exec(s);
  if (m) {
    if (m[2].toLowerCase() === 'nan') return NaN;
    return m[1] === '-' ? -Infinity : Infinity;
  }
  throw new RxporterError('RXP_EXPOSITION_PARSE', `not a float: ${JSON.stringify(s)}`);
}

/**
 * Returns `s` with a HELP line's escapes (`\\`, `\n`, and `\"`, which Prometheus' parser
 * also takes since common v0.56) resolved; undefined when an escape is invalid.
 */
function unescapeHelp(s: string): string | undefined {
  if (s.indexOf('\\') < 0) return s;
  let out = '';
  for (let i = 0; i < s.length; i++) {
    const c = s[i];
    if (c !== '\\') {
      out += c;
      continue;
    }
    const n = s[++i];
    if (n === '\\') out += '\\';
    else if (n === 'n') out += '\n';
    else if (n === '"') out += '"';
    else return undefined;
  }
  return out;
}

/** Reads a metric or label name at `i`; returns its end (== i when there is none). */
function nameEnd(s: string, i: number, colons: boolean): number {
  if (i >= s.length) return i;
  const c0 = s.charCodeAt(i);
  if (!(isNameStart(c0) || (colons && c0 === 58))) return i;
  let j = i + 1;
  while (j < s.length) {
    const c = s.charCodeAt(j);
    if (!(isNameChar(c) || (colons && c === 58))) break;
    j++;
  }
  return j;
}

const skipBlanks = (s: string, i: number): number => {
  while (i < s.length && isBlank(s.charCodeAt(i))) i++;
  return i;
};

/** Returns the family a sample name belongs to, given the families declared so far. */
function familyOf(name: string, families: ReadonlyMap<string, ExpositionFamily>): string {
  if (families.has(name)) return name;
  for (const suffix of ['_bucket', '_count', '_sum']) {
    if (!name.endsWith(suffix)) continue;
    const base = families.get(name.slice(0, -suffix.length));
    if (base && (base.type === 'histogram' || (base.type === 'summary' && suffix !== '_bucket'))) return base.name;
  }
  return name;
}

/** Parses one sample line into name, labels, value and timestamp. */
function parseSampleLine(text: string, line: number): { name: string; labels: Record<string, string>; value: number; timestampMs?: number } {
  const end = nameEnd(text, 0, true);
  if (end === 0) fail(line, text, 'expected a metric name');
  const name = text.slice(0, end);
  const labels: Record<string, string> = Object.create(null) as Record<string, string>;
  let i = end;
  const brace = skipBlanks(text, end);
  if (text[brace] === '{') {
    i = skipBlanks(text, brace + 1);
    while (text[i] !== '}') {
      const ne = nameEnd(text, i, false);
      if (ne === i) fail(line, text, `expected a label name at column ${i + 1}`);
      const ln = text.slice(i, ne);
      i = skipBlanks(text, ne);
      if (text[i] !== '=') fail(line, text, `expected "=" after label ${ln}`);
      i = skipBlanks(text, i + 1);
      if (text[i] !== '"') fail(line, text, `expected a quoted value for label ${ln}`);
      let v = '';
      let closed = false;
      for (i++; i < text.length; i++) {
        const c = text[i];
        if (c === '"') {
          closed = true;
          i++;
          break;
        }
        if (c === '\\') {
          const n = text[++i];
          if (n === '\\') v += '\\';
          else if (n === '"') v += '"';
          else if (n === 'n') v += '\n';
          else fail(line, text, `invalid escape in the value of label ${ln}`);
        } else v += c;
      }
      if (!closed) fail(line, text, `unterminated value of label ${ln}`);
      if (Object.prototype.hasOwnProperty.call(labels, ln)) fail(line, text, `duplicate label ${ln}`);
      labels[ln] = v;
      i = skipBlanks(text, i);
      if (text[i] === ',') i = skipBlanks(text, i + 1);
      else if (text[i] !== '}') fail(line, text, `expected "," or "}" after label ${ln}`);
    }
    i++;
  }
  const vStart = skipBlanks(text, i);
  if (vStart === i && vStart < text.length) fail(line, text, 'expected a blank before the value');
  let vEnd = vStart;
  while (vEnd < text.length && !isBlank(text.charCodeAt(vEnd))) vEnd++;
  if (vEnd === vStart) fail(line, text, 'missing value');
  let value: number;
  try {
    value = parseValue(text.slice(vStart, vEnd));
  } catch {
    return fail(line, text, 'value is not a float');
  }
  const tStart = skipBlanks(text, vEnd);
  if (tStart >= text.length) return { name, labels: { ...labels }, value };
  let tEnd = tStart;
  while (tEnd < text.length && !isBlank(text.charCodeAt(tEnd))) tEnd++;
  const ts = text.slice(tStart, tEnd);
  if (!/^-?\d+$/.test(ts)) fail(line, text, 'timestamp is not an integer');
  if (skipBlanks(text, tEnd) < text.length) fail(line, text, 'unexpected text after the timestamp');
  return { name, labels: { ...labels }, value, timestampMs: Number(ts) };
}

/** Options of an {@link ExpositionParser}. */
export interface ExpositionParserOptions {
  /**
   * Keep every sample in `samples` too, with the text of its line (what the conformance
   * tools quote); off, samples are kept only in their families, with text "".
   */
  readonly keepText?: boolean;
  /** Most samples taken; one more throws RXP_LIMIT (a textfile's max-series). */
  readonly maxSamples?: number;
}

/**
 * Parses a Prometheus text exposition (format 0.0.4) fed in pieces, so that a large input
 * needs memory for what is kept, not for its whole text: `push` takes the next piece of
 * text and parses every complete line in it; `end` checks the end of input and returns the
 * families. Comments other than HELP/TYPE and blank lines are skipped.
 *   push('node_load1 0.21\n') → family node_load1, one sample with no labels and value 0.21
 * Throws RXP_EXPOSITION_PARSE naming the line for a bad name, label, escape, value or
 * timestamp, an unknown type, a second HELP/TYPE for one family, or (from `end`) a last
 * line without its line feed ("unexpected end of input stream", as Prometheus' expfmt text
 * parser: only blanks may follow the final line feed); RXP_LIMIT past `maxSamples`.
 */
export class ExpositionParser {
  readonly families = new Map<string, ExpositionFamily>();
  readonly samples: ExpositionSample[] = [];
  private rest = '';
  private lineNo = 0;
  private count = 0;

  constructor(private readonly opts: ExpositionParserOptions = {}) {}

  /** Parses the complete lines of `chunk` (after what was left of the previous one). */
  push(chunk: string): void {
    const text = this.rest === '' ? chunk : this.rest + chunk;
    let start = 0;
    for (let nl = text.indexOf('\n'); nl >= 0; nl = text.indexOf('\n', start)) {
      this.line(text.slice(start, nl));
      start = nl + 1;
    }
    this.rest = start === 0 ? text : text.slice(start);
  }

  /** Ends the input: rejects a last line cut short, returns the families and samples. */
  end(): Exposition {
    // After the last line feed only blanks may follow: anything else is a line cut short,
    // which the format's final line feed exists to reveal.
    const tail = this.rest;
    if (skipBlanks(tail, 0) < tail.length) fail(this.lineNo + 1, tail, 'unexpected end of input stream');
    return { families: this.families, samples: this.samples };
  }

  private family(name: string): ExpositionFamily {
    let f = this.families.get(name);
    if (!f) {
      f = { name, samples: [] };
      this.families.set(name, f);
    }
    return f;
  }

  private line(raw: string): void {
    const line = ++this.lineNo;
    const start = skipBlanks(raw, 0);
    if (start === raw.length) return;
    if (raw[start] === '#') {
      const k = skipBlanks(raw, start + 1);
      let kEnd = k;
      while (kEnd < raw.length && !isBlank(raw.charCodeAt(kEnd))) kEnd++;
      const keyword = raw.slice(k, kEnd);
      if (keyword !== 'HELP' && keyword !== 'TYPE') return; // a plain comment
      const ns = skipBlanks(raw, kEnd);
      const ne = nameEnd(raw, ns, true);
      if (ne === ns) fail(line, raw, `expected a metric name after ${keyword}`);
      if (ne < raw.length && !isBlank(raw.charCodeAt(ne))) fail(line, raw, `invalid metric name after ${keyword}`);
      const name = raw.slice(ns, ne);
      const rest = raw.slice(skipBlanks(raw, ne));
      const f = this.family(name);
      if (keyword === 'HELP') {
        if (f.help !== undefined) fail(line, raw, `second HELP for ${name}`);
        const help = unescapeHelp(rest);
        if (help === undefined) fail(line, raw, 'invalid escape in HELP');
        f.help = help;
      } else {
        if (f.type !== undefined) fail(line, raw, `second TYPE for ${name}`);
        if (f.samples.length > 0) fail(line, raw, `TYPE for ${name} after its samples`);
        const t = rest.trimEnd();
        if (!TYPES.has(t)) fail(line, raw, `unknown type ${JSON.stringify(t)}`);
        f.type = t as ExpositionType;
      }
      return;
    }
    if (this.opts.maxSamples !== undefined && this.count >= this.opts.maxSamples) {
      throw new RxporterError('RXP_LIMIT', `more than ${this.opts.maxSamples} series (line ${line})`);
    }
    this.count++;
    const s = parseSampleLine(start > 0 ? raw.slice(start) : raw, line);
    const fam = this.family(familyOf(s.name, this.families));
    if (this.opts.keepText) {
      const sample: ExpositionSample = { ...s, family: fam.name, line, text: raw };
      fam.samples.push(sample);
      this.samples.push(sample);
    } else {
      fam.samples.push({ name: s.name, family: fam.name, labels: s.labels, value: s.value, timestampMs: s.timestampMs, line, text: '' });
    }
  }
}

/**
 * Returns the families and samples of a whole Prometheus text exposition (format 0.0.4),
 * every sample with its line number and text. Bytes are decoded as strict UTF-8 (the
 * format's encoding), so every byte sequence maps to exactly one string and label values
 * keep control characters such as 0x1C and U+FFFD as they are.
 * Throws RXP_EXPOSITION_PARSE for invalid UTF-8 and as {@link ExpositionParser} does.
 */
export function parseExposition(input: string | Uint8Array): Exposition {
  let text: string;
  if (typeof input === 'string') text = input;
  else {
    try {
      text = decoder.decode(input);
    } catch (e) {
      throw new RxporterError('RXP_EXPOSITION_PARSE', 'exposition is not valid UTF-8', false, { cause: e });
    }
  }
  const p = new ExpositionParser({ keepText: true });
  p.push(text);
  return p.end();
}

/**
 * Returns the identity of a series: its name and its unescaped labels sorted by name,
 * JSON-encoded so that no label value, whatever it holds, can mimic another series.
 */
export function seriesKey(name: string, labels: Labels): string {
  const parts: string[] = [name];
  for (const n of Object.keys(labels).sort()) parts.push(n, labels[n]);
  return JSON.stringify(parts);
}

/** Returns a series in exposition form (`name{a="1",b="2"}`), label names sorted, values escaped. */
export function formatSeries(name: string, labels: Labels): string {
  const names = Object.keys(labels).sort();
  if (names.length === 0) return name;
  const esc = (v: string) => v.replace(/\\/g, '\\\\').replace(/\n/g, '\\n').replace(/"/g, '\\"');
  return `${name}{${names.map((n) => `${n}="${esc(labels[n])}"`).join(',')}}`;
}
