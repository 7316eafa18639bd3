import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { RxporterError } from '../../src/errors';
import { nodeNumber, parseNodeMeminfo, parseNodeNumastat } from '../../src/sysfs/node';
import { neDataDir } from '../support/neFixtures';
import { thrown } from '../support/thrown';

describe('NUMA node parsers', () => {
  it("reads upstream's node0 meminfo in bytes, named as node_exporter names them", () => {
    const v = parseNodeMeminfo(readFileSync(join(neDataDir(), 'fixtures/sys/devices/system/node/node0/meminfo'), 'utf8'));
    expect(v[0]).toEqual({ name: 'MemTotal', node: '0', value: 134182340 * 1024, type: 'gauge' });
    expect(v.find((x) => x.name === 'Active_anon')).toBeDefined();
    expect(v.find((x) => x.name === 'HugePages_Total')).toMatchObject({ value: 0 });
  });

  it("reads upstream's node0 numastat as counters", () => {
    const v = parseNodeNumastat(readFileSync(join(neDataDir(), 'fixtures/sys/devices/system/node/node0/numastat'), 'utf8'), '0');
    expect(v[0]).toEqual({ name: 'numa_hit_total', node: '0', value: 193460335812, type: 'counter' });
  });

  it.each([
    ['a truncated meminfo line', () => parseNodeMeminfo('Node 0 MemTotal:\n')],
    ['an odd unit', () => parseNodeMeminfo('Node 0 MemTotal: 5 MB\n')],
    ['a meminfo non-number', () => parseNodeMeminfo('Node 0 MemTotal: lots kB\n')],
    ['a numastat line with three fields', () => parseNodeNumastat('numa_hit 1 2\n', '0')],
    ['a numastat non-number', () => parseNodeNumastat('numa_hit x\n', '0')],
  ])('throws RXP_PROC_PARSE for %s', (_n, f) => {
    const e = thrown(f);
    expect(e).toBeInstanceOf(RxporterError);
    expect(e).toMatchObject({ code: 'RXP_PROC_PARSE' });
  });

  it('reads empty files as no values', () => {
    expect(parseNodeMeminfo('')).toEqual([]);
    expect(parseNodeNumastat('\n', '1')).toEqual([]);
  });

  it.each([
    ['node0', '0'],
    ['node12', '12'],
    ['node3x', '3'],
  ])('takes the node number of %s', (dir, n) => expect(nodeNumber(dir)).toBe(n));
});
