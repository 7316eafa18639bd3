import { rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseQdiscResults, qdiscDefinition } from '../../src/collectors/qdisc';
import { RxporterError } from '../../src/errors';
import { collectAll, copyNeFixtures, expectUpstreamConformance, fixtureContext, removeNeFixtures } from '../support/neFixtures';

describe('qdisc collector', () => {
  let root: string;
  beforeAll(() => {
    root = copyNeFixtures(['qdisc']);
  });
  afterAll(() => removeNeFixtures(root));

  it("matches node_exporter's e2e output with upstream's flags, sample for sample", async () => {
    const c = qdiscDefinition.create({ fixtures: join(root, 'qdisc'), deviceInclude: '(wlan0|eth0)' });
    await expectUpstreamConformance(c, root, /^node_qdisc_/, 14);
  });

  it('keeps root qdiscs only and honours device-exclude', async () => {
    writeFileSync(join(root, 'qdisc', 'results.json'), JSON.stringify([
      { IfaceName: 'eth0', Kind: 'fq', Bytes: 1 },
      { IfaceName: 'eth0', Kind: 'fq', Parent: 65537, Bytes: 2 },
      { IfaceName: 'lo', Kind: 'noqueue', Bytes: 3 },
    ]));
    const fams = await collectAll(qdiscDefinition.create({ fixtures: join(root, 'qdisc'), deviceExclude: '^lo$' }), fixtureContext(root));
    expect(fams.find((f) => f.name === 'node_qdisc_bytes_total')!.samples).toEqual([{ labels: { device: 'eth0', kind: 'fq' }, value: 1 }]);
  });

  it('reports no data without fixtures: rtnetlink is out of reach for Node.js', async () => {
    const err = await collectAll(qdiscDefinition.create({}), fixtureContext(root)).catch((e: unknown) => e);
    expect(err).toMatchObject({ code: 'RXP_NO_DATA' });
  });

  it('rejects include with exclude and a deprecated flag with its successor', () => {
    expect(() => qdiscDefinition.create({ deviceInclude: 'a', deviceExclude: 'b' })).toThrow(/mutaly exclusive/);
    expect(() => qdiscDefinition.create({ deviceInclude: 'a', qdiskDeviceInclude: 'b' })).toThrow(/mutually exclusive/);
  });

  it.each([
    ['results.json is missing', null, 'RXP_PROC_MISSING'],
    ['results.json is truncated', '[{"IfaceName": "eth0"', 'RXP_PROC_PARSE'],
    ['a count is negative', '[{"IfaceName": "eth0", "Bytes": -1}]', 'RXP_PROC_PARSE'],
    ['a name is a number', '[{"IfaceName": 7}]', 'RXP_PROC_PARSE'],
  ])('fails the cycle when %s', async (_n, content, code) => {
    const copy = copyNeFixtures(['qdisc']);
    try {
      const p = join(copy, 'qdisc', 'results.json');
      if (content === null) rmSync(p);
      else writeFileSync(p, content);
      const err = await collectAll(qdiscDefinition.create({ fixtures: join(copy, 'qdisc') }), fixtureContext(copy)).catch((e: unknown) => e);
      expect(err).toBeInstanceOf(RxporterError);
      expect(err).toMatchObject({ code });
    } finally {
      removeNeFixtures(copy);
    }
  });

  it('parses an empty array and null', () => {
    expect(parseQdiscResults('[]')).toEqual([]);
    expect(parseQdiscResults('null')).toEqual([]);
  });
});
