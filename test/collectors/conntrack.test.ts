import { join } from 'node:path';
import { conntrack } from '../../src/collectors/conntrack';
import { RxporterError } from '../../src/errors';
import { parseConntrackStat } from '../../src/procfs/conntrackStat';
import { collectWithFile, copyNeFixtures, expectUpstreamConformance, removeNeFixtures } from '../support/neFixtures';

describe('conntrack collector', () => {
  let root: string;
  beforeAll(() => {
    root = copyNeFixtures(['proc']);
  });
  afterAll(() => removeNeFixtures(root));

  it("matches node_exporter's e2e output on upstream's fixtures, sample for sample", async () => {
    await expectUpstreamConformance(conntrack, root, /^node_nf_conntrack_/, 10);
  });

  it.each([
    ['nf_conntrack_count is absent (module not loaded)', 'sys/net/netfilter/nf_conntrack_count', null, 'RXP_NO_DATA'],
    ['net/stat/nf_conntrack is absent', 'net/stat/nf_conntrack', null, 'RXP_NO_DATA'],
    ['nf_conntrack_max is not a number', 'sys/net/netfilter/nf_conntrack_max', 'lots\n', 'RXP_PROC_PARSE'],
    ['a statistics line is truncated', 'net/stat/nf_conntrack', 'entries searched\n00000021 00000000\n', 'RXP_PROC_PARSE'],
  ])('fails the cycle when %s', async (_n, file, content, code) => {
    const r = await collectWithFile(conntrack, ['proc'], ['proc', file], content);
    expect(r.error).toBeInstanceOf(RxporterError);
    expect(r.error).toMatchObject({ code });
  });
});

describe('parseConntrackStat', () => {
  const line = (n: number) => Array.from({ length: n }, (_, i) => (i + 1).toString(16)).join(' ');
  it('reads 17 columns and the older 16 (no search_restart)', () => {
    expect(parseConntrackStat(`h\n${line(17)}\n${line(16)}\n`).map((e) => [e.found, e.earlyDrop, e.searchRestart])).toEqual([
      [3, 12, 17],
      [3, 12, 0],
    ]);
  });
  it.each([['15 columns', `h\n${line(15)}\n`], ['18 columns', `h\n${line(18)}\n`], ['a non-hex value', `h\nzz ${line(16)}\n`]])('rejects %s', (_n, text) => {
    expect(() => parseConntrackStat(text)).toThrow(/invalid line/);
  });
  it('accepts a header alone', () => expect(parseConntrackStat('entries searched\n')).toEqual([]));
});
