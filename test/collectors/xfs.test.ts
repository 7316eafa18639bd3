import { cpSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { xfs } from '../../src/collectors/xfs';
import { actualText, byPrefix, collectFamilies, expectedText, fixtureContext, sampleCount, upstreamFixtures } from '../support/upstream';

const mine = byPrefix('node_xfs_');

describe('xfs collector', () => {
  it('matches node_exporter on the upstream fixtures, sample for sample', async () => {
    const want = expectedText(mine);
    expect(sampleCount(want)).toBe(39);
    expect(actualText(await collectFamilies(xfs), mine)).toBe(want);
  });

  it('reports nothing without XFS', async () => {
    expect(await collectFamilies(xfs, fixtureContext(mkdtempSync(join(tmpdir(), 'rxp-xfs-'))))).toEqual([]);
  });

  describe('on a modified copy', () => {
    let dir: string;
    beforeEach(() => {
      dir = mkdtempSync(join(tmpdir(), 'rxp-xfs-'));
      cpSync(join(upstreamFixtures(), 'sys/fs/xfs'), join(dir, 'sys/fs/xfs'), { recursive: true });
    });
    afterEach(() => rmSync(dir, { recursive: true, force: true }));

    it('skips a device whose stats vanished and reports missing sections as 0', async () => {
      mkdirSync(join(dir, 'sys/fs/xfs/sdz1'));
      mkdirSync(join(dir, 'sys/fs/xfs/sdy1/stats'), { recursive: true });
      writeFileSync(join(dir, 'sys/fs/xfs/sdy1/stats/stats'), 'rw 5 7\n');
      const fams = await collectFamilies(xfs, fixtureContext(dir));
      const reads = fams.find((f) => f.name === 'node_xfs_read_calls_total')!.samples;
      expect(reads.map((s) => s.labels.device)).toEqual(['sda1', 'sdy1']);
      expect(reads[1].value).toBe(7);
      expect(fams.find((f) => f.name === 'node_xfs_vnode_active_total')!.samples[1].value).toBe(0);
    });

    it('fails the cycle on a garbled stats file', async () => {
      writeFileSync(join(dir, 'sys/fs/xfs/sda1/stats/stats'), 'extent_alloc 1 2\n');
      await expect(collectFamilies(xfs, fixtureContext(dir))).rejects.toMatchObject({ code: 'RXP_PROC_PARSE' });
    });
  });
});
