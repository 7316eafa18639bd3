import { rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { filefd } from '../../src/collectors/filefd';
import { RxporterError } from '../../src/errors';
import { collectOnEditedCopy, copyNeFixtures, expectUpstreamConformance, removeNeFixtures } from '../support/neFixtures';

describe('filefd collector', () => {
  let root: string;
  beforeAll(() => {
    root = copyNeFixtures(['proc']);
  });
  afterAll(() => removeNeFixtures(root));

  it("matches node_exporter's e2e output on upstream's fixtures", async () => {
    await expectUpstreamConformance(filefd, root, /^node_filefd_/, 2);
  });

  it.each([
    ['the file is missing', null, 'RXP_PROC_MISSING'],
    ['the file is empty', '', 'RXP_PROC_PARSE'],
    ['the file is truncated', '1024\t0', 'RXP_PROC_PARSE'],
    ['a value is not a number', '1024\t0\tmax\n', 'RXP_PROC_PARSE'],
  ])('fails the cycle with an RxporterError when %s', async (_n, content, code) => {
    const p = (dir: string) => join(dir, 'proc/sys/fs/file-nr');
    const r = await collectOnEditedCopy(filefd, ['proc'], (dir) => (content === null ? rmSync(p(dir)) : writeFileSync(p(dir), content)));
    expect(r.error).toBeInstanceOf(RxporterError);
    expect(r.error).toMatchObject({ code });
  });
});
