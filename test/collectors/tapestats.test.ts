import { cpSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createTapestatsCollector, tapestatsDefinition } from '../../src/collectors/tapestats';
import { actualText, byPrefix, collectFamilies, expectedText, fixtureContext, recordingLog, sampleCount, upstreamFixtures } from '../support/upstream';

const mine = byPrefix('node_tape_');
const ST0 = 'sys/devices/pci0000:00/0000:00:00.0/host0/port-0:0/end_device-0:0/target0:0:0/0:0:0:0/scsi_tape/st0';

describe('tapestats collector', () => {
  it('matches node_exporter on the upstream fixtures, sample for sample', async () => {
    const want = expectedText(mine);
    expect(sampleCount(want)).toBe(10);
    expect(actualText(await collectFamilies(tapestatsDefinition.create({ ignoredDevices: '^$' })), mine)).toBe(want);
  });

  it('ignores devices matching --collector.tapestats.ignored-devices', async () => {
    expect(await collectFamilies(createTapestatsCollector('^st0$'))).toEqual([]);
  });

  it('reports no data without the scsi_tape class', async () => {
    await expect(collectFamilies(createTapestatsCollector('^$'), fixtureContext(mkdtempSync(join(tmpdir(), 'rxp-tape-'))))).rejects.toMatchObject({ code: 'RXP_NO_DATA' });
  });

  describe('on a modified copy', () => {
    let dir: string;
    beforeEach(() => {
      dir = mkdtempSync(join(tmpdir(), 'rxp-tape-'));
      cpSync(join(upstreamFixtures(), 'sys'), join(dir, 'sys'), { recursive: true, verbatimSymlinks: true });
    });
    afterEach(() => rmSync(dir, { recursive: true, force: true }));

    it('skips a tape that vanished between listing and reading', async () => {
      symlinkSync('../../devices/gone/st1', join(dir, 'sys/class/scsi_tape/st1'));
      const log = recordingLog();
      const fams = await collectFamilies(createTapestatsCollector('^$'), fixtureContext(dir, log));
      expect(fams.find((f) => f.name === 'node_tape_io_now')!.samples.map((s) => s.labels.device)).toEqual(['st0']);
      expect(log.lines.some((l) => l.message === 'tape device vanished')).toBe(true);
    });

    it.each([
      ['a non-number', 'read_cnt', 'many\n'],
    ])('fails the cycle with RXP_PROC_PARSE on %s', async (_n, file, text) => {
      writeFileSync(join(dir, ST0, 'stats', file), text);
      await expect(collectFamilies(createTapestatsCollector('^$'), fixtureContext(dir))).rejects.toMatchObject({ code: 'RXP_PROC_PARSE' });
    });

    it.each([['an empty file', ''], ['<unknown>', '<unknown>\n'], ['N/A', 'N/A\n']])('leaves out a counter the kernel marks as none (%s) and keeps the rest', async (_n, text) => {
      const devices = async (name: string) =>
        (await collectFamilies(createTapestatsCollector('^$'), fixtureContext(dir))).find((f) => f.name === name)?.samples.map((s) => s.labels.device) ?? [];
      expect(await devices('node_tape_io_time_seconds_total')).toContain('st0');
      writeFileSync(join(dir, ST0, 'stats', 'io_ns'), text);
      expect(await devices('node_tape_io_time_seconds_total')).not.toContain('st0');
      const fams = await collectFamilies(createTapestatsCollector('^$'), fixtureContext(dir));
      expect(fams.find((f) => f.name === 'node_tape_io_now')!.samples.map((s) => s.labels.device)).toContain('st0');
    });
  });
});
