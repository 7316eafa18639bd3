import { chmodSync, mkdirSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { lnstat } from '../../src/collectors/lnstat';
import {
  actualExposition,
  collectAll,
  copyNeFixtures,
  expectedExposition,
  fixtureContext,
  recordingLog,
  removeNeFixtures,
} from '../support/neFixtures';

const NAMES = /^node_lnstat_/;

describe('lnstat collector', () => {
  let root: string;
  beforeAll(() => {
    root = copyNeFixtures(['proc']);
  });
  afterAll(() => removeNeFixtures(root));

  it("matches node_exporter's e2e output on upstream's fixtures, sample for sample", async () => {
    const fams = await collectAll(lnstat, fixtureContext(root));
    const expected = expectedExposition(NAMES);
    expect(expected.split('\n').filter((l) => !l.startsWith('#'))).toHaveLength(120);
    expect(actualExposition(fams, NAMES)).toBe(expected);
  });

  it('emits nothing, without failing, when /proc/net/stat is absent', async () => {
    const r = copyNeFixtures(['proc']);
    try {
      rmSync(join(r, 'proc', 'net', 'stat'), { recursive: true });
      await expect(collectAll(lnstat, fixtureContext(r))).resolves.toEqual([]);
    } finally {
      removeNeFixtures(r);
    }
  });

  it('skips a file that vanished between listing and reading, with a debug line', async () => {
    const r = copyNeFixtures(['proc']);
    try {
      const dir = join(r, 'proc', 'net', 'stat');
      // A dangling symlink is listed but cannot be opened: the file went away meanwhile.
      rmSync(join(dir, 'ndisc_cache'));
      symlinkSync('gone', join(dir, 'ndisc_cache'));
      const log = recordingLog();
      const fams = await collectAll(lnstat, fixtureContext(r, log));
      expect(fams.flatMap((f) => f.samples).some((s) => s.labels.subsystem === 'ndisc_cache')).toBe(false);
      expect(fams.flatMap((f) => f.samples).some((s) => s.labels.subsystem === 'arp_cache')).toBe(true);
      expect(log.lines).toContainEqual(expect.objectContaining({ level: 'debug', meta: expect.objectContaining({ file: 'ndisc_cache' }) }));
    } finally {
      removeNeFixtures(r);
    }
  });

  it.each([
    ['a garbled counter', 'entries allocs\n0000zz 01\n', 'RXP_PROC_PARSE'],
    ['more values than headers', 'entries\n01 02\n', 'RXP_PROC_PARSE'],
  ])('fails the cycle on %s', async (_n, text, code) => {
    const r = copyNeFixtures(['proc']);
    try {
      writeFileSync(join(r, 'proc', 'net', 'stat', 'arp_cache'), text);
      await expect(collectAll(lnstat, fixtureContext(r))).rejects.toMatchObject({ code });
    } finally {
      removeNeFixtures(r);
    }
  });

  it('fails the cycle with RXP_PROC_READ when a file cannot be read', async () => {
    const r = copyNeFixtures(['proc']);
    try {
      const dir = join(r, 'proc', 'net', 'stat', 'arp_cache');
      rmSync(dir);
      mkdirSync(dir); // reading a directory fails with EISDIR
      chmodSync(dir, 0o755);
      await expect(collectAll(lnstat, fixtureContext(r))).rejects.toMatchObject({ code: 'RXP_PROC_READ' });
    } finally {
      removeNeFixtures(r);
    }
  });
});
