import { rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { softnet } from '../../src/collectors/softnet';
import { xfrm } from '../../src/collectors/xfrm';
import { RxporterError } from '../../src/errors';
import { collectOnEditedCopy, copyNeFixtures, expectUpstreamConformance, removeNeFixtures } from '../support/neFixtures';

describe.each([
  ['softnet', softnet, /^node_softnet_/, 28, 'softnet_stat', '0001 0002\n'],
  ['xfrm', xfrm, /^node_xfrm_/, 28, 'xfrm_stat', 'XfrmInError one\n'],
])('%s collector', (_name, collector, names, count, file, garbled) => {
  let root: string;
  beforeAll(() => {
    root = copyNeFixtures(['proc']);
  });
  afterAll(() => removeNeFixtures(root));

  it("matches node_exporter's e2e output on upstream's fixtures, sample for sample", async () => {
    await expectUpstreamConformance(collector, root, names, count);
  });

  it.each([
    ['the file is absent', null, 'RXP_PROC_MISSING'],
    ['the file is garbled', garbled, 'RXP_PROC_PARSE'],
  ])('fails the cycle with an RxporterError when %s', async (_n, content, code) => {
    const r = await collectOnEditedCopy(collector, ['proc'], (root) => {
      const p = join(root, 'proc', 'net', file);
      if (content === null) rmSync(p);
      else writeFileSync(p, content);
    });
    expect(r.error).toBeInstanceOf(RxporterError);
    expect(r.error).toMatchObject({ code });
  });
});
