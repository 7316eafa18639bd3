import { osVersionNumber, parseOsRelease, supportEndSeconds } from '../../src/procfs/osRelease';
import { thrownCode } from '../support/edge';

describe('parseOsRelease', () => {
  it('reads quoted, single-quoted and plain values, skipping comments', () => {
    const env = parseOsRelease('# comment\nNAME="Debian GNU/Linux"\nID=debian\nVARIANT=\'Server Edition\'\nVERSION="12 (\\"bookworm\\")"\n\nexport BUILD_ID=x # trailing\n');
    expect([...env]).toEqual([
      ['NAME', 'Debian GNU/Linux'],
      ['ID', 'debian'],
      ['VARIANT', 'Server Edition'],
      ['VERSION', '12 ("bookworm")'],
      ['BUILD_ID', 'x'],
    ]);
  });

  it('reads an empty file as no variables', () => {
    expect(parseOsRelease('').size).toBe(0);
  });

  it.each([
    ['a line without "="', 'NAME\n'],
    ['an unterminated quote (truncated file)', 'NAME="Ubun'],
    ['an invalid key', '1NAME=x\n'],
    ['an unquoted value with blanks', 'NAME=Ubuntu Linux\n'],
  ])('rejects %s', (_n, text) => {
    expect(thrownCode(() => parseOsRelease(text))).toBe('RXP_PROC_PARSE');
  });
});

describe('os-release numbers', () => {
  it.each([
    ['20.04', 20.04],
    ['12', 12],
    ['3.18.4', 3.18],
    ['rolling', 0],
    ['', 0],
  ])('VERSION_ID %j is %d', (v, want) => {
    expect(osVersionNumber(v)).toBe(want);
  });

  it('reads SUPPORT_END as UTC midnight and rejects other spellings', () => {
    expect(supportEndSeconds('2028-06-30')).toBe(Date.UTC(2028, 5, 30) / 1000);
    expect(thrownCode(() => supportEndSeconds('2028-02-30'))).toBe('RXP_PROC_PARSE');
    expect(thrownCode(() => supportEndSeconds('June 2028'))).toBe('RXP_PROC_PARSE');
  });
});
