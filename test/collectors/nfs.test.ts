import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { nfs } from '../../src/collectors/nfs';
import { nfsd } from '../../src/collectors/nfsd';
import { RxporterError } from '../../src/errors';
import { collectOnEditedCopy, collectWithFile, copyNeFixtures, expectUpstreamConformance, removeNeFixtures } from '../support/neFixtures';

describe.each([
  ['nfs', nfs, /^node_nfs_/, 105, 'net/rpc/nfs'],
  ['nfsd', nfsd, /^node_nfsd_/, 90, 'net/rpc/nfsd'],
])('%s collector', (_name, collector, names, count, file) => {
  let root: string;
  beforeAll(() => {
    root = copyNeFixtures(['proc']);
  });
  afterAll(() => removeNeFixtures(root));

  it("matches node_exporter's e2e output on upstream's fixtures, sample for sample", async () => {
    await expectUpstreamConformance(collector, root, names, count);
  });

  it.each([
    ['the file is absent (module not loaded)', null, 'RXP_NO_DATA'],
    ['the file is empty of values', 'net\n', 'RXP_PROC_PARSE'],
    ['a value is not a number', 'net 1 2 x 4\n', 'RXP_PROC_PARSE'],
    ['an unknown line appears', 'bogus 1 2\n', 'RXP_PROC_PARSE'],
  ])('fails the cycle with an RxporterError when %s', async (_n, content, code) => {
    const r = await collectWithFile(collector, ['proc'], ['proc', file], content);
    expect(r.error).toBeInstanceOf(RxporterError);
    expect(r.error).toMatchObject({ code });
  });

  it('reads an empty file as all zeros', async () => {
    const r = await collectOnEditedCopy(collector, ['proc'], (root) => writeFileSync(join(root, 'proc', file), ''));
    const samples = r.families!.flatMap((f) => f.samples);
    expect(samples.length).toBeGreaterThan(50);
    expect(samples.every((s) => s.value === 0)).toBe(true);
  });
});
