import { rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { buddyinfo } from '../../src/collectors/buddyinfo';
import { RxporterError } from '../../src/errors';
import { collectOnEditedCopy, copyNeFixtures, expectUpstreamConformance, removeNeFixtures } from '../support/neFixtures';

describe('buddyinfo collector', () => {
  let root: string;
  beforeAll(() => {
    root = copyNeFixtures(['proc']);
  });
  afterAll(() => removeNeFixtures(root));

  it("matches node_exporter's e2e output on upstream's fixtures", async () => {
    await expectUpstreamConformance(buddyinfo, root, /^node_buddyinfo_blocks$/, 33);
  });

  it.each([
    ['the file is missing', null, 'RXP_PROC_MISSING'],
    ['the file is empty', '', 'RXP_PROC_PARSE'],
    ['a value is not a number', 'Node 0, zone DMA 1 x\n', 'RXP_PROC_PARSE'],
  ])('fails the cycle with an RxporterError when %s', async (_n, content, code) => {
    const r = await collectOnEditedCopy(buddyinfo, ['proc'], (dir) => (content === null ? rmSync(join(dir, 'proc/buddyinfo')) : writeFileSync(join(dir, 'proc/buddyinfo'), content)));
    expect(r.error).toBeInstanceOf(RxporterError);
    expect(r.error).toMatchObject({ code });
  });
});
