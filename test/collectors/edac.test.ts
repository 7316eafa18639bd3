import { cpSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { edac } from '../../src/collectors/edac';
import { actualText, byPrefix, collectFamilies, expectedText, fixtureContext, recordingLog, sampleCount, upstreamFixtures } from '../support/upstream';

const mine = byPrefix('node_edac_');
const MC = 'sys/devices/system/edac/mc';

describe('edac collector', () => {
  it('matches node_exporter on the upstream fixtures, sample for sample', async () => {
    const want = expectedText(mine);
    expect(sampleCount(want)).toBe(20);
    expect(actualText(await collectFamilies(edac), mine)).toBe(want);
  });

  it('reports nothing without EDAC', async () => {
    expect(await collectFamilies(edac, fixtureContext(mkdtempSync(join(tmpdir(), 'rxp-edac-'))))).toEqual([]);
  });

  describe('on a modified copy', () => {
    let dir: string;
    beforeEach(() => {
      dir = mkdtempSync(join(tmpdir(), 'rxp-edac-'));
      cpSync(join(upstreamFixtures(), MC), join(dir, MC), { recursive: true });
    });
    afterEach(() => rmSync(dir, { recursive: true, force: true }));

    it('labels a channel without a DIMM label "unknown" and goes without a missing ue_count', async () => {
      rmSync(join(dir, MC, 'mc0/csrow0/ch0_dimm_label'));
      rmSync(join(dir, MC, 'mc0/csrow0/ch1_ue_count'));
      const fams = await collectFamilies(edac, fixtureContext(dir));
      const ce = fams.find((f) => f.name === 'node_edac_channel_correctable_errors_total')!.samples;
      expect(ce.find((s) => s.labels.csrow === '0' && s.labels.channel === '0')!.labels.dimm_label).toBe('unknown');
      const ue = fams.find((f) => f.name === 'node_edac_channel_uncorrectable_errors_total')!.samples;
      expect(ue.some((s) => s.labels.csrow === '0' && s.labels.channel === '1')).toBe(false);
    });

    it('skips a controller that vanished between listing and reading', async () => {
      symlinkSync('gone', join(dir, MC, 'mc1'));
      const log = recordingLog();
      const fams = await collectFamilies(edac, fixtureContext(dir, log));
      expect(fams.find((f) => f.name === 'node_edac_correctable_errors_total')!.samples.map((s) => s.labels.controller)).toEqual(['0']);
      expect(log.lines.some((l) => l.message === 'edac controller vanished')).toBe(true);
    });

    it.each([
      ['a non-number', 'mc0/ce_count', 'many\n'],
      ['a negative count', 'mc0/csrow0/ch0_ce_count', '-1\n'],
    ])('fails the cycle with RXP_PROC_PARSE on %s', async (_n, rel, text) => {
      writeFileSync(join(dir, MC, rel), text);
      await expect(collectFamilies(edac, fixtureContext(dir))).rejects.toMatchObject({ code: 'RXP_PROC_PARSE' });
    });

    it.each([['an empty file', ''], ['<unknown>', '<unknown>\n'], ['N/A', 'N/A\n']])('leaves out a count the kernel marks as none (%s) and keeps the rest', async (_n, text) => {
      writeFileSync(join(dir, MC, 'mc0/csrow1/ue_count'), text);
      const fams = await collectFamilies(edac, fixtureContext(dir));
      const rows = fams.find((f) => f.name === 'node_edac_csrow_uncorrectable_errors_total')!.samples.filter((s) => s.labels.controller === '0').map((s) => s.labels.csrow);
      expect(rows).toContain('0');
      expect(rows).not.toContain('1');
      expect(fams.find((f) => f.name === 'node_edac_csrow_correctable_errors_total')!.samples.some((s) => s.labels.csrow === '1')).toBe(true);
    });
  });
});
