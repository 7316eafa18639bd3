import { cpSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { dmmultipath, isPathActive } from '../../src/collectors/dmmultipath';
import { actualText, byPrefix, collectFamilies, expectedText, fixtureContext, recordingLog, sampleCount, upstreamFixtures } from '../support/upstream';

const mine = byPrefix('node_dmmultipath_');

describe('dmmultipath collector', () => {
  it('matches node_exporter on the upstream fixtures, sample for sample', async () => {
    const want = expectedText(mine);
    expect(sampleCount(want)).toBe(18);
    expect(actualText(await collectFamilies(dmmultipath), mine)).toBe(want);
  });

  it.each([
    ['running', true],
    ['live', true],
    ['offline', false],
    ['', false],
  ])('path state %j active: %s', (s, want) => {
    expect(isPathActive(s)).toBe(want);
  });

  it('reports no data without /sys/block', async () => {
    await expect(collectFamilies(dmmultipath, fixtureContext(mkdtempSync(join(tmpdir(), 'rxp-dmmp-'))))).rejects.toMatchObject({ code: 'RXP_NO_DATA' });
  });

  describe('on a modified copy', () => {
    let dir: string;
    beforeEach(() => {
      dir = mkdtempSync(join(tmpdir(), 'rxp-dmmp-'));
      cpSync(join(upstreamFixtures(), 'sys'), join(dir, 'sys'), { recursive: true, verbatimSymlinks: true });
    });
    afterEach(() => rmSync(dir, { recursive: true, force: true }));

    it('skips a device whose path vanished between listing and reading', async () => {
      rmSync(join(dir, 'sys/block/sdn'), { recursive: true, force: true });
      const log = recordingLog();
      const fams = await collectFamilies(dmmultipath, fixtureContext(dir, log));
      expect(fams.find((f) => f.name === 'node_dmmultipath_device_info')!.samples.map((s) => s.labels.device)).toEqual(['mpathA']);
      expect(log.lines.some((l) => l.message === 'dm device vanished')).toBe(true);
    });

    it.each([
      ['a non-number size', 'sys/block/dm-5/size', 'big\n'],
      ['an empty suspended flag', 'sys/block/dm-5/dm/suspended', ''],
    ])('fails the cycle with RXP_PROC_PARSE on %s', async (_n, rel, text) => {
      writeFileSync(join(dir, rel), text);
      await expect(collectFamilies(dmmultipath, fixtureContext(dir))).rejects.toMatchObject({ code: 'RXP_PROC_PARSE' });
    });
  });
});
