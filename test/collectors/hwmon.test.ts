import { mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createHwmonCollector, hwmonDefinition } from '../../src/collectors/hwmon';
import { actualText, byPrefix, collectFamilies, expectedText, fixtureContext, recordingLog, sampleCount } from '../support/upstream';

const mine = byPrefix('node_hwmon_');
const none = { chipInclude: '', chipExclude: '', sensorInclude: '', sensorExclude: '' };

describe('hwmon collector', () => {
  it('matches node_exporter on the upstream fixtures with the upstream chip-include, sample for sample', async () => {
    const want = expectedText(mine);
    expect(sampleCount(want)).toBe(137);
    const c = hwmonDefinition.create({ ...none, chipInclude: '(applesmc|asus_nb_wmi|coretemp|hwmon4|ieee80211|nct6779)' });
    expect(actualText(await collectFamilies(c), mine)).toBe(want);
  });

  it('without filters also reports the chips upstream filters out', async () => {
    const chips = new Set((await collectFamilies(createHwmonCollector(none))).flatMap((f) => f.samples.map((s) => s.labels.chip)));
    expect(chips.has('platform_bogus_0')).toBe(false); // bogus.0 has no sensors upstream either
    expect([...chips].some((c) => c.startsWith('platform_coretemp'))).toBe(true);
  });

  it('excludes sensors by chip;sensor', async () => {
    const fams = await collectFamilies(createHwmonCollector({ ...none, chipInclude: 'nct6779', sensorExclude: '^nct6779;(in[0-9]|fan)' }));
    const sensors = new Set(fams.flatMap((f) => f.samples.map((s) => s.labels.sensor ?? '')));
    expect([...sensors].filter((s) => /^(in[0-9]|fan)/.test(s))).toEqual([]);
    expect(sensors.has('intrusion0')).toBe(true);
    expect(sensors.has('pwm1')).toBe(true);
  });

  it('reports no data without /sys/class/hwmon', async () => {
    await expect(collectFamilies(createHwmonCollector(none), fixtureContext(mkdtempSync(join(tmpdir(), 'rxp-hw-'))))).rejects.toMatchObject({ code: 'RXP_NO_DATA' });
  });

  describe('on a synthetic tree', () => {
    let dir: string;
    const chip = (n: string) => join(dir, 'sys/class/hwmon', n);
    beforeEach(() => {
      dir = mkdtempSync(join(tmpdir(), 'rxp-hw-'));
      for (const n of ['hwmon0', 'hwmon1']) {
        mkdirSync(chip(n), { recursive: true });
        writeFileSync(join(chip(n), 'name'), 'acpitz\n');
        writeFileSync(join(chip(n), 'temp1_input'), '45000\n');
      }
    });
    afterEach(() => rmSync(dir, { recursive: true, force: true }));

    it('tells chips with the same name apart by their directory', async () => {
      const fams = await collectFamilies(createHwmonCollector(none), fixtureContext(dir));
      expect(fams.find((f) => f.name === 'node_hwmon_temp_celsius')!.samples).toEqual([
        { labels: { chip: 'acpitz_hwmon0', sensor: 'temp1' }, value: 45 },
        { labels: { chip: 'acpitz_hwmon1', sensor: 'temp1' }, value: 45 },
      ]);
    });

    it.each([
      ['a non-number', 'temp1_max', 'hot\n'],
      ['an empty file', 'temp1_max', ''],
      ['an unreadable file', 'temp1_max', null],
    ])('skips a value that is %s', async (_n, file, text) => {
      if (text === null) {
        mkdirSync(join(chip('hwmon0'), file)); // reading a directory fails like an unreadable attribute
      } else writeFileSync(join(chip('hwmon0'), file), text);
      const fams = await collectFamilies(createHwmonCollector(none), fixtureContext(dir));
      expect(fams.find((f) => f.name === 'node_hwmon_temp_max_celsius')).toBeUndefined();
      expect(fams.find((f) => f.name === 'node_hwmon_temp_celsius')!.samples).toHaveLength(2);
    });

    it('skips a chip that vanished between listing and reading', async () => {
      rmSync(chip('hwmon1'), { recursive: true });
      symlinkSync('../../devices/gone/hwmon1', chip('hwmon1'));
      const log = recordingLog();
      const fams = await collectFamilies(createHwmonCollector(none), fixtureContext(dir, log));
      expect(fams.find((f) => f.name === 'node_hwmon_temp_celsius')!.samples.map((s) => s.labels.chip)).toEqual(['acpitz']);
    });

    it('keeps unreadable labels out and invalid UTF-8 in labels as U+FFFD', async () => {
      writeFileSync(join(chip('hwmon0'), 'temp1_label'), Buffer.from([0x43, 0xff, 0xfe, 0x0a]));
      const fams = await collectFamilies(createHwmonCollector(none), fixtureContext(dir));
      expect(fams.find((f) => f.name === 'node_hwmon_sensor_label')!.samples).toEqual([
        { labels: { chip: 'acpitz_hwmon0', sensor: 'temp1', label: 'C\uFFFD' }, value: 1 },
      ]);
    });
  });
});
