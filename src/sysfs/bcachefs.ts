import { RxporterError } from '../errors';
import { fields, lines, parseFloat64, parseUint } from './parse';

const bad = (what: string, line: string): RxporterError =>
  new RxporterError('RXP_PROC_PARSE', `bcachefs ${what}: invalid value in ${JSON.stringify(line)}`);

const SUFFIX: Readonly<Record<string, number>> = { k: 2 ** 10, m: 2 ** 20, g: 2 ** 30, t: 2 ** 40, p: 2 ** 50, e: 2 ** 60 };

/**
 * Returns the bytes of a bcachefs human-readable size (binary suffixes k…e, any case),
 * truncated to an integer as procfs does, or NaN.
 *   "2.05G" → 2201170739, "720" → 720, "28.2k" → 28876, "x" → NaN
 */
export function parseHumanBytes(s: string): number {
  let t = s.trim();
  if (t === '') return NaN;
  const mult = SUFFIX[t[t.length - 1].toLowerCase()];
  if (mult !== undefined) t = t.slice(0, -1).trim();
  const v = parseFloat64(t);
  return Number.isNaN(v) ? NaN : Math.trunc(v * (mult ?? 1));
}

/** Compressed and uncompressed bytes of one compression type. */
export interface BcachefsCompression {
  readonly algorithm: string;
  readonly compressed: number;
  readonly uncompressed: number;
}

/**
 * Returns the rows of `compression_stats` (its first line is a header).
 *   "lz4                    48.9G           71.2G                   62.5k"
 *   → { algorithm: 'lz4', compressed: 52505975193, uncompressed: 76450417868 }
 */
export function parseBcachefsCompression(text: string): BcachefsCompression[] {
  const out: BcachefsCompression[] = [];
  const ls = lines(text);
  for (let i = 1; i < ls.length; i++) {
    const p = fields(ls[i]);
    if (p.length < 3) continue;
    const compressed = parseHumanBytes(p[1]);
    const uncompressed = parseHumanBytes(p[2]);
    if (Number.isNaN(compressed) || Number.isNaN(uncompressed) || (p.length >= 4 && Number.isNaN(parseHumanBytes(p[3])))) {
      throw bad('compression_stats', ls[i]);
    }
    out.push({ algorithm: p[0].endsWith(':') ? p[0].slice(0, -1) : p[0], compressed, uncompressed });
  }
  return out;
}

/**
 * Returns the error counts of the `errors` file: "bset_bad_csum   2   1767112063" → ['bset_bad_csum', 2].
 */
export function parseBcachefsErrors(text: string): [string, number][] {
  const out: [string, number][] = [];
  for (const line of lines(text)) {
    const p = fields(line);
    if (p.length < 2) continue;
    const count = parseUint(p[1]);
    if (Number.isNaN(count) || (p.length >= 3 && Number.isNaN(parseUint(p[2])))) throw bad('errors', line);
    out.push([p[0], count]);
  }
  return out;
}

/**
 * Returns the "since filesystem creation" value of a `counters/<name>` file (0 when only
 * "since mount" is given).
 *   "since mount:                   7224514"
 *   "since filesystem creation:     37363674" → 37363674
 * Throws RXP_PROC_PARSE when neither line is there (empty or truncated file) or for a non-number.
 */
export function parseBcachefsCounter(text: string, name: string): number {
  let creation = 0;
  let seen = false;
  for (const line of lines(text)) {
    for (const prefix of ['since mount:', 'since filesystem creation:']) {
      if (!line.startsWith(prefix)) continue;
      const v = parseHumanBytes(line.slice(prefix.length));
      if (Number.isNaN(v)) throw bad(`counter ${name}`, line);
      if (prefix !== 'since mount:') creation = v;
      seen = true;
    }
  }
  if (!seen) throw new RxporterError('RXP_PROC_PARSE', `bcachefs counter ${name}: format not recognized`);
  return creation;
}

/** Count and average size of one kind of btree write. */
export interface BcachefsBtreeWrite {
  readonly type: string;
  readonly count: number;
  readonly sizeBytes: number;
}

/**
 * Returns the rows of `btree_write_stats` (first line a header).
 *   "initial:           3298401   100k" → { type: 'initial', count: 3298401, sizeBytes: 102400 }
 */
export function parseBcachefsBtreeWrites(text: string): BcachefsBtreeWrite[] {
  const out: BcachefsBtreeWrite[] = [];
  const ls = lines(text);
  for (let i = 1; i < ls.length; i++) {
    const p = fields(ls[i]);
    if (p.length < 3) continue;
    const count = parseUint(p[1]);
    const sizeBytes = parseHumanBytes(p[2]);
    if (Number.isNaN(count) || Number.isNaN(sizeBytes)) throw bad('btree_write_stats', ls[i]);
    out.push({ type: p[0].endsWith(':') ? p[0].slice(0, -1) : p[0], count, sizeBytes });
  }
  return out;
}

/**
 * Returns a device's `io_done` as [operation, data type, bytes] triples.
 *   "read:" then "btree       :     8912896" → ['read', 'btree', 8912896]
 */
export function parseBcachefsIoDone(text: string): [string, string, number][] {
  const out: [string, string, number][] = [];
  let op = '';
  for (const raw of lines(text)) {
    const line = raw.trim();
    if (line === '') continue;
    if (line === 'read:' || line === 'write:') {
      op = line.slice(0, -1);
      continue;
    }
    if (op === '') continue;
    const colon = line.indexOf(':');
    if (colon < 0) continue;
    const v = parseUint(line.slice(colon + 1).trim());
    if (Number.isNaN(v)) throw bad('io_done', raw);
    const type = line.slice(0, colon).trim();
    const at = out.findIndex((t) => t[0] === op && t[1] === type);
    if (at >= 0) out[at][2] = v;
    else out.push([op, type, v]);
  }
  return out;
}

/**
 * Returns a device's `io_errors` "since filesystem creation" section as [type, count] pairs.
 *   "IO errors since filesystem creation" then "  read:    18828" → ['read', 18828]
 */
export function parseBcachefsIoErrors(text: string): [string, number][] {
  const out: [string, number][] = [];
  let inCreation = false;
  for (const line of lines(text)) {
    if (line.startsWith('IO errors since filesystem creation')) {
      inCreation = true;
      continue;
    }
    if (line.startsWith('IO errors since ')) break;
    if (!inCreation) continue;
    const t = line.trim();
    const colon = t.indexOf(':');
    if (t === '' || colon < 0) continue;
    const v = parseUint(t.slice(colon + 1).trim());
    if (Number.isNaN(v)) throw bad('io_errors', line);
    const type = t.slice(0, colon).trim();
    const at = out.findIndex((e) => e[0] === type);
    if (at >= 0) out[at][1] = v;
    else out.push([type, v]);
  }
  return out;
}
