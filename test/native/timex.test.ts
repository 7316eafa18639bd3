import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { asyncScheduler } from 'rxjs';
import { RxporterError } from '../../src/errors';
import { findTimexAddon, loadTimexAddon, readTimex, TIMEX_ADDON_REL, type RawTimex } from '../../src/native/timex';
import { repoRoot } from '../support/paths';

const STA_NANO = 0x2000;

describe('timex native addon', () => {
  it('is found at the repository root from src/native (ts-jest) and from dist/src/native', () => {
    const expected = join(repoRoot(), TIMEX_ADDON_REL);
    expect(findTimexAddon()).toBe(expected);
    expect(findTimexAddon(join(repoRoot(), 'dist', 'src', 'native'))).toBe(expected);
  });

  it('reads sane values from adjtimex(2) on this host', () => {
    const t = readTimex();
    expect(t.state).toBeGreaterThanOrEqual(0);
    expect(t.state).toBeLessThanOrEqual(5);
    expect(t.modes).toBe(0);
    expect(t.tick).toBeGreaterThan(0); // 10000 µs at HZ=100 … 1000 µs at HZ=1000
    expect(t.tick).toBeLessThanOrEqual(1_000_000);
    expect(t.constant).toBeGreaterThanOrEqual(0);
    expect(t.maxerror).toBeGreaterThanOrEqual(0);
    expect(t.esterror).toBeGreaterThanOrEqual(0);
    expect(t.tolerance).toBeGreaterThan(0);
    // The clock it reports is the one Node reads (µs or ns fraction per STA_NANO).
    const fracPerSecond = (t.status & STA_NANO) !== 0 ? 1e9 : 1e6;
    expect(t.timeFrac).toBeGreaterThanOrEqual(0);
    expect(t.timeFrac).toBeLessThan(fracPerSecond);
    expect(Math.abs(t.timeSec + t.timeFrac / fracPerSecond - asyncScheduler.now() / 1000)).toBeLessThan(5);
    for (const v of Object.values(t)) expect(Number.isInteger(v)).toBe(true);
  });

  describe('when it cannot be used', () => {
    let dir: string;
    beforeAll(() => {
      dir = mkdtempSync(join(tmpdir(), 'rxp-timex-'));
    });
    afterAll(() => rmSync(dir, { recursive: true, force: true }));

    it('is looked for no higher than the package root', () => {
      mkdirSync(join(dir, 'build', 'Release'), { recursive: true });
      writeFileSync(join(dir, TIMEX_ADDON_REL), '');
      mkdirSync(join(dir, 'pkg', 'dist', 'src', 'native'), { recursive: true });
      writeFileSync(join(dir, 'pkg', 'package.json'), '{}');
      expect(findTimexAddon(join(dir, 'pkg', 'dist', 'src', 'native'))).toBeUndefined();
    });

    it.each([
      ['not built', () => join(dir, 'pkg', 'dist', 'src', 'native'), /native addon build\/Release\/timex\.node not found above .*npm run build:native/],
      ['not a shared object', () => dir, /cannot load native addon .*timex\.node: .*npm run build:native/],
    ])('throws RXP_NATIVE when it is %s', (_name, from, message) => {
      let e: unknown;
      try {
        loadTimexAddon(from());
      } catch (err) {
        e = err;
      }
      expect(e).toBeInstanceOf(RxporterError);
      expect(e).toMatchObject({ code: 'RXP_NATIVE', message: expect.stringMatching(message) });
    });

    it.each([
      ['EPERM', 'RXP_NO_DATA'],
      ['EACCES', 'RXP_NO_DATA'],
      ['EINVAL', 'RXP_NATIVE'],
    ])('maps a failed call with %s to %s', (errno, code) => {
      const adjtimex = (): RawTimex => {
        throw Object.assign(new Error('Operation not permitted'), { code: errno });
      };
      expect(() => readTimex(() => ({ adjtimex }))).toThrow(expect.objectContaining({ code, message: expect.stringContaining(errno) }));
    });
  });
});
