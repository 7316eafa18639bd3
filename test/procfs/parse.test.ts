import { fields, lines, parseFloat64, parseInt64, parseInt64Base0, parseUint } from '../../src/sysfs/parse';

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
