import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseZfsKstat, parseZpoolIo, parseZpoolObjset, parseZpoolState } from '../../src/procfs/zfs';
import { edge, thrownCode } from '../support/edge';
import { upstreamDir } from '../support/upstream';

const upstream = (rel: string) => readFileSync(join(upstreamDir(), 'fixtures/proc/spl/kstat/zfs', rel), 'utf8');

describe('parseZfsKstat', () => {
  it('parses every numeric kstat of the upstream arcstats', () => {
    const stats = parseZfsKstat(upstream('arcstats'), 'arcstats');
    expect(stats.find((s) => s.name === 'anon_size')).toEqual({ name: 'anon_size', value: 1917440 });
    expect(stats.length).toBe(upstream('arcstats').trim().split('\n').length - 2);
  });

  it.each([
    ['a truncated last line (skipped, as upstream)', 'arcstats-truncated', [{ name: 'hits', value: 12 }]],
    [
      'extra columns, a string kstat, int64 and a uint64 beyond 2^53',
      'arcstats-unexpected',
      [
        { name: 'hits', value: 12 },
        { name: 'negative', value: -5 },
        { name: 'c_max', value: 18446744073709551615 },
      ],
    ],
  ])('accepts %s', (_n, file, want) => {
    expect(parseZfsKstat(edge('zfs', file), file)).toEqual(want);
  });

  it.each([
    ['an empty file', 'arcstats-empty'],
    ['a non-number', 'arcstats-non-number'],
  ])('rejects %s with RXP_PROC_PARSE', (_n, file) => {
    expect(thrownCode(() => parseZfsKstat(edge('zfs', file), file))).toBe('RXP_PROC_PARSE');
  });
});

describe('parseZpoolIo', () => {
  it('names each column by the header', () => {
    const io = parseZpoolIo(upstream('pool1/io'));
    expect(io).toHaveLength(12);
    expect(io[0]).toEqual({ name: 'nread', value: 1884160 });
    expect(io[6]).toEqual({ name: 'wupdate', value: 79210489694949 });
  });

  it.each([
    ['a short row', edge('zfs', 'io-short-row'), 'RXP_PROC_PARSE'],
    ['a non-number', 'nread nwritten reads writes wtime wlentime wupdate rtime rlentime rupdate wcnt rcnt\n1 2 3 4 5 6 7 8 9 10 11 x\n', 'RXP_PROC_PARSE'],
    ['an empty file (no counters)', '', 'none'],
  ])('handles %s', (_n, text, code) => {
    expect(thrownCode(() => parseZpoolIo(text))).toBe(code);
  });
});

describe('parseZpoolObjset', () => {
  it('keeps inner spaces of dataset names', () => {
    const o = parseZpoolObjset(upstream('pool3/objset-2'));
    expect(o.dataset).toBe('pool3/dataset with  space');
    expect(o.stats.map((s) => s.name)).toEqual(['writes', 'nwritten', 'reads', 'nread', 'nunlinks', 'nunlinked']);
  });

  it.each([
    ['an empty file', ''],
    ['a non-number', 'name type data\ndataset_name 7 p\nwrites 4 -1\n'],
  ])('rejects %s', (_n, text) => {
    expect(thrownCode(() => parseZpoolObjset(text))).toBe('RXP_PROC_PARSE');
  });
});

describe('parseZpoolState', () => {
  it.each([
    ['ONLINE\n', 'online'],
    ['SUSPENDED', 'suspended'],
    ['', ''],
  ])('reads %j as %j', (text, want) => {
    expect(parseZpoolState(text)).toBe(want);
  });
});
