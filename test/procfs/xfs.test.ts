import { parseXfsStats } from '../../src/sysfs/xfs';
import { thrownCode } from '../support/edge';

describe('parseXfsStats', () => {
  it('reads sections, the two-word "gc xpc" and 64-bit xpc values', () => {
    const s = parseXfsStats('extent_alloc 1 872 0 0\nrw 28 3\nxpc 399724544 92823103 86219234\ngc xpc 5 6\nlonely\n');
    expect(s.get('extent_alloc')).toEqual([1, 872, 0, 0]);
    expect(s.get('rw')).toEqual([28, 3]);
    expect(s.get('gc xpc')).toEqual([5, 6]);
    expect(s.has('lonely')).toBe(false);
  });

  it('accepts vnodes with 7 or 8 values and an empty file', () => {
    expect(parseXfsStats('vnodes 1 2 3 4 5 6 7\n').get('vnodes')).toHaveLength(7);
    expect(parseXfsStats('vnodes 1 2 3 4 5 6 7 8\n').get('vnodes')).toHaveLength(8);
    expect(parseXfsStats('').size).toBe(0);
  });

  it.each([
    ['a non-number', 'extent_alloc 1 x 0 0\n'],
    ['a truncated section', 'extent_alloc 1 872\n'],
    ['an extra value', 'rw 1 2 3\n'],
    ['a uint32 overflow', 'rw 4294967296 1\n'],
  ])('rejects %s', (_n, text) => {
    expect(thrownCode(() => parseXfsStats(text))).toBe('RXP_PROC_PARSE');
  });
});
