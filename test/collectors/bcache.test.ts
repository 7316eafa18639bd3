import { cpSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { bcacheDefinition, createBcacheCollector } from '../../src/collectors/bcache';
import { actualText, byPrefix, collectFamilies, expectedText, fixtureContext, recordingLog, sampleCount, upstreamFixtures } from '../support/upstream';

const mine = byPrefix('node_bcache_');
const UUID = 'deaddd54-c735-46d5-868e-f331c5fd7c74';

describe('bcache collector', () => {
  it('matches node_exporter on the upstream fixtures with --collector.bcache.priorityStats', async () => {
    const want = expectedText(mine);
    expect(sampleCount(want)).toBe(28);
    expect(actualText(await collectFamilies(bcacheDefinition.create({ priorityStats: true })), mine)).toBe(want);
  });

  it('leaves the priority stats out by default', async () => {
    const fams = await collectFamilies(bcacheDefinition.create({ priorityStats: false }));
    expect(fams.some((f) => f.name.startsWith('node_bcache_priority_stats'))).toBe(false);
    expect(fams.some((f) => f.name === 'node_bcache_written_bytes_total')).toBe(true);
  });

  describe('on a modified copy', () => {
    let dir: string;
    beforeEach(() => {
      dir = mkdtempSync(join(tmpdir(), 'rxp-bcache-'));
      cpSync(join(upstreamFixtures(), 'sys/fs/bcache'), join(dir, 'sys/fs/bcache'), { recursive: true });
    });
    afterEach(() => rmSync(dir, { recursive: true, force: true }));

    it('skips a cache set that vanished between listing and reading', async () => {
      symlinkSync('gone', join(dir, 'sys/fs/bcache/dead-set'));
      const log = recordingLog();
      const fams = await collectFamilies(createBcacheCollector(true), fixtureContext(dir, log));
      expect(fams.find((f) => f.name === 'node_bcache_tree_depth')!.samples.map((s) => s.labels.uuid)).toEqual([UUID]);
      expect(log.lines.some((l) => l.message === 'bcache device vanished')).toBe(true);
    });

    it.each([
      ['a garbled value', 'tree_depth', 'deep\n'],
      ['a garbled priority_stats', 'cache0/priority_stats', 'Unused: x%\n'],
    ])('fails the cycle with RXP_PROC_PARSE on %s', async (_n, rel, text) => {
      writeFileSync(join(dir, 'sys/fs/bcache', UUID, rel), text);
      await expect(collectFamilies(createBcacheCollector(true), fixtureContext(dir))).rejects.toMatchObject({ code: 'RXP_PROC_PARSE' });
    });
  });
});
