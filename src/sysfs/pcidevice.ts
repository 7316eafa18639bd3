import { RxporterError } from '../errors';
import { parseFloat64, parseInt64 } from './parse';

/** A PCI address: segment, bus, device and function. */
export interface PciLocation {
  readonly segment: number;
  readonly bus: number;
  readonly device: number;
  readonly function: number;
}

const hex = (s: string): number => {
  if (s.length === 0 || s.length > 8) return NaN;
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i) | 0x20;
    if (!((c >= 48 && c <= 57) || (c >= 97 && c <= 102))) return NaN;
  }
  return parseInt(s, 16);
};

/**
 * Returns a PCI location parsed from "ssss:bb:dd.f", or undefined when it has another shape.
 *   "0000:01:00.0" → { segment: 0, bus: 1, device: 0, function: 0 }
 */
export function parsePciLocation(s: string): PciLocation | undefined {
  const parts = s.split(':');
  if (parts.length !== 3) return undefined;
  const df = parts[2].split('.');
  if (df.length !== 2) return undefined;
  const v = [hex(parts[0]), hex(parts[1]), hex(df[0]), hex(df[1])];
  if (v.some(Number.isNaN)) return undefined;
  return { segment: v[0], bus: v[1], device: v[2], function: v[3] };
}

/** Returns the location as node_exporter's four label values (%04x, %02x, %02x, %x). */
export const pciLocationLabels = (l: PciLocation): [string, string, string, string] => [
  l.segment.toString(16).padStart(4, '0'),
  l.bus.toString(16).padStart(2, '0'),
  l.device.toString(16).padStart(2, '0'),
  l.function.toString(16),
];

/**
 * Returns an integer spelled as Go's strconv.ParseInt(s, 0, 32) accepts it (0x hex, 0o or
 * leading-0 octal, 0b binary, decimal), or NaN.
 *   "0x1022" → 4130, "0x060400" → 394240, "17" → 17, "0x" → NaN
 */
export function parseIntBase0(s: string): number {
  let t = s;
  let sign = 1;
  if (t.startsWith('-') || t.startsWith('+')) {
    if (t[0] === '-') sign = -1;
    t = t.slice(1);
  }
  let v: number;
  const lower = t.toLowerCase();
  if (lower.startsWith('0x')) v = hex(t.slice(2));
  else if (lower.startsWith('0b')) v = /^[01]+$/.test(t.slice(2)) ? parseInt(t.slice(2), 2) : NaN;
  else if (lower.startsWith('0o')) v = /^[0-7]+$/.test(t.slice(2)) ? parseInt(t.slice(2), 8) : NaN;
  else if (t.length > 1 && t[0] === '0') v = /^[0-7]+$/.test(t) ? parseInt(t, 8) : NaN;
  else v = parseInt64(t);
  v *= sign;
  return v >= -(2 ** 31) && v < 2 ** 31 ? v : NaN;
}

/**
 * Returns the transfer rate in GT/s of a `max_link_speed`/`current_link_speed` value, or
 * undefined for an empty or "Unknown…" one.
 *   "8.0 GT/s PCIe" → 8, "Unknown" → undefined
 * Throws RXP_PROC_PARSE for another unit or a non-number.
 */
export function parsePciLinkSpeed(s: string): number | undefined {
  if (s === '' || s.startsWith('Unknown')) return undefined;
  const sp = s.indexOf(' ');
  if (sp < 0 || s.slice(sp + 1) !== 'GT/s PCIe') throw new RxporterError('RXP_PROC_PARSE', `pci link speed: unexpected value ${JSON.stringify(s)}`);
  const v = parseFloat64(s.slice(0, sp).trim());
  if (Number.isNaN(v)) throw new RxporterError('RXP_PROC_PARSE', `pci link speed: unexpected value ${JSON.stringify(s)}`);
  return v;
}

/** Names from a pci.ids database. */
export interface PciIds {
  readonly vendors: Map<string, string>;
  readonly devices: Map<string, string>; // "vvvv:dddd"
  readonly subsystems: Map<string, string>; // "vvvv:dddd:ssss:tttt"
  readonly classes: Map<string, string>; // "cc", "ccss", "ccsspp"
}

const split2 = (line: string): [string, string] | undefined => {
  const at = line.indexOf('  ');
  return at < 0 ? undefined : [line.slice(0, at).trim(), line.slice(at + 2).trim()];
};

/**
 * Returns the vendor, device, subsystem and class names of a pci.ids file, read as
 * node_exporter reads it (two spaces separate an ID from its name).
 *   "8086  Intel Corporation" / "\t1521  I350 Gigabit Network Connection" / "C 02  Network controller"
 */
export function parsePciIds(text: string): PciIds {
  const ids: PciIds = { vendors: new Map(), devices: new Map(), subsystems: new Map(), classes: new Map() };
  let vendor = '';
  let device = '';
  let baseClass = '';
  let subclass = '';
  let inClass = false;
  for (const line of text.split('\n')) {
    if (line === '' || line.startsWith('#')) continue;
    if (line.startsWith('C ')) {
      const p = split2(line);
      if (p) {
        baseClass = p[0].slice(1).trim();
        ids.classes.set(baseClass, p[1]);
        inClass = true;
      }
      continue;
    }
    const tabs = line.startsWith('\t\t\t') ? 3 : line.startsWith('\t\t') ? 2 : line.startsWith('\t') ? 1 : 0;
    if (inClass && tabs === 1) {
      const p = split2(line.slice(1));
      if (p && baseClass !== '') {
        subclass = baseClass + p[0];
        ids.classes.set(subclass, p[1]);
      }
      continue;
    }
    if (inClass && tabs === 2) {
      const p = split2(line.slice(2));
      if (p && subclass !== '') ids.classes.set(subclass + p[0], p[1]);
      continue;
    }
    if (tabs === 0) {
      const p = split2(line);
      if (p) {
        vendor = p[0];
        ids.vendors.set(vendor, p[1]);
        device = '';
        inClass = false;
      }
      continue;
    }
    if (tabs === 1) {
      const p = split2(line.slice(1));
      if (p && vendor !== '') {
        device = p[0];
        ids.devices.set(`${vendor}:${device}`, p[1]);
      }
      continue;
    }
    const p = split2(line.slice(2));
    if (p && vendor !== '' && device !== '') {
      const sub = p[0].split(/\s+/).filter((x) => x !== '');
      if (sub.length === 2) ids.subsystems.set(`${vendor}:${device}:${sub[0]}:${sub[1]}`, p[1]);
    }
  }
  return ids;
}
