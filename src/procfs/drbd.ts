import { RxporterError } from '../errors';
import { fields, parseFloat64, parseUint } from '../sysfs/parse';

/** One key:value pair of /proc/drbd with the device it belongs to. */
export interface DrbdField {
  /** "drbd<minor>", or "unknown" before the first device line. */
  readonly device: string;
  readonly key: string;
  readonly value: string;
}

/**
 * Returns the key:value words of /proc/drbd (DRBD 8), each with its device; words
 * without exactly one ':' are skipped (as node_exporter).
 *   " 1: cs:Connected ro:Primary/Primary" → [{ device: 'drbd1', key: 'cs', value: 'Connected' }, …]
 */
export function parseDrbd(text: string): DrbdField[] {
  const out: DrbdField[] = [];
  let device = 'unknown';
  for (const word of fields(text)) {
    const colon = word.indexOf(':');
    if (colon < 0 || word.indexOf(':', colon + 1) >= 0) continue;
    const key = word.slice(0, colon);
    const value = word.slice(colon + 1);
    const id = parseUint(key);
    if (!Number.isNaN(id) && value === '') {
      device = `drbd${id}`;
      continue;
    }
    out.push({ device, key, value });
  }
  return out;
}

/** Returns a numeric /proc/drbd value; RXP_PROC_PARSE for a non-number. */
export function drbdNumber(f: DrbdField): number {
  const v = parseFloat64(f.value);
  if (Number.isNaN(v) && f.value.toLowerCase() !== 'nan') throw new RxporterError('RXP_PROC_PARSE', `drbd: invalid value ${JSON.stringify(`${f.key}:${f.value}`)}`);
  return v;
}
