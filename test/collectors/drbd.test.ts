import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { drbd, drbdDefinition } from '../../src/collectors/drbd';
import { actualText, byPrefix, collectFamilies, expectedText, fixtureContext, sampleCount } from '../support/upstream';

const mine = byPrefix('node_drbd_');

const tree = (text: string) => {
  const dir = mkdtempSync(join(tmpdir(), 'rxp-drbd-'));
  mkdirSync(join(dir, 'proc'));
  writeFileSync(join(dir, 'proc/drbd'), text);
  return dir;
};

describe('drbd collector', () => {
  it('is off by default, as in node_exporter', () => {
    expect(drbdDefinition.defaultEnabled).toBe(false);
  });

  it('matches node_exporter on the upstream fixtures, sample for sample', async () => {
    const want = expectedText(mine);
    expect(sampleCount(want)).toBe(17);
    expect(actualText(await collectFamilies(drbd), mine)).toBe(want);
  });

  it('reports no data without /proc/drbd', async () => {
    await expect(collectFamilies(drbd, fixtureContext(mkdtempSync(join(tmpdir(), 'rxp-drbd-'))))).rejects.toMatchObject({ code: 'RXP_NO_DATA' });
  });

  it('reads a role without a peer as remote 0', async () => {
    const fams = await collectFamilies(drbd, fixtureContext(tree(' 0: cs:StandAlone ro:Primary ds:UpToDate/DUnknown\n')));
    expect(fams.find((f) => f.name === 'node_drbd_node_role_is_primary')!.samples.map((s) => s.value)).toEqual([1, 0]);
    expect(fams.find((f) => f.name === 'node_drbd_connected')!.samples[0].value).toBe(0);
  });

  it('fails the cycle with RXP_PROC_PARSE on a non-number', async () => {
    await expect(collectFamilies(drbd, fixtureContext(tree(' 0: cs:Connected ns:lots\n')))).rejects.toMatchObject({ code: 'RXP_PROC_PARSE' });
  });
});
