import { dehumanize, dehumanizeSigned, parsePriorityStats, parseWritebackRateDebug } from '../../src/sysfs/bcache';
import { thrownCode } from '../support/edge';

describe('dehumanize', () => {
  it.each([
    ['10473', 10473],
    ['1.1M', Math.trunc((1 + 1 / 10.24) * 2 ** 20)], // 1.1M means 1 MiB + 1/10.24 MiB
    ['20.4G', Math.trunc((20 + 4 / 10.24) * 2 ** 30)],
    ['3x', 0],
    ['0', 0],
  ])('reads %j as %d', (s, want) => {
    expect(dehumanize(s)).toBe(want);
  });

  it('reads signed values', () => {
    expect(dehumanizeSigned('-1k')).toBe(-1024);
  });

  it.each(['', 'abc', 'x.5k', '1.yk'])('rejects %j', (s) => {
    expect(thrownCode(() => dehumanize(s))).toBe('RXP_PROC_PARSE');
  });
});

describe('bcache files', () => {
  it('reads writeback_rate_debug', () => {
    expect(parseWritebackRateDebug('rate:           1.1M/sec\ndirty:          20.4G\ntarget:         20.4G\nproportional:   427.5k\nintegral:       790.0k\nchange:         321.5k/sec\nnext io:        17ms\n')).toEqual({
      rate: 1150976,
      target: 21894266880,
      proportional: 437748,
      integral: 808960,
      change: 329204,
    });
  });

  it.each([
    ['a garbled rate', 'rate: fast/sec\n'],
    ['a garbled next io', 'next io: soon\n'],
  ])('rejects writeback_rate_debug with %s', (_n, text) => {
    expect(thrownCode(() => parseWritebackRateDebug(text))).toBe('RXP_PROC_PARSE');
  });

  it('reads priority_stats and rejects non-numbers', () => {
    expect(parsePriorityStats('Unused:\t\t99%\nMetadata:\t0%\nAverage:\t10473\n')).toEqual({ unused: 99, metadata: 0 });
    expect(parsePriorityStats('')).toEqual({ unused: 0, metadata: 0 });
    expect(thrownCode(() => parsePriorityStats('Unused:\tmost%\n'))).toBe('RXP_PROC_PARSE');
  });
});
