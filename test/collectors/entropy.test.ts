import { rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { entropy } from '../../src/collectors/entropy';
import { RxporterError } from '../../src/errors';
import { collectOnEditedCopy, copyNeFixtures, expectUpstreamConformance, removeNeFixtures } from '../support/neFixtures';

describe('entropy collector', () => {
  let root: string;
  beforeAll(() => {
    root = copyNeFixtures(['proc']);
  });
  afterAll(() => removeNeFixtures(root));

  it("matches node_exporter's e2e output on upstream's fixtures", async () => {
    await expectUpstreamConformance(entropy, root, /^node_entropy_/, 2);
  });

  it.each([
    ['entropy_avail is missing', 'entropy_avail', null, 'RXP_PROC_MISSING'],
    ['poolsize is missing', 'poolsize', null, 'RXP_PROC_MISSING'],
    ['entropy_avail is empty', 'entropy_avail', '', 'RXP_PROC_PARSE'],
    ['poolsize is not a number', 'poolsize', 'big\n', 'RXP_PROC_PARSE'],
  ])('fails the cycle with an RxporterError when %s', async (_n, file, content, code) => {
    const p = (dir: string) => join(dir, 'proc/sys/kernel/random', file);
    const r = await collectOnEditedCopy(entropy, ['proc'], (dir) => (content === null ? rmSync(p(dir)) : writeFileSync(p(dir), content)));
    expect(r.error).toBeInstanceOf(RxporterError);
    expect(r.error).toMatchObject({ code });
  });
});
