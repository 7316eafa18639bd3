import { byteOrder, fields, goFloat, goInt, goIntBase0, goUint, scanLines, trimSpace } from '../../src/procfs/goStrconv';

describe('goUint (strconv.ParseUint base 10)', () => {
  it.each([
    ['0', 0],
    ['1884160', 1884160],
    ['18446744073709551615', 18446744073709551615],
    ['18446744073709551616', NaN],
    ['000000000000000000001', 1],
    ['', NaN],
    ['-1', NaN],
    ['+1', NaN],
    ['1.5', NaN],
    ['0x10', NaN],
    [' 1', NaN],
  ])('reads %j as %p', (s, want) => expect(goUint(s)).toBe(want));
});

describe('goInt (strconv.ParseInt base 10)', () => {
  it.each([
    ['-12', -12],
    ['+3', 3],
    ['42', 42],
    ['-', NaN],
    ['1e3', NaN],
    ['9223372036854775808', NaN],
    ['-9223372036854775808', -9223372036854775808],
    ['00000000000000000000042', 42],
  ])('reads %j as %p', (s, want) => expect(goInt(s)).toBe(want));
});

describe('goIntBase0 (strconv.ParseInt base 0)', () => {
  it.each([
    ['7801', 7801],
    ['-5', -5],
    ['0', 0],
    ['0x10', 16],
    ['0X1f', 31],
    ['010', 8],
    ['0o17', 15],
    ['0b101', 5],
    ['1_000', 1000],
    ['0x_1', 1],
    ['08', NaN],
    ['1__0', NaN],
    ['_1', NaN],
    ['1_', NaN],
    ['0x', NaN],
    ['abc', NaN],
    ['', NaN],
  ])('reads %j as %p', (s, want) => expect(goIntBase0(s)).toBe(want));
});

describe('goFloat (strconv.ParseFloat for decimals)', () => {
  it.each([
    ['0.21', true, 0.21],
    ['1e3', true, 1000],
    ['-1.5E-2', true, -0.015],
    ['1.', true, 1],
    ['.5', true, 0.5],
    ['Inf', true, Infinity],
    ['-infinity', true, -Infinity],
    ['.', false, NaN],
    ['', false, NaN],
    ['1e', false, NaN],
    ['12a', false, NaN],
    ['0x10', false, NaN],
  ])('reads %j: ok %p, value %p', (s, ok, value) => {
    const r = goFloat(s);
    expect(r.ok).toBe(ok);
    if (ok) expect(r.value).toBe(value);
  });

  it('reads NaN as a valid NaN', () => {
    const r = goFloat('NaN');
    expect(r.ok).toBe(true);
    expect(Number.isNaN(r.value)).toBe(true);
  });
});

describe('fields, scanLines, trimSpace, byteOrder', () => {
  it('splits on runs of ASCII whitespace like strings.Fields', () => {
    expect(fields('  a\tb  c \n')).toEqual(['a', 'b', 'c']);
    expect(fields('   ')).toEqual([]);
  });

  it('yields lines as bufio.Scanner does: no empty last line, CR dropped', () => {
    expect(scanLines('a\nb\r\n')).toEqual(['a', 'b']);
    expect(scanLines('a\n\nb')).toEqual(['a', '', 'b']);
    expect(scanLines('')).toEqual([]);
  });

  it('trims ASCII whitespace only at the ends', () => {
    expect(trimSpace(' \t a b \n')).toBe('a b');
    expect(trimSpace('ab')).toBe('ab');
  });

  it('orders names bytewise like Go (cpu10 before cpu2)', () => {
    expect(['cpu2', 'cpu10', 'cpu1'].sort(byteOrder)).toEqual(['cpu1', 'cpu10', 'cpu2']);
  });
});
