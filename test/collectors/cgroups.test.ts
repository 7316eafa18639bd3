import { rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { cgroups } from '../../src/collectors/cgroups';
import { RxporterError } from '../../src/errors';
import { collectOnEditedCopy, copyNeFixtures, expectUpstreamConformance, removeNeFixtures } from '../support/neFixtures';

describe('cgroups collector', () => {
  let root: string;
  beforeAll(() => {
    root = copyNeFixtures(['proc']);
  });
  afterAll(() => removeNeFixtures(root));

  it("matches node_exporter's e2e output on upstream's fixtures", async () => {
    await expectUpstreamConformance(cgroups, root, /^node_cgroups_/, 24);
  });

  it.each([
    ['the file is missing', null, 'RXP_PROC_MISSING'],
    ['the file is empty', '', 'RXP_PROC_PARSE'],
    ['a value is not a number', 'cpuset 5 lots 1\n', 'RXP_PROC_PARSE'],
  ])('fails the cycle with an RxporterError when %s', async (_n, content, code) => {
    const r = await collectOnEditedCopy(cgroups, ['proc'], (dir) => (content === null ? rmSync(join(dir, 'proc/cgroups')) : writeFileSync(join(dir, 'proc/cgroups'), content)));
    expect(r.error).toBeInstanceOf(RxporterError);
    expect(r.error).toMatchObject({ code });
  });
});
