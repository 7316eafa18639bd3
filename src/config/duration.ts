import { RxporterError } from '../errors';

const UNIT_MS: Record<string, number> = { ms: 1, s: 1000, m: 60_000, h: 3_600_000, d: 86_400_000, w: 604_800_000, y: 31_536_000_000 };
const PART = /(\d+(?:\.\d+)?)(ms|s|m|h|d|w|y)/y;

/**
 * Returns a Prometheus-style duration in milliseconds: "30s" → 30000, "1m30s" → 90000,
 * "500ms" → 500; a number is taken as milliseconds. Throws RXP_CONFIG otherwise.
 */
export function parseDuration(v: unknown): number {
  if (typeof v === 'number' && Number.isFinite(v) && v >= 0) return v;
  if (typeof v !== 'string' || v === '') throw new RxporterError('RXP_CONFIG', `invalid duration ${JSON.stringify(v)}`);
  if (/^\d+$/.test(v)) return Number(v);
  let total = 0;
  PART.lastIndex = 0;
  while (PART.lastIndex < v.length) {
    const at = PART.lastIndex;
    const m = PART.exec(v);
    if (!m || m.index !== at) throw new RxporterError('RXP_CONFIG', `invalid duration ${JSON.stringify(v)}`);
    total += Number(m[1]) * UNIT_MS[m[2]];
  }
  return total;
}

/** Returns true when `v` parses as a duration. */
export const isDuration = (v: unknown): boolean => {
  try {
    parseDuration(v);
    return true;
  } catch {
    return false;
  }
};
