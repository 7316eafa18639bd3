import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseNetStatFile } from '../../src/procfs/lnstat';
import { neDataDir } from '../support/neFixtures';

describe('parseNetStatFile', () => {
  it("parses upstream's arp_cache: one value per CPU line, hexadecimal", () => {
    const text = readFileSync(join(neDataDir(), 'fixtures', 'proc', 'net', 'stat', 'arp_cache'), 'utf8');
    const s = parseNetStatFile(text);
    expect(s.headers).toHaveLength(13);
    expect(s.stats.get('entries')).toEqual([20, 20]);
    expect(s.stats.get('table_fulls')).toEqual([12, 24]);
  });

  it.each([
    ['an empty file', '', 0],
    ['a header only', 'entries allocs\n', 0],
    ['a line truncated short of the headers', 'entries allocs\n0a\n', 1],
    ['upper-case hex and a 64-bit value', 'a b\nFF ffffffffffffffff\n', 2],
  ])('accepts %s', (_n, text, headersWithValues) => {
    expect(parseNetStatFile(text).stats.size).toBe(headersWithValues);
  });

  it('rounds a 64-bit counter as Go does', () => {
    expect(parseNetStatFile('a\nffffffffffffffff\n').stats.get('a')).toEqual([18446744073709551615]);
  });

  it.each([
    ['a non-hex value', 'a b\n01 0x2\n', /invalid value/],
    ['a negative value', 'a\n-1\n', /invalid value/],
    ['more values than headers', 'a\n01 02\n', /more values than headers/],
    ['a value over 64 bits', 'a\n1ffffffffffffffff\n', /invalid value/],
  ])('rejects %s with RXP_PROC_PARSE', (_n, text, msg) => {
    expect(() => parseNetStatFile(text)).toThrow(msg);
    expect(() => parseNetStatFile(text)).toThrow(expect.objectContaining({ code: 'RXP_PROC_PARSE' }));
  });
});
