import { cpSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { thermalZone } from '../../src/collectors/thermal_zone';
import { actualText, byPrefix, collectFamilies, expectedText, fixtureContext, recordingLog, sampleCount, upstreamFixtures } from '../support/upstream';

const mine = byPrefix('node_thermal_zone_', 'node_cooling_device_');

describe('thermal_zone collector', () => {
  it('matches node_exporter on the upstream fixtures, sample for sample', async () => {
    const want = expectedText(mine);
    expect(sampleCount(want)).toBe(3);
    expect(actualText(await collectFamilies(thermalZone), mine)).toBe(want);
  });

  it('reports no data without the thermal class', async () => {
    await expect(collectFamilies(thermalZone, fixtureContext(mkdtempSync(join(tmpdir(), 'rxp-tz-'))))).rejects.toMatchObject({ code: 'RXP_NO_DATA' });
  });

  describe('on a modified copy', () => {
    let dir: string;
    const th = () => join(dir, 'sys/class/thermal');
    beforeEach(() => {
      dir = mkdtempSync(join(tmpdir(), 'rxp-tz-'));
      cpSync(join(upstreamFixtures(), 'sys/class/thermal'), th(), { recursive: true, verbatimSymlinks: true });
      cpSync(join(upstreamFixtures(), 'sys/devices'), join(dir, 'sys/devices'), { recursive: true, verbatimSymlinks: true });
    });
    afterEach(() => rmSync(dir, { recursive: true, force: true }));

    it('reports an unreadable zone temperature as 0, as procfs does', async () => {
      writeFileSync(join(th(), 'thermal_zone0/temp'), 'hot\n');
      const fams = await collectFamilies(thermalZone, fixtureContext(dir));
      expect(fams.find((f) => f.name === 'node_thermal_zone_temp')!.samples[0].value).toBe(0);
    });

    it('skips a cooling device that vanished between listing and reading', async () => {
      symlinkSync('../../devices/gone', join(th(), 'cooling_device9'));
      const log = recordingLog();
      const fams = await collectFamilies(thermalZone, fixtureContext(dir, log));
      expect(fams.find((f) => f.name === 'node_cooling_device_max_state')!.samples.map((s) => s.labels.name)).toEqual(['0']);
      expect(log.lines.some((l) => l.message === 'cooling device skipped')).toBe(true);
    });

    it('fails the cycle with RXP_PROC_PARSE on a non-number cooling state', async () => {
      writeFileSync(join(th(), 'cooling_device0/cur_state'), 'busy\n');
      await expect(collectFamilies(thermalZone, fixtureContext(dir))).rejects.toMatchObject({ code: 'RXP_PROC_PARSE' });
    });

    it.each([['an empty file', ''], ['<unknown>', '<unknown>\n'], ['N/A', 'N/A\n']])('leaves out a cooling state the kernel marks as none (%s) and keeps the rest', async (_n, text) => {
      writeFileSync(join(th(), 'cooling_device0/cur_state'), text);
      const fams = await collectFamilies(thermalZone, fixtureContext(dir));
      expect(fams.map((f) => f.name)).not.toContain('node_cooling_device_cur_state');
      expect(fams.find((f) => f.name === 'node_cooling_device_max_state')!.samples.map((s) => s.labels.name)).toEqual(['0']);
      expect(fams.map((f) => f.name)).toContain('node_thermal_zone_temp');
    });
  });
});
