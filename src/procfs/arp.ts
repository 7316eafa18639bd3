import { RxporterError } from '../errors';
import { splitFields, uintBase0OrNaN } from './fields';

/** One line of /proc/net/arp. */
export interface ArpEntry {
  readonly ip: string;
  readonly hwAddr: string;
  readonly flags: number;
  readonly device: string;
}

const MAC_RE = /^([0-9a-fA-F]{2}[:-]){5}[0-9a-fA-F]{2}$|^([0-9a-fA-F]{2}[:-]){7}[0-9a-fA-F]{2}$|^([0-9a-fA-F]{2}[:-]){19}[0-9a-fA-F]{2}$|^([0-9a-fA-F]{4}\.){2,9}[0-9a-fA-F]{4}$/;

/**
 * Returns the entries of /proc/net/arp: six columns per line, the 9-column header and
 * blank lines skipped.
 *   "192.168.1.1    0x1         0x2         cc:aa:dd:ee:aa:bb     *        eth0"
 * Throws RXP_PROC_PARSE quoting the line on another column count, a malformed hardware
 * address (Go's net.ParseMAC forms) or flags that are not a byte.
 */
export function parseArp(text: string): ArpEntry[] {
  const out: ArpEntry[] = [];
  for (const line of text.split('\n')) {
    const c = splitFields(line);
    if (c.length === 0 || c.length === 9) continue;
    const flags = c.length === 6 ? uintBase0OrNaN(c[2]) : NaN;
    const ok = c.length === 6 && MAC_RE.test(c[3]) && (c[3].includes('.') || !/[:].*[-]|[-].*[:]/.test(c[3])) && flags <= 255;
    if (!ok) throw new RxporterError('RXP_PROC_PARSE', `net/arp: invalid line: ${JSON.stringify(line)}`);
    out.push({ ip: c[0], hwAddr: c[3], flags, device: c[5] });
  }
  return out;
}
