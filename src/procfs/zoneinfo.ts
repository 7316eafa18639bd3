import { RxporterError } from '../errors';
import { fields, goIntBase0, trimSpace } from './goStrconv';

/** One "Node N, zone Z" block of /proc/zoneinfo. */
export interface Zone {
  readonly node: string;
  readonly zone: string;
  /** Values of the keys in ZONEINFO_KEYS the block has, by key (a later line wins). */
  readonly values: Map<string, number>;
  /** The `protection:` array, when the block has a readable one. */
  readonly protection?: readonly number[];
}

/** The /proc/zoneinfo keys procfs reads (the per-node stats of a node's first zone included). */
export const ZONEINFO_KEYS: ReadonlySet<string> = new Set([
  'nr_free_pages', 'min', 'low', 'high', 'scanned', 'spanned', 'present', 'managed',
  'nr_active_anon', 'nr_inactive_anon', 'nr_isolated_anon', 'nr_anon_pages', 'nr_anon_transparent_hugepages',
  'nr_active_file', 'nr_inactive_file', 'nr_isolated_file', 'nr_file_pages', 'nr_slab_reclaimable',
  'nr_slab_unreclaimable', 'nr_mlock_stack', 'nr_kernel_stack', 'nr_mapped', 'nr_dirty', 'nr_writeback',
  'nr_unevictable', 'nr_shmem', 'nr_dirtied', 'nr_written', 'numa_hit', 'numa_miss', 'numa_foreign',
  'numa_interleave', 'numa_local', 'numa_other',
]);

const isDigit = (c: number): boolean => c >= 48 && c <= 57;
const isWord = (c: number): boolean => isDigit(c) || (c >= 65 && c <= 90) || (c >= 97 && c <= 122) || c === 95;
const isSpace = (c: number): boolean => c === 32 || (c >= 9 && c <= 13);

/** Returns [node, zone] of a "Node 0, zone   Normal" header (procfs' `(\d+), zone\s+(\w+)`), or undefined. */
export function matchZoneHeader(line: string): [string, string] | undefined {
  for (let at = line.indexOf(', zone'); at >= 0; at = line.indexOf(', zone', at + 1)) {
    let s = at;
    while (s > 0 && isDigit(line.charCodeAt(s - 1))) s--;
    if (s === at) continue;
    let p = at + 6;
    const ws = p;
    while (p < line.length && isSpace(line.charCodeAt(p))) p++;
    if (p === ws) continue;
    const z = p;
    while (p < line.length && isWord(line.charCodeAt(p))) p++;
    if (p === z) continue;
    return [line.slice(s, at), line.slice(z, p)];
  }
  return undefined;
}

/** Returns the protection array of "protection: (0, 2039, 31932)", or undefined when unreadable (procfs ignores it then). */
function parseProtection(line: string): number[] | undefined {
  const parts = line.split(':');
  let v = parts[1].replace('(', '').replace(')', '');
  v = trimSpace(v);
  const out: number[] = [];
  for (const item of v.split(', ')) {
    if (!/^[+-]?\d+$/.test(item)) return undefined;
    out.push(Number(item));
  }
  return out;
}

/**
 * Returns the zones of /proc/zoneinfo, one per "Node" block, with the values procfs reads.
 *   "Node 0, zone      DMA" … "        min      8" … "        protection: (0, 2039)"
 *     → { node: "0", zone: "DMA", values: { min: 8, … }, protection: [0, 2039] }
 * Throws RXP_PROC_PARSE for an empty file and, quoting the line, for a value that is not
 * an integer (procfs would export 0 for it).
 */
export function parseZoneinfo(text: string): Zone[] {
  if (trimSpace(text) === '') throw new RxporterError('RXP_PROC_PARSE', 'zoneinfo: empty file');
  const out: Zone[] = [];
  for (const block of text.split('\nNode')) {
    let node = '';
    let zone = '';
    let protection: number[] | undefined;
    const values = new Map<string, number>();
    for (const line of block.split('\n')) {
      if (line.includes(', zone')) {
        const m = matchZoneHeader(line);
        if (m) {
          [node, zone] = m;
          continue;
        }
      }
      const parts = fields(line);
      if (parts.length < 2 || (parts[0] === 'per-node' && parts[1] === 'stats')) continue;
      const key = parts[0];
      if (key === 'protection:') {
        const p = parseProtection(line);
        if (p) protection = p;
        continue;
      }
      if (!ZONEINFO_KEYS.has(key)) continue;
      const v = goIntBase0(parts[1]);
      if (Number.isNaN(v)) throw new RxporterError('RXP_PROC_PARSE', `zoneinfo: invalid value in line ${JSON.stringify(line)}`);
      values.set(key, v);
    }
    out.push({ node, zone, values, protection });
  }
  return out;
}
