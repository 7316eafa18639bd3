import { cpSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { zfs } from '../../src/collectors/zfs';
import { actualText, byPrefix, collectFamilies, expectedText, fixtureContext, recordingLog, sampleCount, upstreamFixtures } from '../support/upstream';

const mine = byPrefix('node_zfs_');

describe('zfs collector', () => {
  it('matches node_exporter on the upstream fixtures, sample for sample', async () => {
    const want = expectedText(mine);
    expect(sampleCount(want)).toBe(359);
    expect(actualText(await collectFamilies(zfs), mine)).toBe(want);
  });

  it('reports no data (RXP_NO_DATA) when ZFS is not loaded', async () => {
    const empty = mkdtempSync(join(tmpdir(), 'rxp-zfs-'));
    await expect(collectFamilies(zfs, fixtureContext(empty))).rejects.toMatchObject({ code: 'RXP_NO_DATA' });
  });

  describe('on a modified copy', () => {
    let dir: string;
    beforeEach(() => {
      dir = mkdtempSync(join(tmpdir(), 'rxp-zfs-'));
      cpSync(join(upstreamFixtures(), 'proc/spl'), join(dir, 'proc/spl'), { recursive: true });
    });
    afterEach(() => rmSync(dir, { recursive: true, force: true }));
    const base = () => join(dir, 'proc/spl/kstat/zfs');

    it('skips a pool whose files vanished after listing, with a debug line', async () => {
      rmSync(join(base(), 'pool1/io'));
      symlinkSync('gone', join(base(), 'pool1/io'));
      rmSync(join(base(), 'pool1/state'));
      symlinkSync('gone', join(base(), 'pool1/state'));
      const log = recordingLog();
      const fams = await collectFamilies(zfs, fixtureContext(dir, log));
      const pools = new Set(fams.find((f) => f.name === 'node_zfs_zpool_state')!.samples.map((s) => s.labels.zpool));
      expect([...pools].sort()).toEqual(['pool2', 'pool3', 'poolz1']);
      expect(fams.find((f) => f.name === 'node_zfs_zpool_nread')!.samples.map((s) => s.labels.zpool)).toEqual(['pool3', 'poolz1']);
      expect(log.lines.filter((l) => l.level === 'debug' && l.message === 'zfs file vanished')).toHaveLength(2);
    });

    it('skips a missing subsystem file and still reports the rest', async () => {
      rmSync(join(base(), 'arcstats'));
      const fams = await collectFamilies(zfs, fixtureContext(dir));
      expect(fams.some((f) => f.name.startsWith('node_zfs_arc_'))).toBe(false);
      expect(fams.some((f) => f.name.startsWith('node_zfs_dbuf_'))).toBe(true);
    });

    it.each([
      ['a garbled kstat file', 'arcstats', 'name type data\nhits 4 12abc\n'],
      ['an empty kstat file', 'dbufstats', ''],
      ['a garbled pool io file', 'pool1/io', 'nread nwritten reads writes wtime wlentime wupdate rtime rlentime rupdate wcnt rcnt\n1 2\n'],
    ])('fails the cycle with RXP_PROC_PARSE on %s', async (_n, rel, text) => {
      writeFileSync(join(base(), rel), text);
      await expect(collectFamilies(zfs, fixtureContext(dir))).rejects.toMatchObject({ code: 'RXP_PROC_PARSE' });
    });
  });
});
