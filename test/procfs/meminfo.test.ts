import { readFileSync } from 'node:fs';
import { RxporterError } from '../../src/errors';
import { parseMeminfo } from '../../src/procfs/meminfo';
import { fixture } from '../support/paths';

const read = (...p: string[]) => readFileSync(fixture(...p), 'utf8');

describe('parseMeminfo', () => {
  it('parses a file captured from a real machine, every field', () => {
    const text = read('hosts', 'dev-vm-1', 'proc', 'meminfo');
    const fields = parseMeminfo(text);
    expect(fields).toHaveLength(text.trim().split('\n').length);
    const total = fields.find((f) => f.key === 'MemTotal_bytes');
    const kb = Number(/^MemTotal:\s+(\d+) kB/m.exec(text)![1]);
    expect(total?.value).toBe(kb * 1024);
  });

  it('names and scales fields as node_exporter does', () => {
    expect(parseMeminfo(read('edge', 'meminfo', 'units'))).toEqual([
      { key: 'MemTotal_bytes', value: 3742148 * 1024 },
      { key: 'HugePages_Total', value: 0 },
      { key: 'Hugepagesize_bytes', value: 2048 * 1024 },
      { key: 'Active_anon_bytes', value: 505060 * 1024 },
      { key: 'DirectMap1G_bytes', value: 0 },
    ]);
  });

  it.each([
    ['truncated mid-line', 'truncated', /invalid line/],
    ['a non-number', 'non-number', /invalid value in line: "MemFree:          abc kB"/],
    ['an empty file', 'empty', /no fields/],
    ['an unexpected extra field', 'extra-field', /invalid line: "MemFree: 1 2 kB"/],
  ])('rejects %s with RXP_PROC_PARSE quoting the line', (_name, file, msg) => {
    const text = read('edge', 'meminfo', file);
    expect(() => parseMeminfo(text)).toThrow(RxporterError);
    expect(() => parseMeminfo(text)).toThrow(msg);
    try {
      parseMeminfo(text);
    } catch (e) {
      expect((e as RxporterError).code).toBe('RXP_PROC_PARSE');
    }
  });

  it.each([
    ['a unit other than kB', 'MemTotal: 12 MB\n'],
    ['a line without a colon', 'MemTotal 12 kB\n'],
    ['a negative number', 'MemTotal: -12 kB\n'],
    ['a key alone', 'MemTotal:\n'],
  ])('rejects %s', (_name, text) => {
    expect(() => parseMeminfo(text)).toThrow(/meminfo: invalid/);
  });
});
