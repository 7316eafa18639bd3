import { mkdirSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { cpuVulnerabilities } from '../../src/collectors/cpu_vulnerabilities';
import { RxporterError } from '../../src/errors';
import { collectOnEditedCopy, copyNeFixtures, expectUpstreamConformance, removeNeFixtures } from '../support/neFixtures';

const dir = 'sys/devices/system/cpu/vulnerabilities';

describe('cpu_vulnerabilities collector', () => {
  let root: string;
  beforeAll(() => {
    root = copyNeFixtures(['sys']);
  });
  afterAll(() => removeNeFixtures(root));

  it("matches node_exporter's e2e output on upstream's fixtures", async () => {
    await expectUpstreamConformance(cpuVulnerabilities, root, /^node_cpu_vulnerabilities_info$/, 5);
  });

  it('exports nothing on a kernel without the vulnerabilities directory', async () => {
    const r = await collectOnEditedCopy(cpuVulnerabilities, ['sys'], (d) => rmSync(join(d, dir), { recursive: true }));
    expect(r.families).toEqual([]);
  });

  it('fails the cycle with an RxporterError when an entry cannot be read', async () => {
    const r = await collectOnEditedCopy(cpuVulnerabilities, ['sys'], (d) => mkdirSync(join(d, dir, 'new_bug')));
    expect(r.error).toBeInstanceOf(RxporterError);
    expect(r.error).toMatchObject({ code: 'RXP_PROC_READ' });
  });
});
