import { RxporterError } from '../errors';
import { fields, goInt, scanLines } from './goStrconv';

/** One cache of /proc/slabinfo (version 2.1), the columns node_exporter exports. */
export interface Slab {
  readonly name: string;
  readonly activeObjects: number;
  readonly objects: number;
  readonly objectSize: number;
  readonly objectsPerSlab: number;
  readonly pagesPerSlab: number;
}

const isSpace = (c: number): boolean => c === 32 || (c >= 9 && c <= 13);

/**
 * Returns the caches of a version 2.1 /proc/slabinfo; the version and "# name" header lines
 * are skipped. Every other line must have exactly 16 columns, as procfs requires.
 *   "tw_sock_TCP  704  864  256  32  2 : tunables 0 0 0 : slabdata 27 27 0"
 *     → { name: "tw_sock_TCP", activeObjects: 704, objects: 864, objectSize: 256, objectsPerSlab: 32, pagesPerSlab: 2 }
 * Throws RXP_PROC_PARSE quoting the line for another column count or a non-integer, and for
 * an empty file.
 */
export function parseSlabinfo(text: string): Slab[] {
  const lines = scanLines(text);
  if (lines.length === 0) throw new RxporterError('RXP_PROC_PARSE', 'slabinfo: empty file');
  const out: Slab[] = [];
  for (const line of lines) {
    if (line.includes('slabinfo -') || line.includes('# name')) continue;
    const s = fields(line);
    // procfs collapses whitespace and splits on " ": leading or trailing blanks add a column.
    const edges = line.length > 0 && (isSpace(line.charCodeAt(0)) || isSpace(line.charCodeAt(line.length - 1)));
    const bad = () => new RxporterError('RXP_PROC_PARSE', `slabinfo: unable to parse line ${JSON.stringify(line)}`);
    if (s.length !== 16 || edges) throw bad();
    const v = [1, 2, 3, 4, 5, 8, 9, 10, 13, 14, 15].map((i) => goInt(s[i]));
    if (v.some(Number.isNaN)) throw bad();
    out.push({ name: s[0], activeObjects: v[0], objects: v[1], objectSize: v[2], objectsPerSlab: v[3], pagesPerSlab: v[4] });
  }
  return out;
}
