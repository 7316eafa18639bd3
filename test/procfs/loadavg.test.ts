import { RxporterError } from '../../src/errors';
import { parseLoadavg } from '../../src/procfs/loadavg';
import { thrown } from '../support/thrown';

describe('parseLoadavg', () => {
  it.each([
    ['0.21 0.37 0.39 1/719 19737\n', [0.21, 0.37, 0.39]],
    ['1 2 3', [1, 2, 3]],
    ['0.00  0.01\t0.05 extra fields are fine', [0, 0.01, 0.05]],
  ])('reads %j', (text, want) => expect(parseLoadavg(text)).toEqual(want));

  it.each([
    ['an empty file', ''],
    ['a truncated file', '0.21 0.37'],
    ['a non-number', '0.21 high 0.39 1/2 3'],
  ])('throws RXP_PROC_PARSE for %s', (_n, text) => {
    const e = thrown(() => parseLoadavg(text));
    expect(e).toBeInstanceOf(RxporterError);
    expect(e).toMatchObject({ code: 'RXP_PROC_PARSE' });
  });
});
