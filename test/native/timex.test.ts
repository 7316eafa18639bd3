import { asyncScheduler } from 'rxjs';
import { RxporterError } from '../../src/errors';
import { createKoffiTimex, loadTimex, readTimex, type RawTimex } from '../../src/native/timex';

const STA_NANO = 0x2000;

describe('timex binding (koffi, libc adjtimex)', () => {
  it('is made once per process and can be made again (koffi types are declared once)', () => {
    expect(loadTimex()).toBe(loadTimex());
    expect(createKoffiTimex().adjtimex().tick).toBe(loadTimex().adjtimex().tick);
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
