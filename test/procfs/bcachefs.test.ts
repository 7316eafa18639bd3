import {
  parseBcachefsBtreeWrites,
  parseBcachefsCompression,
  parseBcachefsCounter,
  parseBcachefsErrors,
  parseBcachefsIoDone,
  parseBcachefsIoErrors,
  parseHumanBytes,
} from '../../src/sysfs/bcachefs';
import { edge, thrownCode } from '../support/edge';

describe('parseHumanBytes', () => {
  it.each([
    ['2.05G', 2201170739],
    ['28.2k', 28876],
    ['720', 720],
    [' 2.00M ', 2097152],
    ['10.8T', 11874725579980],
    ['', NaN],
    ['G', NaN],
    ['1.5x', NaN],
  ])('reads %j as %d', (s, want) => {
    expect(parseHumanBytes(s)).toBe(want);
  });
});

describe('bcachefs parsers', () => {
  it('reads counters since creation, in human units, or 0 with only "since mount"', () => {
    expect(parseBcachefsCounter(edge('bcachefs', 'counter-human'), 'c')).toBe(12288);
    expect(parseBcachefsCounter(edge('bcachefs', 'counter-mount-only'), 'c')).toBe(0);
  });

  it.each([
    ['an empty counter', () => parseBcachefsCounter(edge('bcachefs', 'counter-empty'), 'c')],
    ['a non-number counter', () => parseBcachefsCounter(edge('bcachefs', 'counter-non-number'), 'c')],
    ['a non-number io error', () => parseBcachefsIoErrors(edge('bcachefs', 'io_errors-non-number'))],
    ['an io_done value with an extra field', () => parseBcachefsIoDone(edge('bcachefs', 'io_done-unexpected'))],
    ['a non-number error count', () => parseBcachefsErrors('bset_bad_csum x 17\n')],
    ['a non-number btree write count', () => parseBcachefsBtreeWrites('nr size\ninitial: 1.5 100k\n')],
    ['a non-number compressed size', () => parseBcachefsCompression('h\nlz4 1Q 2 3\n')],
  ])('rejects %s with RXP_PROC_PARSE', (_n, fn) => {
    expect(thrownCode(fn)).toBe('RXP_PROC_PARSE');
  });

  it('skips short rows and headers', () => {
    expect(parseBcachefsCompression(edge('bcachefs', 'compression-truncated'))).toEqual([]);
    expect(parseBcachefsBtreeWrites('                   nr        size\ninitial:           3298401   100k\ninterior:\n')).toEqual([
      { type: 'initial', count: 3298401, sizeBytes: 102400 },
    ]);
    expect(parseBcachefsErrors('lonely\nbset_bad_csum 2 1767112063\n')).toEqual([['bset_bad_csum', 2]]);
  });

  it('reads io_done per operation and io_errors only since creation', () => {
    expect(parseBcachefsIoDone('read:\nsb :  8\nwrite:\nsb : 1\n')).toEqual([
      ['read', 'sb', 8],
      ['write', 'sb', 1],
    ]);
    expect(parseBcachefsIoErrors('IO errors since filesystem creation\n  read: 3\nIO errors since 8 y ago\n  read: 9\n')).toEqual([['read', 3]]);
    expect(parseBcachefsIoDone('')).toEqual([]);
  });
});
