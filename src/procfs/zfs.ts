import { RxporterError } from '../errors';
import { fields, lines, parseInt64, parseUint } from '../sysfs/parse';

/** One numeric kstat of a ZFS kstat file. */
export interface ZfsKstat {
  readonly name: string;
  readonly value: number;
}

const KSTAT_INT64 = '3';
const KSTAT_UINT64 = '4';

const isHeader = (p: readonly string[]): boolean => p.length === 3 && p[0] === 'name' && p[1] === 'type' && p[2] === 'data';

/**
 * Returns the int64 and uint64 kstats of a named kstat file under spl/kstat/zfs (arcstats,
 * dbufstats, …); other kstat types are skipped, as node_exporter does.
 *   "6 1 0x01 91 4368 5266997922 97951858082072"
 *   "name                            type data"
 *   "anon_size                       4    1917440" → { name: 'anon_size', value: 1917440 }
 * Throws RXP_PROC_PARSE for a file without the "name type data" header (empty or truncated)
 * and for a non-number, quoting the line.
 */
export function parseZfsKstat(text: string, file: string): ZfsKstat[] {
  const out: ZfsKstat[] = [];
  let started = false;
  for (const line of lines(text)) {
    const p = fields(line);
    if (!started) {
      started = isHeader(p);
      continue;
    }
    if (p.length < 3) continue;
    let value: number;
    if (p[1] === KSTAT_UINT64) value = parseUint(p[2]);
    else if (p[1] === KSTAT_INT64) value = parseInt64(p[2]);
    else continue;
    if (Number.isNaN(value)) throw new RxporterError('RXP_PROC_PARSE', `zfs ${file}: invalid value in line ${JSON.stringify(line)}`);
    out.push({ name: p[0], value });
  }
  if (!started) throw new RxporterError('RXP_PROC_PARSE', `zfs ${file}: no "name type data" header`);
  return out;
}

/**
 * Returns the I/O counters of a pool's `io` kstat (columns named by its header line).
 *   "nread    nwritten reads    writes   wtime    wlentime wupdate  rtime    rlentime rupdate  wcnt     rcnt"
 *   "1884160  3206144  22       132      7155162  104112268 79210489694949 …" → [{ name: 'nread', value: 1884160 }, …]
 * A file without the header yields no counters (as node_exporter). Throws RXP_PROC_PARSE
 * for a short row or a non-number.
 */
export function parseZpoolIo(text: string): ZfsKstat[] {
  const out: ZfsKstat[] = [];
  let header: string[] | undefined;
  for (const line of lines(text)) {
    const p = fields(line);
    if (!header) {
      if (p.length >= 12 && p[0] === 'nread') header = p;
      continue;
    }
    for (let i = 0; i < header.length; i++) {
      const value = i < p.length ? parseUint(p[i]) : NaN;
      if (Number.isNaN(value)) throw new RxporterError('RXP_PROC_PARSE', `zfs pool io: invalid value for ${header[i]} in line ${JSON.stringify(line)}`);
      out.push({ name: header[i], value });
    }
  }
  return out;
}

/** The uint64 kstats of one dataset, from a pool's `objset-*` file. */
export interface ZfsObjset {
  /** The dataset name, inner spaces kept. */
  readonly dataset: string;
  readonly stats: ZfsKstat[];
}

/**
 * Returns the dataset name and uint64 kstats of an `objset-0x…` file.
 *   "dataset_name                    7    pool3/dataset with  space" → dataset 'pool3/dataset with  space'
 *   "writes                          4    4"                         → { name: 'writes', value: 4 }
 * Throws RXP_PROC_PARSE without the "name type data" header or for a non-number.
 */
export function parseZpoolObjset(text: string): ZfsObjset {
  const stats: ZfsKstat[] = [];
  let dataset = '';
  let started = false;
  for (const line of lines(text)) {
    const p = fields(line);
    if (!started) {
      started = isHeader(p);
      continue;
    }
    if (p.length < 3) continue;
    if (p[0] === 'dataset_name') {
      dataset = line.slice(line.indexOf(p[2])).replace(/\r$/, '');
      continue;
    }
    if (p[1] !== KSTAT_UINT64) continue;
    const value = parseUint(p[2]);
    if (Number.isNaN(value)) throw new RxporterError('RXP_PROC_PARSE', `zfs objset: invalid value in line ${JSON.stringify(line)}`);
    stats.push({ name: p[0], value });
  }
  if (!started) throw new RxporterError('RXP_PROC_PARSE', 'zfs objset: no "name type data" header');
  return { dataset, stats };
}

/** The pool states node_exporter reports, in its order. */
export const ZPOOL_STATES = ['online', 'degraded', 'faulted', 'offline', 'removed', 'unavail', 'suspended'] as const;

/**
 * Returns a pool's state from its `state` file, lower-cased: "ONLINE\n" → 'online'.
 * An empty file gives '' (no state active), as node_exporter.
 */
export function parseZpoolState(text: string): string {
  const nl = text.indexOf('\n');
  return (nl < 0 ? text : text.slice(0, nl)).replace(/\r$/, '').toLowerCase();
}
