import { rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { createStatCollector, statDefinition } from '../../src/collectors/stat';
import { RxporterError } from '../../src/errors';
import { collectAll, collectOnEditedCopy, copyNeFixtures, expectUpstreamConformance, fixtureContext, removeNeFixtures } from '../support/neFixtures';

describe('stat collector', () => {
  let root: string;
  beforeAll(() => {
    root = copyNeFixtures(['proc']);
  });
  afterAll(() => removeNeFixtures(root));

  it("matches node_exporter's e2e output on upstream's fixtures with --collector.stat.softirq", async () => {
    await expectUpstreamConformance(createStatCollector({ softirq: true }), root, /^node_(intr_total|context_switches_total|forks_total|boot_time_seconds|procs_running|procs_blocked|softirqs_total)$/, 16);
  });

  it('exports no softirq vectors by default', async () => {
    const fams = await collectAll(statDefinition.create({ softirq: false }), fixtureContext(root));
    expect(fams.map((f) => f.name)).toEqual(['node_intr_total', 'node_context_switches_total', 'node_forks_total', 'node_boot_time_seconds', 'node_procs_running', 'node_procs_blocked']);
  });

  it.each([
    ['the file is missing', null, 'RXP_PROC_MISSING'],
    ['the file is empty', '', 'RXP_PROC_PARSE'],
    ['a counter is not a number', 'cpu 1 2 3 4\nctxt x\n', 'RXP_PROC_PARSE'],
  ])('fails the cycle with an RxporterError when %s', async (_n, content, code) => {
    const r = await collectOnEditedCopy(createStatCollector({ softirq: true }), ['proc'], (dir) =>
      content === null ? rmSync(join(dir, 'proc/stat')) : writeFileSync(join(dir, 'proc/stat'), content),
    );
    expect(r.error).toBeInstanceOf(RxporterError);
    expect(r.error).toMatchObject({ code });
  });
});
