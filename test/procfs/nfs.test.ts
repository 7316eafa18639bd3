import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseNfsClientStats } from '../../src/procfs/nfs';
import { parseNfsdStats } from '../../src/procfs/nfsd';
import { neDataDir } from '../support/neFixtures';

const read = (f: string) => readFileSync(join(neDataDir(), 'fixtures', 'proc', 'net', 'rpc', f), 'utf8');
const seq = (n: number) => Array.from({ length: n }, (_, i) => i + 1).join(' ');

describe('parseNfsClientStats', () => {
  it("parses upstream's /proc/net/rpc/nfs", () => {
    const s = parseNfsClientStats(read('nfs'));
    expect(s.network).toEqual({ netCount: 70, udpCount: 70, tcpCount: 69, tcpConnect: 45 });
    expect(s.rpc).toEqual({ rpcCount: 1218785755, retransmissions: 374636, authRefreshes: 1218815394 });
    expect(s.v2.FsStat).toBe(82);
    expect(s.v3.GetAttr).toBe(1061909262);
    expect(s.v4.Clone).toBe(0);
    expect(s.v4.LayoutStats).toBe(0);
  });

  it('pads an older kernel’s shorter proc4 line with zeros', () => {
    const s = parseNfsClientStats(`proc4 3 ${seq(3)}\n`);
    expect([s.v4.Null, s.v4.Read, s.v4.Write, s.v4.Commit]).toEqual([1, 2, 3, 0]);
  });

  it('accepts a truncated file: lines not reached read as zeros', () => {
    expect(parseNfsClientStats('net 1 2 3 4\n').rpc.rpcCount).toBe(0);
  });

  it.each([
    ['a key without values', 'net\n', /invalid line/],
    ['a count that does not match', `proc2 18 ${seq(17)}\n`, /invalid procedure counts/],
    ['too few NFSv3 procedures', `proc3 21 ${seq(21)}\n`, /invalid procedure counts/],
    ['a short net line', 'net 1 2 3\n', /invalid net line/],
    ['a long rpc line', 'rpc 1 2 3 4\n', /invalid rpc line/],
    ['a negative value', 'net 1 -2 3 4\n', /invalid value/],
    ['an unknown key', 'proc5 1 1\n', /unknown line/],
  ])('rejects %s with RXP_PROC_PARSE', (_n, text, msg) => {
    expect(() => parseNfsClientStats(text)).toThrow(msg);
    expect(() => parseNfsClientStats(text)).toThrow(expect.objectContaining({ code: 'RXP_PROC_PARSE' }));
  });
});

describe('parseNfsdStats', () => {
  it("parses upstream's /proc/net/rpc/nfsd", () => {
    const s = parseNfsdStats(read('nfsd'));
    expect(s.replyCache).toEqual({ hits: 0, misses: 6, noCache: 18622 });
    expect(s.threads).toBe(8);
    expect(s.readAhead).toEqual({ cacheSize: 32, notFound: 0 });
    expect(s.rpc).toEqual({ rpcCount: 18628, badFmt: 1, badAuth: 2, badClnt: 0 });
    expect(s.v4Ops.GetAttr).toBe(8179);
    expect(s.wdelegGetattr).toBe(15);
  });

  it('reads RelLockOwner as 0 from a 39-operation line', () => {
    expect(parseNfsdStats(`proc4ops 39 ${seq(39)}\n`).v4Ops.RelLockOwner).toBe(0);
    expect(parseNfsdStats(`proc4ops 40 ${seq(40)}\n`).v4Ops.RelLockOwner).toBe(40);
  });

  it.each([
    ['a th line with one value', 'th 8\n', /invalid line|invalid th line/],
    ['a th line with a non-number first', 'th x 0 0.000\n', /invalid value/],
    ['a short rc line', 'rc 1 2\n', /invalid rc line/],
    ['a ra line of 11 values', `ra ${seq(11)}\n`, /invalid ra line/],
    ['a proc4 line with three counters', 'proc4 3 1 2 3\n', /invalid procedure counts/],
    ['too few v4 operations', `proc4ops 38 ${seq(38)}\n`, /invalid procedure counts/],
    ['an unknown key', 'xyz 1\n', /unknown line/],
  ])('rejects %s with RXP_PROC_PARSE', (_n, text, msg) => {
    expect(() => parseNfsdStats(text)).toThrow(msg);
  });
});
