import { isNoValue } from '../../src/procfs/noValue';
import { fields, lines, parseFloat64, parseInt64, parseInt64Base0, parseUint, parseValueOrNone } from '../../src/sysfs/parse';

describe('the kernel\'s "no value" markers', () => {
  it.each([
    ['', true],
    [' \n', true],
    ['<unknown>\n', true],
    ['<unsupported>', true],
    ['<not supported>', true],
    ['N/A', true],
    ['N/A (no battery)\n', true],
    ['1200000\n', false],
    ['0', false],
    ['<>', false],
    ['<1>', false],
    ['n/a?', false],
    ['unknown', false],
    ['garbage', false],
  ])('isNoValue(%j) is %p', (text, want) => expect(isNoValue(text)).toBe(want));

  it.each([
    ['1200000', parseUint, 1200000],
    ['-3', parseInt64, -3],
    ['0x10', parseInt64Base0, 16],
    ['NaN', parseFloat64, NaN],
    ['<unknown>', parseUint, undefined],
    ['', parseInt64, undefined],
    ['N/A', parseFloat64, undefined],
  ])('parseValueOrNone(%j) is %p', (text, parse, want) => expect(parseValueOrNone(text, parse, 'f')).toBe(want));

  it('throws RXP_PROC_PARSE naming the file for text that is neither a number nor a marker', () => {
    expect(() => parseValueOrNone('busy', parseUint, 'cpu0/x')).toThrow(expect.objectContaining({ code: 'RXP_PROC_PARSE', message: 'cpu0/x: invalid value "busy"' }) as Error);
  });
});


describe('number parsing as Go strconv', () => {
  it.each([
    ['123', 123],
    ['0', 0],
    ['-1', NaN],
    ['+1', NaN],
    ['1.5', NaN],
    ['', NaN],
    ['12a', NaN],
    ['123456789012345678901', NaN],
  ])('parseUint(%j) is %d', (s, want) => {
    expect(parseUint(s)).toBe(want);
  });

  it.each([
    ['-12', -12],
    ['+3', 3],
    ['--3', NaN],
  ])('parseInt64(%j) is %d', (s, want) => {
    expect(parseInt64(s)).toBe(want);
  });

  it.each([
    ['3.25', 3.25],
    ['-1e3', -1000],
    ['inf', Infinity],
    ['-Inf', -Infinity],
    ['1.2.3', NaN],
    ['x', NaN],
    ['', NaN],
  ])('parseFloat64(%j) is %d', (s, want) => {
    expect(parseFloat64(s)).toBe(want);
  });

  it.each([
    ['42', 42],
    ['0x8380', 0x8380],
    ['010', 8],
    ['0b101', 5],
    ['-0x10', -16],
    ['08', NaN],
    ['0x', NaN],
    ['1.5', NaN],
  ])('parseInt64Base0(%j) is %d', (s, want) => {
    expect(parseInt64Base0(s)).toBe(want);
  });
});

describe('text splitting', () => {
  it('splits fields on any whitespace, as strings.Fields', () => {
    expect(fields('  a\tb  c\r\n')).toEqual(['a', 'b', 'c']);
    expect(fields('')).toEqual([]);
  });

  it('drops only the final empty line', () => {
    expect(lines('a\n\nb\n')).toEqual(['a', '', 'b']);
    expect(lines('')).toEqual([]);
  });
});
