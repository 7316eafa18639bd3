import { parseBlkioServiceBytes, parseCgroupValue, parseCpuMax, parseIoStat, parseKeyedValues, parseProcs } from '../../src/cgroup/parse';
import { weightToShares, workingSet } from '../../src/cgroup/stats';
import { thrownCode } from '../support/edge';

describe('cgroup file parsers', () => {
  it.each([
    ['536870912\n', 536870912],
    ['max\n', 'max'],
    ['-1\n', -1],
    ['9223372036854771712\n', 9223372036854771712],
  ])('reads the one-value file %j', (text, want) => {
    expect(parseCgroupValue('memory.max', text)).toBe(want);
  });

  it.each([[''], ['\n'], ['12ab\n'], ['-2\n'], ['1 2\n']])('rejects %j with RXP_PROC_PARSE', (text) => {
    expect(thrownCode(() => parseCgroupValue('memory.max', text))).toBe('RXP_PROC_PARSE');
  });

  it('reads flat keyed files and quotes a bad line', () => {
    expect(parseKeyedValues('cpu.stat', 'usage_usec 52417333\nnr_periods 12\n\n')).toEqual({ usage_usec: 52417333, nr_periods: 12 });
    expect(() => parseKeyedValues('memory.stat', 'anon 1\nfile\n')).toThrow('memory.stat: invalid line: "file"');
    expect(thrownCode(() => parseKeyedValues('memory.stat', 'anon -1\n'))).toBe('RXP_PROC_PARSE');
    expect(thrownCode(() => parseKeyedValues('memory.stat', 'anon 1 2\n'))).toBe('RXP_PROC_PARSE');
  });

  it.each([
    ['max 100000\n', { quota: 'max', period: 100000 }],
    ['50000 100000\n', { quota: 50000, period: 100000 }],
  ])('reads cpu.max %j', (text, want) => {
    expect(parseCpuMax(text)).toEqual(want);
  });

  it.each([[''], ['max\n'], ['50000 max\n'], ['a b\n'], ['1 2 3\n']])('rejects cpu.max %j', (text) => {
    expect(thrownCode(() => parseCpuMax(text))).toBe('RXP_PROC_PARSE');
  });

  it('reads Read and Write per device of blkio service bytes, without Sync, Async, Discard and totals', () => {
    const text = '254:0 Read 8192\n254:0 Write 4096\n254:0 Sync 12288\n254:0 Async 0\n254:0 Discard 0\n254:0 Total 12288\n8:0 Write 1\nTotal 12289\n';
    expect(parseBlkioServiceBytes('blkio.throttle.io_service_bytes', text)).toEqual([
      { device: '254:0', readBytes: 8192, writeBytes: 4096 },
      { device: '8:0', readBytes: 0, writeBytes: 1 },
    ]);
    expect(parseBlkioServiceBytes('blkio.throttle.io_service_bytes', 'Total 0\n')).toEqual([]);
    expect(thrownCode(() => parseBlkioServiceBytes('f', '254:0 Read\n'))).toBe('RXP_PROC_PARSE');
    expect(thrownCode(() => parseBlkioServiceBytes('f', 'vda Read 1\n'))).toBe('RXP_PROC_PARSE');
  });

  it('reads rbytes and wbytes of io.stat and ignores the other keys', () => {
    expect(parseIoStat('8:16 rbytes=1459200 wbytes=314773504 rios=192 wios=353 dbytes=0 dios=0 cost.vrate=100.00\n')).toEqual([
      { device: '8:16', readBytes: 1459200, writeBytes: 314773504 },
    ]);
    expect(parseIoStat('')).toEqual([]);
    expect(thrownCode(() => parseIoStat('8:16 rbytes=x\n'))).toBe('RXP_PROC_PARSE');
    expect(thrownCode(() => parseIoStat('8 rbytes=1\n'))).toBe('RXP_PROC_PARSE');
  });

  it('reads cgroup.procs and rejects a line that is not a pid', () => {
    expect(parseProcs('1234\n5678\n')).toEqual([1234, 5678]);
    expect(parseProcs('')).toEqual([]);
    expect(thrownCode(() => parseProcs('12a\n'))).toBe('RXP_PROC_PARSE');
  });

  it("maps cpu.weight to shares as cAdvisor's convertCPUWeightToCPULimit and floors the working set at 0", () => {
    expect([1, 39, 100, 10000, 0, 10001].map(weightToShares)).toEqual([2, 998, 2597, 262144, 0, 0]);
    expect(workingSet(1000, 300)).toBe(700);
    expect(workingSet(1000, 3000)).toBe(0);
    expect(workingSet(1000, undefined)).toBe(1000);
  });
});
