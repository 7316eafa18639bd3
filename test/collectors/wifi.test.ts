import { rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { bssMode, createWifiCollector, parseWifiBss, parseWifiInterfaces, parseWifiStations, wifiDefinition } from '../../src/collectors/wifi';
import { RxporterError } from '../../src/errors';
import { collectAll, copyNeFixtures, expectUpstreamConformance, fixtureContext, recordingLog, removeNeFixtures } from '../support/neFixtures';

describe('wifi collector', () => {
  let root: string;
  beforeAll(() => {
    root = copyNeFixtures(['wifi']);
  });
  afterAll(() => removeNeFixtures(root));

  it("matches node_exporter's e2e output on upstream's --collector.wifi.fixtures, sample for sample", async () => {
    await expectUpstreamConformance(createWifiCollector(join(root, 'wifi')), root, /^node_wifi_/, 27);
  });

  it('declares --collector.wifi.fixtures', () => {
    expect(wifiDefinition.options!.fixtures).toMatchObject({ arg: 'collector.wifi.fixtures', default: '' });
  });

  it('reports no data without fixtures: nl80211 is out of reach for Node.js', async () => {
    const err = await collectAll(createWifiCollector(''), fixtureContext(root)).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(RxporterError);
    expect(err).toMatchObject({ code: 'RXP_NO_DATA' });
  });

  it('skips a device whose files are missing, with a debug line', async () => {
    const log = recordingLog();
    const fams = await collectAll(createWifiCollector(join(root, 'wifi')), fixtureContext(root, log));
    expect(fams.find((f) => f.name === 'node_wifi_interface_frequency_hertz')!.samples).toHaveLength(2);
    expect(log.lines.filter((l) => l.level === 'debug').map((l) => l.meta?.file)).toEqual(['wlan1/bss.json', 'wlan1/stationinfo.json']);
  });

  it.each([
    ['interfaces.json is missing', 'interfaces.json', null, 'RXP_PROC_MISSING'],
    ['interfaces.json is truncated', 'interfaces.json', '[{"name": "wlan0"', 'RXP_PROC_PARSE'],
    ['a frequency is not a number', 'interfaces.json', '[{"name": "wlan0", "frequency": "fast"}]', 'RXP_PROC_PARSE'],
    ['a station address is not base64', 'wlan0/stationinfo.json', '[{"hardwareaddr": "%%"}]', 'RXP_PROC_PARSE'],
  ])('fails the cycle when %s', async (_n, file, content, code) => {
    const copy = copyNeFixtures(['wifi']);
    try {
      const p = join(copy, 'wifi', file);
      if (content === null) rmSync(p);
      else writeFileSync(p, content);
      const err = await collectAll(createWifiCollector(join(copy, 'wifi')), fixtureContext(copy)).catch((e: unknown) => e);
      expect(err).toBeInstanceOf(RxporterError);
      expect(err).toMatchObject({ code });
    } finally {
      removeNeFixtures(copy);
    }
  });
});

describe('wifi fixture parsers', () => {
  it('matches JSON keys case-insensitively, as encoding/json does', () => {
    expect(parseWifiInterfaces('[{"NAME": "wlan0", "Frequency": 5180}, null]')).toEqual([
      { name: 'wlan0', frequency: 5180 },
      { name: '', frequency: 0 },
    ]);
  });

  it('decodes base64 hardware addresses', () => {
    expect(parseWifiBss('{"ssid": "x", "bssid": "ABEiM0RV", "status": 2}')).toEqual({ ssid: 'x', bssid: '00:11:22:33:44:55', status: 2 });
    expect(parseWifiStations('[{"hardwareaddr": "qrvM3e7/", "inactive": 400000000}]')[0]).toMatchObject({ hardwareAddr: 'aa:bb:cc:dd:ee:ff', inactive: 4e8 });
  });

  it.each([
    [0, 'client'],
    [1, 'client'],
    [2, 'ad-hoc'],
    [7, 'unknown'],
  ])('names BSS status %d %s', (s, mode) => expect(bssMode(s)).toBe(mode));

  it.each([['{}'], ['[1]'], ['[{"frequency": 1.5}]']])('rejects interfaces %s', (text) => {
    expect(() => parseWifiInterfaces(text)).toThrow(expect.objectContaining({ code: 'RXP_PROC_PARSE' }));
  });
});
