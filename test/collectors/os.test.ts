import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { osCollector } from '../../src/collectors/os';
import { actualText, byPrefix, collectFamilies, expectedText, fixtureContext, sampleCount } from '../support/upstream';

const mine = byPrefix('node_os_');

const root = (etc?: string, usr?: string) => {
  const dir = mkdtempSync(join(tmpdir(), 'rxp-os-'));
  if (etc !== undefined) {
    mkdirSync(join(dir, 'etc'));
    writeFileSync(join(dir, 'etc/os-release'), etc);
  }
  if (usr !== undefined) {
    mkdirSync(join(dir, 'usr/lib'), { recursive: true });
    writeFileSync(join(dir, 'usr/lib/os-release'), usr);
  }
  return dir;
};

describe('os collector', () => {
  it('matches node_exporter on the upstream fixtures, sample for sample', async () => {
    const want = expectedText(mine);
    expect(sampleCount(want)).toBe(2);
    expect(actualText(await collectFamilies(osCollector), mine)).toBe(want);
  });

  it('prefers /etc/os-release and reports SUPPORT_END', async () => {
    const fams = await collectFamilies(osCollector, fixtureContext(root('ID=fedora\nVERSION_ID=40\nSUPPORT_END=2025-05-13\n', 'ID=other\n')));
    expect(fams.find((f) => f.name === 'node_os_info')!.samples[0].labels.id).toBe('fedora');
    expect(fams.find((f) => f.name === 'node_os_support_end_timestamp_seconds')!.samples[0].value).toBe(Date.UTC(2025, 4, 13) / 1000);
  });

  it('reports no version family without a numeric VERSION_ID', async () => {
    const fams = await collectFamilies(osCollector, fixtureContext(root(undefined, 'ID=arch\nVERSION_ID=rolling\n')));
    expect(fams.map((f) => f.name)).toEqual(['node_os_info']);
  });

  it('reports no data without any os-release file', async () => {
    await expect(collectFamilies(osCollector, fixtureContext(root()))).rejects.toMatchObject({ code: 'RXP_NO_DATA' });
  });

  it('fails the cycle with RXP_PROC_PARSE on a garbled file', async () => {
    await expect(collectFamilies(osCollector, fixtureContext(root('NAME="broken\n')))).rejects.toMatchObject({ code: 'RXP_PROC_PARSE' });
  });
});
