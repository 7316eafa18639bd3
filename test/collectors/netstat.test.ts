import { rmSync } from 'node:fs';
import { join } from 'node:path';
import { createNetstatCollector, DEFAULT_NETSTAT_FIELDS, netstatDefinition } from '../../src/collectors/netstat';
import { RxporterError } from '../../src/errors';
import { collectOnEditedCopy, collectWithFile, copyNeFixtures, expectUpstreamConformance, removeNeFixtures } from '../support/neFixtures';

const upstream = createNetstatCollector(DEFAULT_NETSTAT_FIELDS);

describe('netstat collector', () => {
  let root: string;
  beforeAll(() => {
    root = copyNeFixtures(['proc']);
  });
  afterAll(() => removeNeFixtures(root));

  it("matches node_exporter's e2e output on upstream's fixtures, sample for sample", async () => {
    await expectUpstreamConformance(upstream, root, /^node_netstat_/, 41);
  });

  it('declares --collector.netstat.fields with node_exporter’s default', () => {
    expect(netstatDefinition.options!.fields).toMatchObject({ arg: 'collector.netstat.fields', default: DEFAULT_NETSTAT_FIELDS });
  });

  it('honours another field pattern', async () => {
    const r = await collectOnEditedCopy(createNetstatCollector('^Tcp_RtoMin$'), ['proc'], () => undefined);
    expect(r.families!.map((f) => [f.name, f.help, f.samples[0].value])).toEqual([['node_netstat_Tcp_RtoMin', 'Statistic TcpRtoMin.', 200]]);
  });

  it('works without net/snmp6 (IPv6 disabled)', async () => {
    const r = await collectOnEditedCopy(upstream, ['proc'], (root) => rmSync(join(root, 'proc', 'net', 'snmp6')));
    expect(r.families!.some((f) => f.name.startsWith('node_netstat_Ip6'))).toBe(false);
    expect(r.families!.some((f) => f.name === 'node_netstat_Tcp_InSegs')).toBe(true);
  });

  it.each([
    ['net/netstat is absent', 'netstat', null, 'RXP_PROC_MISSING'],
    ['net/snmp is absent', 'snmp', null, 'RXP_PROC_MISSING'],
    ['a pair is truncated', 'snmp', 'Tcp: RtoMin RtoMax\n', 'RXP_PROC_PARSE'],
    ['a value is not a number', 'netstat', 'TcpExt: A B\nTcpExt: 1 x\n', 'RXP_PROC_PARSE'],
    ['an snmp6 value is not a number', 'snmp6', 'Ip6InReceives ten\n', 'RXP_PROC_PARSE'],
  ])('fails the cycle when %s', async (_n, file, content, code) => {
    const r = await collectWithFile(upstream, ['proc'], ['proc', 'net', file], content);
    expect(r.error).toBeInstanceOf(RxporterError);
    expect(r.error).toMatchObject({ code });
  });
});
