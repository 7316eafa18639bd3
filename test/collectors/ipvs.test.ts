import { join } from 'node:path';
import { createIpvsCollector, ipvsDefinition, IPVS_BACKEND_LABELS, parseIpvsLabels } from '../../src/collectors/ipvs';
import { RxporterError } from '../../src/errors';
import { collectOnEditedCopy, collectWithFile, copyNeFixtures, expectUpstreamConformance, removeNeFixtures } from '../support/neFixtures';

const upstream = createIpvsCollector(IPVS_BACKEND_LABELS.join(','));

describe('ipvs collector', () => {
  let root: string;
  beforeAll(() => {
    root = copyNeFixtures(['proc']);
  });
  afterAll(() => removeNeFixtures(root));

  it("matches node_exporter's e2e output on upstream's fixtures, sample for sample", async () => {
    await expectUpstreamConformance(upstream, root, /^node_ipvs_/, 35);
  });

  it('sums backends sharing the chosen labels (--collector.ipvs.backend-labels)', async () => {
    const r = await collectOnEditedCopy(ipvsDefinition.create({ backendLabels: 'local_port,proto' }), ['proc'], () => undefined);
    const active = r.families!.find((f) => f.name === 'node_ipvs_backend_connections_active')!;
    expect(active.samples).toEqual(
      expect.arrayContaining([
        { labels: { local_port: '3306', proto: 'TCP' }, value: 248 * 3 + 1499 + 1498 },
        { labels: { local_port: '0', proto: 'FWM' }, value: 64 + 321 },
      ]),
    );
  });

  it('rejects unknown backend labels at start', () => {
    expect(() => parseIpvsLabels('proto,colour,size')).toThrow(/unknown IPVS backend labels: "colour, size"/);
    expect(parseIpvsLabels('proto,local_address,,')).toEqual(['local_address', 'proto']);
  });

  it.each([
    ['ip_vs_stats is absent (no IPVS)', 'ip_vs_stats', null, 'RXP_NO_DATA'],
    ['ip_vs is absent', 'ip_vs', null, 'RXP_PROC_MISSING'],
    ['ip_vs_stats is truncated', 'ip_vs_stats', '   Total Incoming\n', 'RXP_PROC_PARSE'],
    ['a counter is not hex', 'ip_vs_stats', 'a\nb\n 1 2 3 4 XYZ\n\n', 'RXP_PROC_PARSE'],
    ['a backend count is not a number', 'ip_vs', 'TCP  C0A80016:0CEA wlc\n  -> C0A85216:0CEA Tunnel 100 many 2\n', 'RXP_PROC_PARSE'],
  ])('fails the cycle when %s', async (_n, file, content, code) => {
    const r = await collectWithFile(upstream, ['proc'], ['proc', 'net', file], content);
    expect(r.error).toBeInstanceOf(RxporterError);
    expect(r.error).toMatchObject({ code });
  });
});
