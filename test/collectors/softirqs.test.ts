import { rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { softirqs } from '../../src/collectors/softirqs';
import { RxporterError } from '../../src/errors';
import { collectOnEditedCopy, copyNeFixtures, expectUpstreamConformance, removeNeFixtures } from '../support/neFixtures';

describe('softirqs collector', () => {
  let root: string;
  beforeAll(() => {
    root = copyNeFixtures(['proc']);
  });
  afterAll(() => removeNeFixtures(root));

  it("matches node_exporter's e2e output on upstream's fixtures", async () => {
    await expectUpstreamConformance(softirqs, root, /^node_softirqs_functions_total$/, 20);
  });

  it.each([
    ['the file is missing', null, 'RXP_PROC_MISSING'],
    ['the file is empty', '', 'RXP_PROC_PARSE'],
    ['a value is not a number', '  CPU0\n  HI: x\n', 'RXP_PROC_PARSE'],
  ])('fails the cycle with an RxporterError when %s', async (_n, content, code) => {
    const r = await collectOnEditedCopy(softirqs, ['proc'], (dir) => (content === null ? rmSync(join(dir, 'proc/softirqs')) : writeFileSync(join(dir, 'proc/softirqs'), content)));
    expect(r.error).toBeInstanceOf(RxporterError);
    expect(r.error).toMatchObject({ code });
  });
});
