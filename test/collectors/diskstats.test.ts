import { cpSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  createDiskstatsCollector,
  DEFAULT_DISKSTATS_EXCLUDE,
  diskstatsDefinition,
  diskstatsFilter,
  resolveDiskstatsOptions,
} from '../../src/collectors/diskstats';
import { edge, thrownCode } from '../support/edge';
import { actualText, byPrefix, collectFamilies, expectedText, fixtureContext, recordingLog, sampleCount, upstreamFixtures } from '../support/upstream';

const mine = byPrefix('node_disk_');
const defaults = () => diskstatsDefinition.create({ deviceExclude: DEFAULT_DISKSTATS_EXCLUDE, deviceInclude: '', ignoredDevices: '' });

describe('diskstats collector', () => {
  it('matches node_exporter on the upstream fixtures, sample for sample', async () => {
    const want = expectedText(mine);
    expect(sampleCount(want)).toBe(215);
    expect(actualText(await collectFamilies(defaults()), mine)).toBe(want);
  });

  it.each([
    ['ram0', true],
    ['zram3', true],
    ['loop7', true],
    ['sda1', true],
    ['xvdb2', true],
    ['nvme0n1p2', true],
    ['fd0', true],
    ['sda', false],
    ['nvme0n1', false],
    ['mmcblk0p1', false],
    ['dm-0', false],
  ])('the default filter skips %s: %s', (dev, skip) => {
    expect(diskstatsFilter({ deviceExclude: DEFAULT_DISKSTATS_EXCLUDE, deviceInclude: '' })(dev)).toBe(skip);
  });

  it('resolves the flags as node_exporter does', () => {
    expect(resolveDiskstatsOptions({ deviceExclude: DEFAULT_DISKSTATS_EXCLUDE, deviceInclude: '^sd', ignoredDevices: '' })).toEqual({ deviceExclude: '', deviceInclude: '^sd' });
    expect(resolveDiskstatsOptions({ deviceExclude: DEFAULT_DISKSTATS_EXCLUDE, deviceInclude: '', ignoredDevices: '^loop' })).toEqual({ deviceExclude: '^loop', deviceInclude: '' });
    expect(thrownCode(() => resolveDiskstatsOptions({ deviceExclude: '^x', deviceInclude: '^sd', ignoredDevices: '' }))).toBe('RXP_CONFIG');
    expect(thrownCode(() => resolveDiskstatsOptions({ deviceExclude: '^x', deviceInclude: '', ignoredDevices: '^y' }))).toBe('RXP_CONFIG');
  });

  it('keeps only included devices', async () => {
    const fams = await collectFamilies(createDiskstatsCollector({ deviceExclude: '', deviceInclude: '^sd[a-z]$' }));
    const devs = new Set(fams.flatMap((f) => f.samples.map((s) => s.labels.device)));
    expect([...devs].sort()).toEqual(['sda', 'sdb', 'sdc']);
  });

  describe('on a modified copy', () => {
    let dir: string;
    beforeEach(() => {
      dir = mkdtempSync(join(tmpdir(), 'rxp-disk-'));
      cpSync(join(upstreamFixtures(), 'proc/diskstats'), join(dir, 'proc/diskstats'));
      cpSync(join(upstreamFixtures(), 'udev'), join(dir, 'udev'), { recursive: true });
      cpSync(join(upstreamFixtures(), 'sys/block'), join(dir, 'sys/block'), { recursive: true, verbatimSymlinks: true });
    });
    afterEach(() => rmSync(dir, { recursive: true, force: true }));

    it('reports a device whose udev file vanished with empty udev labels and a debug line', async () => {
      rmSync(join(dir, 'udev/data/b8:0'));
      const log = recordingLog();
      const fams = await collectFamilies(defaults(), fixtureContext(dir, log));
      const sda = fams.find((f) => f.name === 'node_disk_info')!.samples.find((s) => s.labels.device === 'sda')!;
      expect(sda.labels).toMatchObject({ model: '', serial: '', rotational: '1' });
      expect(fams.find((f) => f.name === 'node_disk_ata_write_cache')!.samples.map((s) => s.labels.device)).toEqual(['sdb', 'sdc']);
      expect(log.lines.some((l) => l.level === 'debug' && l.message === 'Failed to parse udev info')).toBe(true);
    });

    it('logs once and goes without udev properties when the udev directory is missing', async () => {
      rmSync(join(dir, 'udev'), { recursive: true });
      const log = recordingLog();
      const c = defaults();
      const fams = await collectFamilies(c, fixtureContext(dir, log));
      await collectFamilies(c, fixtureContext(dir, log));
      expect(fams.find((f) => f.name === 'node_disk_filesystem_info')).toBeUndefined();
      expect(log.lines.filter((l) => l.level === 'error')).toHaveLength(1);
    });

    it('skips an ATA value that is not a number, with an error line', async () => {
      writeFileSync(join(dir, 'udev/data/b8:0'), edge('diskstats', 'udev-garbled'));
      const log = recordingLog();
      const fams = await collectFamilies(defaults(), fixtureContext(dir, log));
      expect(fams.find((f) => f.name === 'node_disk_ata_write_cache')!.samples.map((s) => s.labels.device)).toEqual(['sdb', 'sdc']);
      expect(fams.find((f) => f.name === 'node_disk_ata_rotation_rate_rpm')!.samples.find((s) => s.labels.device === 'sda')!.value).toBe(5400);
      expect(log.lines.some((l) => l.level === 'error' && l.message === 'Failed to parse ATA value')).toBe(true);
    });

    it.each([
      ['a garbled diskstats', () => writeFileSync(join(dir, 'proc/diskstats'), edge('diskstats', 'non-number')), 'RXP_PROC_PARSE'],
      ['a missing diskstats', () => rmSync(join(dir, 'proc/diskstats')), 'RXP_PROC_MISSING'],
    ])('fails the cycle on %s', async (_n, change, code) => {
      change();
      await expect(collectFamilies(defaults(), fixtureContext(dir))).rejects.toMatchObject({ code });
    });
  });
});
