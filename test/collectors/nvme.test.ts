import { cpSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { nvme } from '../../src/collectors/nvme';
import { actualText, byPrefix, collectFamilies, expectedText, fixtureContext, recordingLog, sampleCount, upstreamFixtures } from '../support/upstream';

const mine = byPrefix('node_nvme_');

describe('nvme collector', () => {
  it('matches node_exporter on the upstream fixtures, sample for sample', async () => {
    const want = expectedText(mine);
    expect(sampleCount(want)).toBe(6);
    expect(actualText(await collectFamilies(nvme), mine)).toBe(want);
  });

  it('reports no data without the nvme class', async () => {
    await expect(collectFamilies(nvme, fixtureContext(mkdtempSync(join(tmpdir(), 'rxp-nvme-'))))).rejects.toMatchObject({ code: 'RXP_NO_DATA' });
  });

  describe('on a modified copy', () => {
    let dir: string;
    const dev = () => join(dir, 'sys/class/nvme/nvme0');
    beforeEach(() => {
      dir = mkdtempSync(join(tmpdir(), 'rxp-nvme-'));
      cpSync(join(upstreamFixtures(), 'sys/class/nvme'), join(dir, 'sys/class/nvme'), { recursive: true });
    });
    afterEach(() => rmSync(dir, { recursive: true, force: true }));

    it('reads a namespace without ana_state as "unknown" and unparsable sizes as 0, as procfs', async () => {
      rmSync(join(dev(), 'nvme0n1/ana_state'));
      writeFileSync(join(dev(), 'nvme0n1/nuse'), 'n/a\n');
      const fams = await collectFamilies(nvme, fixtureContext(dir));
      expect(fams.find((f) => f.name === 'node_nvme_namespace_info')!.samples[0].labels.ana_state).toBe('unknown');
      expect(fams.find((f) => f.name === 'node_nvme_namespace_used_bytes')!.samples[0].value).toBe(0);
    });

    it('skips a controller that vanished between listing and reading', async () => {
      rmSync(join(dev(), 'model'));
      const log = recordingLog();
      expect(await collectFamilies(nvme, fixtureContext(dir, log))).toEqual([]);
      expect(log.lines.some((l) => l.message === 'nvme device vanished')).toBe(true);
    });
  });
});
