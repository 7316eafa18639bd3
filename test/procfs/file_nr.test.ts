import { RxporterError } from '../../src/errors';
import { parseFileNr } from '../../src/procfs/file_nr';
import { thrown } from '../support/thrown';

describe('parseFileNr', () => {
  it('reads allocated and maximum', () => expect(parseFileNr('1024\t0\t1631329\n')).toEqual({ allocated: 1024, maximum: 1631329 }));

  it.each([
    ['an empty file', ''],
    ['a truncated file', '1024\t0'],
    ['spaces instead of tabs', '1024 0 1631329'],
    ['a non-number', '1024\t0\tlots'],
  ])('throws RXP_PROC_PARSE for %s', (_n, text) => {
    const e = thrown(() => parseFileNr(text));
    expect(e).toBeInstanceOf(RxporterError);
    expect(e).toMatchObject({ code: 'RXP_PROC_PARSE' });
  });
});
