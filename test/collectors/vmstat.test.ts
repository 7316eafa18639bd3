import { rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { createVmstatCollector, DEFAULT_VMSTAT_FIELDS, vmstatDefinition } from '../../src/collectors/vmstat';
import { RxporterError } from '../../src/errors';
import { collectAll, collectOnEditedCopy, copyNeFixtures, expectUpstreamConformance, fixtureContext, removeNeFixtures } from '../support/neFixtures';

describe('vmstat collector', () => {
  let root: string;
  beforeAll(() => {
    root = copyNeFixtures(['proc']);
  });
  afterAll(() => removeNeFixtures(root));

  it("matches node_exporter's e2e output on upstream's fixtures with the default fields", async () => {
    await expectUpstreamConformance(createVmstatCollector({ fields: DEFAULT_VMSTAT_FIELDS }), root, /^node_vmstat_/, 7);
  });

  it('exports the fields --collector.vmstat.fields selects, untyped', async () => {
    const fams = await collectAll(vmstatDefinition.create({ fields: '^nr_(free_pages|dirty)$' }), fixtureContext(root));
    expect(fams.map((f) => [f.name, f.type])).toEqual([
      ['node_vmstat_nr_free_pages', 'untyped'],
      ['node_vmstat_nr_dirty', 'untyped'],
    ]);
  });

  it.each([
    ['the file is missing', null, 'RXP_PROC_MISSING'],
    ['the file is empty', '', 'RXP_PROC_PARSE'],
    ['an unselected field is garbled (node_exporter parses every line)', 'nr_free_pages x\npgfault 1\n', 'RXP_PROC_PARSE'],
  ])('fails the cycle with an RxporterError when %s', async (_n, content, code) => {
    const r = await collectOnEditedCopy(createVmstatCollector({ fields: DEFAULT_VMSTAT_FIELDS }), ['proc'], (dir) =>
      content === null ? rmSync(join(dir, 'proc/vmstat')) : writeFileSync(join(dir, 'proc/vmstat'), content),
    );
    expect(r.error).toBeInstanceOf(RxporterError);
    expect(r.error).toMatchObject({ code });
  });
});
