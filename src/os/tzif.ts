import { readFileSync } from 'node:fs';
import { isAbsolute, join } from 'node:path';

/** A time zone file (TZif, RFC 8536) reduced to what naming the current zone needs. */
export interface Tzif {
  /** Transition times, seconds since the epoch, ascending. */
  readonly transitions: readonly number[];
  /** The local time type index of each transition. */
  readonly transitionTypes: readonly number[];
  readonly types: readonly { readonly utoff: number; readonly isdst: boolean; readonly abbr: string }[];
  /** The POSIX TZ string of version 2+ files, for times after the last transition ("" when absent). */
  readonly footer: string;
}

const cstr = (b: Buffer, at: number): string => {
  const end = b.indexOf(0, at);
  return b.toString('latin1', at, end < 0 ? b.length : end);
};

/**
 * Returns the transitions, types and footer of a TZif file, from its 64-bit block when the
 * file has one. Returns undefined for data that is not TZif or is truncated.
 */
export function parseTzif(b: Buffer): Tzif | undefined {
  if (b.length < 44 || b.toString('latin1', 0, 4) !== 'TZif') return undefined;
  const header = (at: number) => ({
    isutcnt: b.readUInt32BE(at + 20),
    isstdcnt: b.readUInt32BE(at + 24),
    leapcnt: b.readUInt32BE(at + 28),
    timecnt: b.readUInt32BE(at + 32),
    typecnt: b.readUInt32BE(at + 36),
    charcnt: b.readUInt32BE(at + 40),
  });
  let h = header(0);
  let at = 44;
  let timeSize = 4;
  const v1Size = (x: typeof h) => x.timecnt * 5 + x.typecnt * 6 + x.charcnt + x.leapcnt * 8 + x.isstdcnt + x.isutcnt;
  if (b[4] !== 0) {
    // Version 2+: skip the 32-bit block, read the 64-bit one.
    const second = 44 + v1Size(h);
    if (b.length < second + 44) return undefined;
    h = header(second);
    at = second + 44;
    timeSize = 8;
  }
  const need = h.timecnt * (timeSize + 1) + h.typecnt * 6 + h.charcnt + h.leapcnt * (timeSize + 4) + h.isstdcnt + h.isutcnt;
  if (b.length < at + need) return undefined;
  const transitions: number[] = [];
  for (let i = 0; i < h.timecnt; i++) transitions.push(timeSize === 8 ? Number(b.readBigInt64BE(at + i * 8)) : b.readInt32BE(at + i * 4));
  at += h.timecnt * timeSize;
  const transitionTypes = [...b.subarray(at, at + h.timecnt)];
  at += h.timecnt;
  const raw: { utoff: number; isdst: boolean; idx: number }[] = [];
  for (let i = 0; i < h.typecnt; i++) raw.push({ utoff: b.readInt32BE(at + i * 6), isdst: b[at + i * 6 + 4] !== 0, idx: b[at + i * 6 + 5] });
  at += h.typecnt * 6;
  const chars = b.subarray(at, at + h.charcnt);
  at += h.charcnt + h.leapcnt * (timeSize + 4) + h.isstdcnt + h.isutcnt;
  let footer = '';
  if (timeSize === 8 && b[at] === 0x0a) {
    const end = b.indexOf(0x0a, at + 1);
    if (end > at) footer = b.toString('latin1', at + 1, end);
  }
  return { transitions, transitionTypes, types: raw.map((t) => ({ utoff: t.utoff, isdst: t.isdst, abbr: cstr(chars, t.idx) })), footer };
}

/** Returns the standard and daylight names and the standard offset (seconds east) of a POSIX TZ string such as "CET-1CEST,M3.5.0,M10.5.0/3". */
export function parsePosixTz(tz: string): { std: string; stdOffset: number; dst?: string } | undefined {
  let i = 0;
  const name = (): string | undefined => {
    if (tz[i] === '<') {
      const end = tz.indexOf('>', i);
      if (end < 0) return undefined;
      const n = tz.slice(i + 1, end);
      i = end + 1;
      return n;
    }
    const s = i;
    while (i < tz.length && /[A-Za-z]/.test(tz[i])) i++;
    return i - s >= 3 ? tz.slice(s, i) : undefined;
  };
  const std = name();
  if (std === undefined) return undefined;
  const s = i;
  while (i < tz.length && /[-+0-9:]/.test(tz[i])) i++;
  const off = tz.slice(s, i);
  if (off === '') return undefined;
  const neg = off[0] === '-';
  const [hh, mm, ss] = off.replace(/^[-+]/, '').split(':').map(Number);
  const west = (hh * 3600 + (mm || 0) * 60 + (ss || 0)) * (neg ? -1 : 1);
  const dst = i < tz.length && tz[i] !== ',' ? name() : undefined;
  return { std, stdOffset: -west || 0, dst };
}

/**
 * Returns the zone abbreviation in force at `nowSec` (as Go's time.Now().Zone() names it)
 * given the current offset in seconds east of UTC.
 */
export function zoneAbbreviation(tz: Tzif, nowSec: number, offset: number): string {
  const n = tz.transitions.length;
  if (n > 0 && nowSec >= tz.transitions[0] && (nowSec < tz.transitions[n - 1] || tz.footer === '')) {
    let lo = 0;
    let hi = n - 1;
    while (lo < hi) {
      const mid = (lo + hi + 1) >> 1;
      if (tz.transitions[mid] <= nowSec) lo = mid;
      else hi = mid - 1;
    }
    return tz.types[tz.transitionTypes[lo]]?.abbr ?? 'UTC';
  }
  if (tz.footer !== '' && (n === 0 || nowSec >= tz.transitions[n - 1])) {
    const p = parsePosixTz(tz.footer);
    if (p) return p.dst !== undefined && offset !== p.stdOffset ? p.dst : p.std;
  }
  // Before the first transition Go uses the first standard-time type.
  const first = tz.types.find((t) => !t.isdst) ?? tz.types[0];
  return first?.abbr ?? 'UTC';
}

/** The directories Go searches for a $TZ zone name. */
const ZONE_DIRS = ['/usr/share/zoneinfo/', '/usr/share/lib/zoneinfo/', '/usr/lib/locale/TZ/', '/etc/zoneinfo'];

/**
 * Returns the local zone file as Go's time package loads it: $TZ unset → /etc/localtime,
 * $TZ "" or "UTC" → UTC (undefined), otherwise the named file. Undefined means UTC.
 */
export function loadLocalTzif(env: NodeJS.ProcessEnv = process.env): Tzif | undefined {
  const tz = env.TZ;
  const tryRead = (p: string): Tzif | undefined => {
    try {
      return parseTzif(readFileSync(p));
    } catch {
      return undefined;
    }
  };
  if (tz === undefined) return tryRead('/etc/localtime');
  const name = tz.startsWith(':') ? tz.slice(1) : tz;
  if (name === '' || name === 'UTC') return undefined;
  if (isAbsolute(name)) return tryRead(name);
  if (name.includes('..')) return undefined;
  for (const d of ZONE_DIRS) {
    const t = tryRead(join(d, name));
    if (t) return t;
  }
  return undefined;
}
