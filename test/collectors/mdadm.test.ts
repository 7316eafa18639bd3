import { cpSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { mdadm } from '../../src/collectors/mdadm';
import { edge } from '../support/edge';
import { actualText, byPrefix, collectFamilies, expectedText, fixtureContext, recordingLog, sampleCount, upstreamFixtures } from '../support/upstream';

const mine = byPrefix('node_md_');

describe('mdadm collector', () => {
  it('matches node_exporter on the upstream fixtures, sample for sample', async () => {
    const want = expectedText(mine);
    expect(sampleCount(want)).toBe(199);
    expect(actualText(await collectFamilies(mdadm), mine)).toBe(want);
  });

  describe('on a modified copy', () => {
    let dir: string;
    beforeEach(() => {
      dir = mkdtempSync(join(tmpdir(), 'rxp-md-'));
      cpSync(join(upstreamFixtures(), 'proc/mdstat'), join(dir, 'proc/mdstat'));
      for (const md of ['md0', 'md1', 'md4']) cpSync(join(upstreamFixtures(), 'sys/block', md), join(dir, 'sys/block', md), { recursive: true, verbatimSymlinks: true });
    });
    afterEach(() => rmSync(dir, { recursive: true, force: true }));

    it('reports no data without /proc/mdstat', async () => {
      rmSync(join(dir, 'proc/mdstat'));
      await expect(collectFamilies(mdadm, fixtureContext(dir))).rejects.toMatchObject({ code: 'RXP_NO_DATA' });
    });

    it('skips an array whose files vanished after listing, with a debug line', async () => {
      rmSync(join(dir, 'sys/block/md1/md/degraded'));
      const log = recordingLog();
      const fams = await collectFamilies(mdadm, fixtureContext(dir, log));
      expect(fams.find((f) => f.name === 'node_md_degraded')!.samples.map((s) => s.labels.device)).toEqual(['md0', 'md4']);
      expect(log.lines.some((l) => l.level === 'debug' && l.message === 'md device vanished')).toBe(true);
    });

    it.each([['an empty file', ''], ['N/A', 'N/A\n']])('leaves out a degraded count the kernel marks as none (%s) and keeps the array', async (_n, text) => {
      writeFileSync(join(dir, 'sys/block/md1/md/degraded'), text);
      const fams = await collectFamilies(mdadm, fixtureContext(dir));
      expect(fams.find((f) => f.name === 'node_md_degraded')!.samples.map((s) => s.labels.device)).toEqual(['md0', 'md4']);
      expect(fams.find((f) => f.name === 'node_md_raid_disks')!.samples.map((s) => s.labels.device)).toEqual(['md0', 'md1', 'md4']);
    });

    it.each([
      ['a truncated mdstat', () => writeFileSync(join(dir, 'proc/mdstat'), edge('mdadm', 'truncated'))],
      ['a non-number degraded count', () => writeFileSync(join(dir, 'sys/block/md1/md/degraded'), 'one\n')],
    ])('fails the cycle with RXP_PROC_PARSE on %s', async (_n, change) => {
      change();
      await expect(collectFamilies(mdadm, fixtureContext(dir))).rejects.toMatchObject({ code: 'RXP_PROC_PARSE' });
    });
  });
});
