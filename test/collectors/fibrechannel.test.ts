import { rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fibrechannel } from '../../src/collectors/fibrechannel';
import { RxporterError } from '../../src/errors';
import { parseFcCounter } from '../../src/sysfs/fibrechannel';
import { collectOnEditedCopy, copyNeFixtures, expectUpstreamConformance, recordingLog, removeNeFixtures } from '../support/neFixtures';

const HOST = (root: string, ...p: string[]) => join(root, 'sys', 'class', 'fc_host', ...p);

describe('fibrechannel collector', () => {
  let root: string;
  beforeAll(() => {
    root = copyNeFixtures(['sys']);
  });
  afterAll(() => removeNeFixtures(root));

  it("matches node_exporter's e2e output on upstream's fixtures, sample for sample", async () => {
    await expectUpstreamConformance(fibrechannel, root, /^node_fibrechannel_/, 28);
  });

  it('reports zeros for a host whose port state is Unknown', async () => {
    const r = await collectOnEditedCopy(fibrechannel, ['sys'], (root) => writeFileSync(HOST(root, 'host1', 'port_state'), 'Unknown\n'));
    const rx = r.families!.find((f) => f.name === 'node_fibrechannel_rx_frames_total')!;
    expect(rx.samples.find((s) => s.labels.fc_host === 'host1')?.value).toBe(0);
  });

  it('skips a host that vanished between listing and reading, with a debug line', async () => {
    const log = recordingLog();
    const r = await collectOnEditedCopy(fibrechannel, ['sys'], (root) => {
      rmSync(HOST(root, 'host1'), { recursive: true });
      writeFileSync(HOST(root, 'host1'), ''); // listed, but no longer a directory
    }, log);
    const hosts = new Set(r.families!.flatMap((f) => f.samples.map((s) => s.labels.fc_host)));
    expect([...hosts]).toEqual(['host0']);
    expect(log.lines).toContainEqual(expect.objectContaining({ level: 'debug', meta: expect.objectContaining({ fc_host: 'host1' }) }));
  });

  it.each([
    ['the class directory is absent', (r: string) => rmSync(join(r, 'sys', 'class', 'fc_host'), { recursive: true }), 'RXP_NO_DATA'],
    ['a counter is garbled', (r: string) => writeFileSync(HOST(r, 'host0', 'statistics', 'tx_frames'), 'lots\n'), 'RXP_PROC_PARSE'],
  ])('fails the cycle when %s', async (_n, edit, code) => {
    const r = await collectOnEditedCopy(fibrechannel, ['sys'], edit);
    expect(r.error).toBeInstanceOf(RxporterError);
    expect(r.error).toMatchObject({ code });
  });
});

describe('parseFcCounter', () => {
  it.each([
    ['0x13', 19],
    ['42', 42],
    ['0xffffffffffffffff', 'unimplemented'],
    ['0xfffffffffffffffe', 18446744073709551614],
    ['<unknown>', 'unimplemented'],
    ['N/A', 'unimplemented'],
    ['', 'unimplemented'],
  ])('reads %s', (text, v) => expect(parseFcCounter('f', text)).toBe(v));

  it.each([['0x'], ['-1'], ['twelve']])('rejects %j', (text) => expect(() => parseFcCounter('f', text)).toThrow(/invalid counter/));
});
