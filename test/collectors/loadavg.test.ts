import { rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { loadavg } from '../../src/collectors/loadavg';
import { RxporterError } from '../../src/errors';
import { collectOnEditedCopy, copyNeFixtures, expectUpstreamConformance, removeNeFixtures } from '../support/neFixtures';

describe('loadavg collector', () => {
  let root: string;
  beforeAll(() => {
    root = copyNeFixtures(['proc']);
  });
  afterAll(() => removeNeFixtures(root));

  it("matches node_exporter's e2e output on upstream's fixtures", async () => {
    await expectUpstreamConformance(loadavg, root, /^node_load(1|5|15)$/, 3);
  });

  it.each([
    ['the file is missing', null, 'RXP_PROC_MISSING'],
    ['the file is truncated', '0.21 0.37', 'RXP_PROC_PARSE'],
    ['a load is not a number', '0.21 x 0.39 1/2 3', 'RXP_PROC_PARSE'],
  ])('fails the cycle with an RxporterError when %s', async (_n, content, code) => {
    const r = await collectOnEditedCopy(loadavg, ['proc'], (dir) => (content === null ? rmSync(join(dir, 'proc/loadavg')) : writeFileSync(join(dir, 'proc/loadavg'), content)));
    expect(r.error).toBeInstanceOf(RxporterError);
    expect(r.error).toMatchObject({ code });
  });
});
