import { rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { zoneinfo } from '../../src/collectors/zoneinfo';
import { RxporterError } from '../../src/errors';
import { collectOnEditedCopy, copyNeFixtures, expectUpstreamConformance, removeNeFixtures } from '../support/neFixtures';

describe('zoneinfo collector', () => {
  let root: string;
  beforeAll(() => {
    root = copyNeFixtures(['proc']);
  });
  afterAll(() => removeNeFixtures(root));

  it("matches node_exporter's e2e output on upstream's fixtures", async () => {
    await expectUpstreamConformance(zoneinfo, root, /^node_zoneinfo_/, 97);
  });

  it.each([
    ['the file is missing', null, 'RXP_PROC_MISSING'],
    ['the file is empty', '', 'RXP_PROC_PARSE'],
    ['a value is not a number', 'Node 0, zone DMA\n  min lots\n', 'RXP_PROC_PARSE'],
  ])('fails the cycle with an RxporterError when %s', async (_n, content, code) => {
    const r = await collectOnEditedCopy(zoneinfo, ['proc'], (dir) => (content === null ? rmSync(join(dir, 'proc/zoneinfo')) : writeFileSync(join(dir, 'proc/zoneinfo'), content)));
    expect(r.error).toBeInstanceOf(RxporterError);
    expect(r.error).toMatchObject({ code });
  });
});
