import { cpSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { bcachefs, sanitizeMetricName } from '../../src/collectors/bcachefs';
import { actualText, byPrefix, collectFamilies, expectedText, fixtureContext, recordingLog, sampleCount, upstreamFixtures } from '../support/upstream';

const mine = byPrefix('node_bcachefs_');
const UUID = 'deadbeef-1234-5678-9012-abcdefabcdef';

describe('bcachefs collector', () => {
  it('matches node_exporter on the upstream fixtures, sample for sample', async () => {
    const want = expectedText(mine);
    expect(sampleCount(want)).toBe(305);
    expect(actualText(await collectFamilies(bcachefs), mine)).toBe(want);
  });

  it.each([
    ['a.b-c', 'a_b_c'],
    ['x__-__y', 'x_y'],
    ['plain_name', 'plain_name'],
  ])('sanitizes %j to %j', (a, b) => {
    expect(sanitizeMetricName(a)).toBe(b);
  });

  it('reports no data without bcachefs', async () => {
    await expect(collectFamilies(bcachefs, fixtureContext(mkdtempSync(join(tmpdir(), 'rxp-bfs-'))))).rejects.toMatchObject({ code: 'RXP_NO_DATA' });
  });

  describe('on a modified copy', () => {
    let dir: string;
    const fs = () => join(dir, 'sys/fs/bcachefs', UUID);
    beforeEach(() => {
      dir = mkdtempSync(join(tmpdir(), 'rxp-bfs-'));
      cpSync(join(upstreamFixtures(), 'sys/fs/bcachefs'), join(dir, 'sys/fs/bcachefs'), { recursive: true });
    });
    afterEach(() => rmSync(dir, { recursive: true, force: true }));

    it('treats missing optional files as empty', async () => {
      rmSync(join(fs(), 'compression_stats'));
      rmSync(join(fs(), 'dev-6/nbuckets'));
      const fams = await collectFamilies(bcachefs, fixtureContext(dir));
      expect(fams.find((f) => f.name === 'node_bcachefs_compression_compressed_bytes')).toBeUndefined();
      expect(fams.find((f) => f.name === 'node_bcachefs_device_buckets')!.samples.find((s) => s.labels.device === '6')!.value).toBe(0);
    });

    it('skips a counter that vanished after listing, with a debug line', async () => {
      rmSync(join(fs(), 'counters/bucket_alloc'));
      const { symlinkSync } = await import('node:fs');
      symlinkSync('gone', join(fs(), 'counters/bucket_alloc'));
      const log = recordingLog();
      const fams = await collectFamilies(bcachefs, fixtureContext(dir, log));
      expect(fams.find((f) => f.name === 'node_bcachefs_bucket_alloc_total')).toBeUndefined();
      expect(log.lines.some((l) => l.level === 'debug' && l.message === 'bcachefs counter vanished')).toBe(true);
    });

    it.each([
      ['a garbled counter', 'counters/bucket_alloc', 'nothing here\n'],
      ['a non-number nbuckets', 'dev-6/nbuckets', 'many\n'],
      ['an empty durability', 'dev-6/durability', ''],
      ['a garbled btree cache size', 'btree_cache_size', 'big\n'],
    ])('fails the cycle with RXP_PROC_PARSE on %s', async (_n, rel, text) => {
      writeFileSync(join(fs(), rel), text);
      await expect(collectFamilies(bcachefs, fixtureContext(dir))).rejects.toMatchObject({ code: 'RXP_PROC_PARSE' });
    });
  });
});
