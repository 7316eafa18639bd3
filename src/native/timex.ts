import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { RxporterError } from '../errors';

/**
 * One reading of adjtimex(2) with modes 0: the fields of `struct timex` as the kernel fills
 * them (units as in the struct: see adjtimex(2)) and the call's return value.
 */
export interface RawTimex {
  /** The return value, the clock state: TIME_OK 0, TIME_INS 1, TIME_DEL 2, TIME_OOP 3, TIME_WAIT 4, TIME_ERROR 5. */
  readonly state: number;
  readonly modes: number;
  /** Time offset: nanoseconds when STA_NANO is set in `status`, else microseconds. */
  readonly offset: number;
  /** Frequency offset, ppm with a 16-bit fraction (65536 = 1 ppm). */
  readonly freq: number;
  /** Maximum error, microseconds. */
  readonly maxerror: number;
  /** Estimated error, microseconds. */
  readonly esterror: number;
  /** The STA_* status bits. */
  readonly status: number;
  /** PLL time constant. */
  readonly constant: number;
  /** Clock precision, microseconds (read only). */
  readonly precision: number;
  /** Maximum frequency error, ppm with a 16-bit fraction (read only). */
  readonly tolerance: number;
  /** Current time, seconds part. */
  readonly timeSec: number;
  /** Current time, fraction: nanoseconds when STA_NANO is set, else microseconds. */
  readonly timeFrac: number;
  /** Microseconds between clock ticks. */
  readonly tick: number;
  /** PPS frequency, ppm with a 16-bit fraction. */
  readonly ppsfreq: number;
  /** PPS jitter: nanoseconds when STA_NANO is set, else microseconds. */
  readonly jitter: number;
  /** PPS interval duration, log2 seconds. */
  readonly shift: number;
  /** PPS stability, ppm with a 16-bit fraction. */
  readonly stabil: number;
  readonly jitcnt: number;
  readonly calcnt: number;
  readonly errcnt: number;
  readonly stbcnt: number;
  /** TAI offset, seconds. */
  readonly tai: number;
}

/** What native/timex.c exports. */
interface TimexAddon {
  adjtimex(): RawTimex;
}

/** Where node-gyp puts the addon, relative to the package root. */
export const TIMEX_ADDON_REL = join('build', 'Release', 'timex.node');

/**
 * Returns the path of build/Release/timex.node in the first directory upwards from `from`
 * that has one, not looking above the package root (the first directory with a
 * package.json), or undefined. From src/native under ts-jest and from dist/src/native alike
 * this is the repository root.
 */
export function findTimexAddon(from: string = __dirname): string | undefined {
  for (let dir = from; ; dir = dirname(dir)) {
    const p = join(dir, TIMEX_ADDON_REL);
    if (existsSync(p)) return p;
    if (existsSync(join(dir, 'package.json')) || dir === dirname(dir)) return undefined;
  }
}

const loaded = new Map<string, TimexAddon>();
const loadedFrom = new Map<string, TimexAddon>();

/**
 * Returns the timex addon, loaded on first use from the build/Release/timex.node that
 * {@link findTimexAddon} finds from `from`. Throws RXP_NATIVE when it is not built or does
 * not load; a failed load is retried on the next call, so building the addon later needs
 * no restart.
 */
export function loadTimexAddon(from: string = __dirname): TimexAddon {
  const hint = 'build it with `npm run build:native` (node-gyp and a C compiler)';
  const known = loadedFrom.get(from);
  if (known) return known; // a loaded addon stays loaded: no path probing on later scrapes
  const path = findTimexAddon(from);
  if (path === undefined) {
    throw new RxporterError('RXP_NATIVE', `timex: native addon ${TIMEX_ADDON_REL} not found above ${from}; ${hint}`);
  }
  const cached = loaded.get(path);
  if (cached) {
    loadedFrom.set(from, cached);
    return cached;
  }
  let addon: TimexAddon;
  try {
    // A .node file loads only through require (process.dlopen); lazily, so that importing this module never fails.
    addon = require(path) as TimexAddon;
  } catch (e) {
    throw new RxporterError('RXP_NATIVE', `timex: cannot load native addon ${path}: ${(e as Error).message}; ${hint}`, false, { cause: e });
  }
  if (typeof addon?.adjtimex !== 'function') {
    throw new RxporterError('RXP_NATIVE', `timex: ${path} does not export adjtimex(); ${hint}`);
  }
  loaded.set(path, addon);
  loadedFrom.set(from, addon);
  return addon;
}

/**
 * Returns the kernel clock discipline state read by adjtimex(2) with modes 0 (reads only,
 * needs no privilege). Throws RXP_NATIVE when the addon is missing or the call fails, and
 * RXP_NO_DATA when the call is not permitted (a seccomp profile), as node_exporter's ErrNoData.
 */
export function readTimex(addon: () => TimexAddon = () => loadTimexAddon()): RawTimex {
  const a = addon();
  try {
    return a.adjtimex();
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    const message = `timex: adjtimex(2) failed: ${code ?? ''} ${(e as Error).message}`;
    if (code === 'EPERM' || code === 'EACCES') throw new RxporterError('RXP_NO_DATA', message, false, { cause: e });
    throw new RxporterError('RXP_NATIVE', message, false, { cause: e });
  }
}
