import { rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { kernelHung } from '../../src/collectors/kernel_hung';
import { RxporterError } from '../../src/errors';
import { collectOnEditedCopy, copyNeFixtures, expectUpstreamConformance, removeNeFixtures } from '../support/neFixtures';

describe('kernel_hung collector', () => {
  let root: string;
  beforeAll(() => {
    root = copyNeFixtures(['proc']);
  });
  afterAll(() => removeNeFixtures(root));

  it("matches node_exporter's e2e output on upstream's fixtures", async () => {
    await expectUpstreamConformance(kernelHung, root, /^node_kernel_hung_tasks_total$/, 1);
  });

  it.each([
    ['the file is missing', null, 'RXP_NO_DATA'],
    ['the file is empty', '', 'RXP_PROC_PARSE'],
    ['a value is not a number', 'many\n', 'RXP_PROC_PARSE'],
  ])('fails the cycle with an RxporterError when %s', async (_n, content, code) => {
    const r = await collectOnEditedCopy(kernelHung, ['proc'], (dir) => (content === null ? rmSync(join(dir, 'proc/sys/kernel/hung_task_detect_count')) : writeFileSync(join(dir, 'proc/sys/kernel/hung_task_detect_count'), content)));
    expect(r.error).toBeInstanceOf(RxporterError);
    expect(r.error).toMatchObject({ code });
  });
});
