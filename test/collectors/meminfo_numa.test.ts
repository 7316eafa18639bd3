import { rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { meminfoNuma } from '../../src/collectors/meminfo_numa';
import { RxporterError } from '../../src/errors';
import { collectOnEditedCopy, copyNeFixtures, expectUpstreamConformance, recordingLog, removeNeFixtures } from '../support/neFixtures';

const node = (f: string) => join('sys/devices/system/node', f);

describe('meminfo_numa collector', () => {
  let root: string;
  beforeAll(() => {
    root = copyNeFixtures(['sys']);
  });
  afterAll(() => removeNeFixtures(root));

  it("matches node_exporter's e2e output on upstream's fixtures", async () => {
    await expectUpstreamConformance(meminfoNuma, root, /^node_memory_numa_/, 105);
  });

  it('skips a node that vanished between listing and reading, with a debug line', async () => {
    const log = recordingLog();
    const r = await collectOnEditedCopy(meminfoNuma, ['sys'], (dir) => rmSync(join(dir, node('node1/meminfo'))), log);
    const total = r.families!.find((f) => f.name === 'node_memory_numa_MemTotal')!;
    expect(total.samples.map((s) => s.labels.node)).toEqual(['0', '2']);
    expect(log.lines).toContainEqual(expect.objectContaining({ level: 'debug', meta: expect.objectContaining({ node: 'node1' }) }));
  });

  it('exports nothing on a machine without NUMA node directories', async () => {
    const r = await collectOnEditedCopy(meminfoNuma, ['sys'], (dir) => rmSync(join(dir, 'sys/devices/system/node'), { recursive: true }));
    expect(r.families).toEqual([]);
  });

  it.each([
    ['meminfo is truncated mid-line', node('node0/meminfo'), 'Node 0 MemTotal:\n'],
    ['meminfo has a non-number', node('node0/meminfo'), 'Node 0 MemTotal: many kB\n'],
    ['numastat has an extra field', node('node2/numastat'), 'numa_hit 1 2\n'],
  ])('fails the cycle with RXP_PROC_PARSE when %s', async (_n, file, content) => {
    const r = await collectOnEditedCopy(meminfoNuma, ['sys'], (dir) => writeFileSync(join(dir, file), content));
    expect(r.error).toBeInstanceOf(RxporterError);
    expect(r.error).toMatchObject({ code: 'RXP_PROC_PARSE' });
  });
});
