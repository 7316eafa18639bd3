import { rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { createSlabinfoCollector, slabinfoDefinition } from '../../src/collectors/slabinfo';
import { RxporterError } from '../../src/errors';
import { collectAll, collectOnEditedCopy, copyNeFixtures, expectUpstreamConformance, fixtureContext, removeNeFixtures } from '../support/neFixtures';

describe('slabinfo collector', () => {
  let root: string;
  beforeAll(() => {
    root = copyNeFixtures(['proc']);
  });
  afterAll(() => removeNeFixtures(root));

  it("matches node_exporter's e2e output on upstream's fixtures", async () => {
    await expectUpstreamConformance(createSlabinfoCollector({ slabsInclude: '.*', slabsExclude: '' }), root, /^node_slabinfo_/, 20);
  });

  it.each([
    ['slabs-include', { slabsInclude: '^kmalloc', slabsExclude: '' }, ['kmalloc-8192']],
    ['slabs-exclude', { slabsInclude: '.*', slabsExclude: '^(tw_sock_TCP|kmalloc-8192)$' }, ['dmaengine-unmap-128', 'kmem_cache']],
  ])('filters with %s', async (_n, o, slabs) => {
    const fams = await collectAll(slabinfoDefinition.create(o), fixtureContext(root));
    expect(fams[0].samples.map((s) => s.labels.slab)).toEqual(slabs);
  });

  it.each([
    ['the file is missing', null, 'RXP_PROC_MISSING'],
    ['the file is empty', '', 'RXP_PROC_PARSE'],
    ['a line is truncated', 'slabinfo - version: 2.1\ntw_sock_TCP 704 864 256\n', 'RXP_PROC_PARSE'],
  ])('fails the cycle with an RxporterError when %s', async (_n, content, code) => {
    const r = await collectOnEditedCopy(createSlabinfoCollector({ slabsInclude: '.*', slabsExclude: '' }), ['proc'], (dir) =>
      content === null ? rmSync(join(dir, 'proc/slabinfo')) : writeFileSync(join(dir, 'proc/slabinfo'), content),
    );
    expect(r.error).toBeInstanceOf(RxporterError);
    expect(r.error).toMatchObject({ code });
  });
});
