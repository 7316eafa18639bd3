import { rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { createSockstatCollector, sockstat, sockstatFamilies } from '../../src/collectors/sockstat';
import { RxporterError } from '../../src/errors';
import { hostPageSize, pageSizeFromAuxv } from '../../src/procfs/pageSize';
import { parseSockstat } from '../../src/procfs/sockstat';
import { collectOnEditedCopy, copyNeFixtures, expectUpstreamConformance, removeNeFixtures } from '../support/neFixtures';

describe('sockstat collector', () => {
  let root: string;
  beforeAll(() => {
    root = copyNeFixtures(['proc']);
  });
  afterAll(() => removeNeFixtures(root));

  // Upstream's expected output assumes 4 KiB pages (node_sockstat_TCP_mem_bytes 4096).
  it("matches node_exporter's e2e output on upstream's fixtures (4 KiB pages), sample for sample", async () => {
    await expectUpstreamConformance(createSockstatCollector(() => 4096), root, /^node_sockstat_/, 20);
  });

  it('scales mem pages by the page size it is given', () => {
    const f = sockstatFamilies(parseSockstat('TCP: inuse 1 mem 3\n'), undefined, 65536);
    expect(f.find((x) => x.name === 'node_sockstat_TCP_mem_bytes')!.samples[0].value).toBe(3 * 65536);
  });

  it('works with either file absent (IPv4 or IPv6 disabled)', async () => {
    const r = await collectOnEditedCopy(sockstat, ['proc'], (root) => rmSync(join(root, 'proc', 'net', 'sockstat6')));
    expect(r.families!.some((f) => f.name === 'node_sockstat_TCP6_inuse')).toBe(false);
    expect(r.families!.some((f) => f.name === 'node_sockstat_sockets_used')).toBe(true);
  });

  it.each([
    ['an odd number of fields', 'TCP: inuse 4 orphan\n'],
    ['a non-number', 'TCP: inuse many\n'],
    ['a line without pairs', 'TCP:\n'],
  ])('fails the cycle with RXP_PROC_PARSE on %s', async (_n, text) => {
    const r = await collectOnEditedCopy(sockstat, ['proc'], (root) => writeFileSync(join(root, 'proc', 'net', 'sockstat'), text));
    expect(r.error).toBeInstanceOf(RxporterError);
    expect(r.error).toMatchObject({ code: 'RXP_PROC_PARSE' });
  });
});

describe('parseSockstat', () => {
  it('reads used sockets and protocols, "inuse" defaulting to 0', () => {
    const s = parseSockstat('sockets: used 229\nFRAG: memory 0 inuse 2\n');
    expect(s.used).toBe(229);
    expect([...s.protocols[0].values]).toEqual([['memory', 0], ['inuse', 2]]);
  });

  it('accepts an empty file', () => expect(parseSockstat('')).toEqual({ used: undefined, protocols: [] }));
});

describe('pageSizeFromAuxv', () => {
  it('finds AT_PAGESZ in a little-endian 64-bit vector', () => {
    const b = Buffer.alloc(48);
    b.writeBigUInt64LE(33n, 0); // AT_SYSINFO_EHDR
    b.writeBigUInt64LE(7n, 8);
    b.writeBigUInt64LE(6n, 16); // AT_PAGESZ
    b.writeBigUInt64LE(65536n, 24);
    expect(pageSizeFromAuxv(b)).toBe(65536);
  });

  it('stops at AT_NULL and handles 32-bit big-endian words', () => {
    const b = Buffer.alloc(16);
    b.writeUInt32BE(6, 0);
    b.writeUInt32BE(4096, 4);
    expect(pageSizeFromAuxv(b, 4, false)).toBe(4096);
    expect(pageSizeFromAuxv(Buffer.alloc(32))).toBeUndefined();
  });

  it('reads this machine’s page size', () => expect([4096, 16384, 65536]).toContain(hostPageSize()));
});
