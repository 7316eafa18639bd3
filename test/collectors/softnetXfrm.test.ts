import { softnet } from '../../src/collectors/softnet';
import { xfrm } from '../../src/collectors/xfrm';
import { RxporterError } from '../../src/errors';
import { collectWithFile, copyNeFixtures, expectUpstreamConformance, removeNeFixtures } from '../support/neFixtures';

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
    const r = await collectWithFile(collector, ['proc'], ['proc', 'net', file], content);
    expect(r.error).toBeInstanceOf(RxporterError);
    expect(r.error).toMatchObject({ code });
  });
});
