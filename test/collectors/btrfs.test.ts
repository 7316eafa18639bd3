import { cpSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { btrfs } from '../../src/collectors/btrfs';
import { actualText, byPrefix, collectFamilies, expectedText, fixtureContext, recordingLog, sampleCount, upstreamFixtures } from '../support/upstream';

const mine = byPrefix('node_btrfs_');
const UUID = '0abb23a9-579b-43e6-ad30-227ef47fcb9d';

describe('btrfs collector', () => {
  it('matches node_exporter on the upstream fixtures, sample for sample', async () => {
    const want = expectedText(mine);
    expect(sampleCount(want)).toBe(42);
    expect(actualText(await collectFamilies(btrfs), mine)).toBe(want);
  });

  it('reports nothing (and succeeds) without btrfs', async () => {
    expect(await collectFamilies(btrfs, fixtureContext(mkdtempSync(join(tmpdir(), 'rxp-btrfs-'))))).toEqual([]);
  });

  describe('on a modified copy', () => {
    let dir: string;
    const fs = () => join(dir, 'sys/fs/btrfs', UUID);
    beforeEach(() => {
      dir = mkdtempSync(join(tmpdir(), 'rxp-btrfs-'));
      cpSync(join(upstreamFixtures(), 'sys/fs/btrfs'), join(dir, 'sys/fs/btrfs'), { recursive: true, verbatimSymlinks: true });
    });
    afterEach(() => rmSync(dir, { recursive: true, force: true }));

    it('reads an unparsable number as 0, as procfs does', async () => {
      writeFileSync(join(fs(), 'allocation/global_rsv_size'), 'lots\n');
      const fams = await collectFamilies(btrfs, fixtureContext(dir));
      expect(fams.find((f) => f.name === 'node_btrfs_global_rsv_size_bytes')!.samples.find((s) => s.labels.uuid === UUID)!.value).toBe(0);
    });

    it('fails the cycle on a garbled commit_stats', async () => {
      writeFileSync(join(fs(), 'commit_stats'), 'commits x\n');
      await expect(collectFamilies(btrfs, fixtureContext(dir))).rejects.toMatchObject({ code: 'RXP_PROC_PARSE' });
    });

    it('skips a filesystem that vanished between listing and reading, with a debug line', async () => {
      symlinkSync('gone', join(dir, 'sys/fs/btrfs/dead-beef'));
      const log = recordingLog();
      const fams = await collectFamilies(btrfs, fixtureContext(dir, log));
      expect(fams.find((f) => f.name === 'node_btrfs_info')!.samples).toHaveLength(2);
      expect(log.lines.some((l) => l.level === 'debug' && l.message === 'btrfs filesystem vanished')).toBe(true);
    });

    it('fails the cycle when a filesystem lacks its allocation directories', async () => {
      rmSync(join(fs(), 'allocation/data'), { recursive: true });
      await expect(collectFamilies(btrfs, fixtureContext(dir))).rejects.toMatchObject({ code: 'RXP_PROC_MISSING' });
    });
  });
});
