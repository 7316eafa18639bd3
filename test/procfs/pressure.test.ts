import { RxporterError } from '../../src/errors';
import { parsePressure } from '../../src/procfs/pressure';
import { thrown } from '../support/thrown';

describe('parsePressure', () => {
  it('reads some and full lines', () => {
    expect(parsePressure('some avg10=0.18 avg60=0.34 avg300=0.10 total=159886802\nfull avg10=0.00 avg60=0.00 avg300=0.00 total=8494')).toEqual({
      some: { avg10: 0.18, avg60: 0.34, avg300: 0.1, total: 159886802 },
      full: { avg10: 0, avg60: 0, avg300: 0, total: 8494 },
    });
  });

  it('reads a file with only one kind of line, and ignores other lines', () => {
    expect(parsePressure('other stuff\nfull avg10=1 avg60=2 avg300=3 total=4\n')).toEqual({ some: undefined, full: { avg10: 1, avg60: 2, avg300: 3, total: 4 } });
    expect(parsePressure('')).toEqual({ some: undefined, full: undefined });
  });

  it.each([
    ['a truncated line', 'some avg10=0.18 avg60=0.34'],
    ['a non-number', 'some avg10=x avg60=0.34 avg300=0.10 total=1'],
    ['a fractional total', 'some avg10=0 avg60=0 avg300=0 total=1.5'],
    ['keys out of order', 'some avg60=0 avg10=0 avg300=0 total=1'],
  ])('throws RXP_PROC_PARSE for %s', (_n, text) => {
    const e = thrown(() => parsePressure(text));
    expect(e).toBeInstanceOf(RxporterError);
    expect(e).toMatchObject({ code: 'RXP_PROC_PARSE' });
  });
});
