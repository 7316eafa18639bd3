import { RxporterError } from '../errors';
import { fields, goFloat, goUint, scanLines } from './goStrconv';

/** One line of a /proc/pressure file. */
export interface PsiLine {
  readonly avg10: number;
  readonly avg60: number;
  readonly avg300: number;
  /** Total stall time in microseconds. */
  readonly total: number;
}

/** The "some" and "full" lines of a /proc/pressure/<resource> file (absent when the file has none). */
export interface PsiStats {
  readonly some?: PsiLine;
  readonly full?: PsiLine;
}

const KEYS = ['avg10', 'avg60', 'avg300', 'total'] as const;

/**
 * Returns the "some" and "full" lines of a pressure file; other lines are ignored.
 *   "some avg10=0.18 avg60=0.34 avg300=0.10 total=159886802" → some: { avg10: 0.18, …, total: 159886802 }
 * Throws RXP_PROC_PARSE quoting a some/full line that is not "avg10=F avg60=F avg300=F total=N".
 */
export function parsePressure(text: string): PsiStats {
  let some: PsiLine | undefined;
  let full: PsiLine | undefined;
  for (const line of scanLines(text)) {
    const sp = line.indexOf(' ');
    const prefix = sp < 0 ? line : line.slice(0, sp);
    if (prefix !== 'some' && prefix !== 'full') continue;
    const f = fields(line.slice(prefix.length));
    const vals: number[] = [];
    for (let i = 0; i < KEYS.length; i++) {
      const kv = f[i];
      const eq = kv === undefined ? -1 : kv.indexOf('=');
      const key = eq < 0 ? '' : kv.slice(0, eq);
      const raw = eq < 0 ? '' : kv.slice(eq + 1);
      const v = KEYS[i] === 'total' ? { ok: !Number.isNaN(goUint(raw)), value: goUint(raw) } : goFloat(raw);
      if (key !== KEYS[i] || !v.ok) throw new RxporterError('RXP_PROC_PARSE', `pressure: invalid line ${JSON.stringify(line)}`);
      vals.push(v.value);
    }
    const psi = { avg10: vals[0], avg60: vals[1], avg300: vals[2], total: vals[3] };
    if (prefix === 'some') some = psi;
    else full = psi;
  }
  return { some, full };
}
