import { rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { mountstats } from '../../src/collectors/mountstats';
import { RxporterError } from '../../src/errors';
import {
  actualExposition,
  collectAll,
  copyNeFixtures,
  expectedExposition,
  fixtureContext,
  removeNeFixtures,
} from '../support/neFixtures';

const NAMES = /^node_mountstats_/;

describe('mountstats collector', () => {
  let root: string;
  beforeAll(() => {
    root = copyNeFixtures();
  });
  afterAll(() => removeNeFixtures(root));

  it("matches node_exporter's e2e output on upstream's fixtures, sample for sample", async () => {
    const fams = await collectAll(mountstats, fixtureContext(root));
    const expected = expectedExposition(NAMES);
    expect(expected.split('\n').filter((l) => !l.startsWith('#'))).toHaveLength(149);
    expect(actualExposition(fams, NAMES)).toBe(expected);
  });

  it.each([
    ['mountstats missing', 'self/mountstats', null, 'RXP_PROC_MISSING'],
    ['mountinfo missing', 'self/mountinfo', null, 'RXP_PROC_MISSING'],
    ['a non-number in bytes', 'self/mountstats', 'device a:/b mounted on /m with fstype nfs statvers=1.1\n\tbytes:\t1 2 x 4 5 6 7 8\n', 'RXP_PROC_PARSE'],
    ['a garbled mountinfo', 'self/mountinfo', '1 2 3\n', 'RXP_PROC_PARSE'],
  ])('fails the cycle with an RxporterError when %s', async (_n, file, content, code) => {
    const r = copyNeFixtures(['proc']);
    try {
      const p = join(r, 'proc', file);
      if (content === null) rmSync(p);
      else writeFileSync(p, content);
      await expect(collectAll(mountstats, fixtureContext(r))).rejects.toMatchObject({ code });
      await expect(collectAll(mountstats, fixtureContext(r))).rejects.toBeInstanceOf(RxporterError);
    } finally {
      removeNeFixtures(r);
    }
  });
});
