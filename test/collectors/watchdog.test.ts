import { cpSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { watchdog } from '../../src/collectors/watchdog';
import { actualText, byPrefix, collectFamilies, expectedText, fixtureContext, recordingLog, sampleCount, upstreamFixtures } from '../support/upstream';

const mine = byPrefix('node_watchdog_');

describe('watchdog collector', () => {
  it('matches node_exporter on the upstream fixtures, sample for sample', async () => {
    const want = expectedText(mine);
    expect(sampleCount(want)).toBe(9);
    expect(actualText(await collectFamilies(watchdog), mine)).toBe(want);
  });

  it('reports no data without the watchdog class', async () => {
    await expect(collectFamilies(watchdog, fixtureContext(mkdtempSync(join(tmpdir(), 'rxp-wd-'))))).rejects.toMatchObject({ code: 'RXP_NO_DATA' });
  });

  describe('on a modified copy', () => {
    let dir: string;
    const wd = () => join(dir, 'sys/class/watchdog');
    beforeEach(() => {
      dir = mkdtempSync(join(tmpdir(), 'rxp-wd-'));
      cpSync(join(upstreamFixtures(), 'sys/class/watchdog'), wd(), { recursive: true });
    });
    afterEach(() => rmSync(dir, { recursive: true, force: true }));

    it('skips a watchdog that vanished between listing and reading', async () => {
      symlinkSync('../../devices/gone', join(wd(), 'watchdog2'));
      const log = recordingLog();
      const fams = await collectFamilies(watchdog, fixtureContext(dir, log));
      expect(fams.find((f) => f.name === 'node_watchdog_info')!.samples.map((s) => s.labels.name)).toEqual(['watchdog0', 'watchdog1']);
      expect(log.lines.some((l) => l.message === 'watchdog vanished')).toBe(true);
    });

    it.each([
      ['a non-number timeout', 'timeout', 'soon\n'],
    ])('fails the cycle with RXP_PROC_PARSE on %s', async (_n, file, text) => {
      writeFileSync(join(wd(), 'watchdog0', file), text);
      await expect(collectFamilies(watchdog, fixtureContext(dir))).rejects.toMatchObject({ code: 'RXP_PROC_PARSE' });
    });

    it.each([['an empty file', ''], ['<unknown>', '<unknown>\n'], ['N/A', 'N/A\n']])('leaves out a value the kernel marks as none (%s) and keeps the rest', async (_n, text) => {
      const names = async (name: string) => (await collectFamilies(watchdog, fixtureContext(dir))).find((f) => f.name === name)?.samples.map((s) => s.labels.name) ?? [];
      expect(await names('node_watchdog_bootstatus')).toContain('watchdog0');
      writeFileSync(join(wd(), 'watchdog0', 'bootstatus'), text);
      expect(await names('node_watchdog_bootstatus')).not.toContain('watchdog0');
      const fams = await collectFamilies(watchdog, fixtureContext(dir));
      expect(fams.find((f) => f.name === 'node_watchdog_timeout_seconds')!.samples.map((s) => s.labels.name)).toContain('watchdog0');
    });
  });
});
