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

/** What a binding of adjtimex(2) offers: one read-only call. */
export interface TimexBinding {
  /** Calls adjtimex(2) with modes 0; throws an Error whose `code` is the errno name when it returns -1. */
  adjtimex(): RawTimex;
}

/** The shared objects tried for adjtimex: glibc's soname (musl's loader answers to it as well), then the dev name. */
const LIBC_NAMES = ['libc.so.6', 'libc.so'] as const;

/** errno values adjtimex(2) documents, by name (asm-generic/errno-base.h). */
const ERRNO_NAMES: Readonly<Record<number, string>> = { 1: 'EPERM', 13: 'EACCES', 14: 'EFAULT', 22: 'EINVAL', 38: 'ENOSYS' };

/** `struct timex` as koffi sees it (C layout of <sys/timex.h>; `long` is the platform's). */
type KoffiTimex = {
  modes: number;
  offset: number;
  freq: number;
  maxerror: number;
  esterror: number;
  status: number;
  constant: number;
  precision: number;
  tolerance: number;
  time: { tv_sec: number; tv_usec: number };
  tick: number;
  ppsfreq: number;
  jitter: number;
  shift: number;
  stabil: number;
  jitcnt: number;
  calcnt: number;
  errcnt: number;
  stbcnt: number;
  tai: number;
};

/**
 * Returns a binding of libc's adjtimex(2) through the koffi FFI (prebuilt for Linux x64,
 * arm64, arm, ia32, riscv64 and musl, so installing needs no compiler). `struct timex`
 * follows <sys/timex.h> (glibc misc/bits/timex.h): unsigned modes, `long` fields, a
 * struct timeval, int status/shift/tai and eleven int of padding. Throws RXP_NATIVE when
 * koffi or libc cannot be loaded.
 */
export function createKoffiTimex(): TimexBinding {
  // Loaded here, not at import: koffi and libc are needed by the timex collector alone.
  let koffi: typeof import('koffi');
  try {
    koffi = require('koffi') as typeof import('koffi');
  } catch (e) {
    throw new RxporterError('RXP_NATIVE', `timex: cannot load the koffi FFI module: ${(e as Error).message}`, false, { cause: e });
  }
  let lib: ReturnType<typeof koffi.load> | undefined;
  const failures: string[] = [];
  for (const name of LIBC_NAMES) {
    try {
      lib = koffi.load(name);
      break;
    } catch (e) {
      failures.push(`${name}: ${(e as Error).message}`);
    }
  }
  if (lib === undefined) throw new RxporterError('RXP_NATIVE', `timex: cannot load libc (${failures.join('; ')})`);
  // type(name) reuses a type already declared in this process (a second binding, another test).
  const type = (name: string, make: () => unknown) => {
    try {
      return koffi.type(name);
    } catch {
      return make();
    }
  };
  const timeval = type('rxp_timeval', () => koffi.struct('rxp_timeval', { tv_sec: 'long', tv_usec: 'long' }));
  const timex = type('rxp_timex', () =>
    koffi.struct('rxp_timex', {
      modes: 'unsigned int',
      offset: 'long',
      freq: 'long',
      maxerror: 'long',
      esterror: 'long',
      status: 'int',
      constant: 'long',
      precision: 'long',
      tolerance: 'long',
      time: timeval as string,
      tick: 'long',
      ppsfreq: 'long',
      jitter: 'long',
      shift: 'int',
      stabil: 'long',
      jitcnt: 'long',
      calcnt: 'long',
      errcnt: 'long',
      stbcnt: 'long',
      tai: 'int',
      reserved: koffi.array('int', 11),
    }),
  );
  let call: (buf: KoffiTimex | Record<string, number>) => number;
  try {
    call = lib.func('adjtimex', 'int', [koffi.inout(koffi.pointer(timex as string))]) as typeof call;
  } catch (e) {
    throw new RxporterError('RXP_NATIVE', `timex: libc has no adjtimex: ${(e as Error).message}`, false, { cause: e });
  }
  return {
    adjtimex(): RawTimex {
      const t = { modes: 0 } as KoffiTimex; // modes 0: read the state, change nothing
      const state = call(t);
      if (state === -1) {
        const errno = koffi.errno();
        throw Object.assign(new Error(`adjtimex: errno ${errno}`), { code: ERRNO_NAMES[errno] ?? 'EUNKNOWN', errno });
      }
      return {
        state,
        modes: t.modes,
        offset: t.offset,
        freq: t.freq,
        maxerror: t.maxerror,
        esterror: t.esterror,
        status: t.status,
        constant: t.constant,
        precision: t.precision,
        tolerance: t.tolerance,
        timeSec: t.time.tv_sec,
        timeFrac: t.time.tv_usec,
        tick: t.tick,
        ppsfreq: t.ppsfreq,
        jitter: t.jitter,
        shift: t.shift,
        stabil: t.stabil,
        jitcnt: t.jitcnt,
        calcnt: t.calcnt,
        errcnt: t.errcnt,
        stbcnt: t.stbcnt,
        tai: t.tai,
      };
    },
  };
}

let shared: TimexBinding | undefined;

/** Returns the process's adjtimex binding, made on first use (see {@link createKoffiTimex}); a failed load throws each time. */
export function loadTimex(): TimexBinding {
  shared ??= createKoffiTimex();
  return shared;
}

/**
 * Returns the kernel clock discipline state read by adjtimex(2) with modes 0 (reads only,
 * needs no privilege). Throws RXP_NATIVE when the binding cannot be loaded or the call
 * fails, and RXP_NO_DATA when the call is not permitted (a seccomp profile), as
 * node_exporter's ErrNoData.
 */
export function readTimex(binding: () => TimexBinding = loadTimex): RawTimex {
  const b = binding();
  try {
    return b.adjtimex();
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    const message = `timex: adjtimex(2) failed: ${code ?? ''} ${(e as Error).message}`;
    if (code === 'EPERM' || code === 'EACCES') throw new RxporterError('RXP_NO_DATA', message, false, { cause: e });
    throw new RxporterError('RXP_NATIVE', message, false, { cause: e });
  }
}
