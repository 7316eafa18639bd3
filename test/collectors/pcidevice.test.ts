import { cpSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createPcideviceCollector, pcideviceDefinition } from '../../src/collectors/pcidevice';
import { silentLog } from '../../src/log/types';
import { edgePath } from '../support/edge';
import { actualText, byPrefix, collectFamilies, expectedText, fixtureContext, recordingLog, sampleCount, upstreamFixtures } from '../support/upstream';

const mine = byPrefix('node_pcidevice_');
const plain = () => pcideviceDefinition.create({ names: false, idsfile: '' });

describe('pcidevice collector', () => {
  it('is off by default, as in node_exporter', () => {
    expect(pcideviceDefinition.defaultEnabled).toBe(false);
  });

  it('matches node_exporter on the upstream fixtures, sample for sample', async () => {
    const want = expectedText(mine);
    expect(sampleCount(want)).toBe(52);
    expect(actualText(await collectFamilies(plain()), mine)).toBe(want);
  });

  it('adds names from pci.ids with --collector.pcidevice.names', async () => {
    const fams = await collectFamilies(createPcideviceCollector({ names: true, idsFile: edgePath('pcidevice', 'pci.ids') }), fixtureContext(upstreamFixtures(), silentLog));
    const info = fams.find((f) => f.name === 'node_pcidevice_info')!.samples.map((s) => s.labels);
    expect(info.find((l) => l.bus === '45')).toMatchObject({
      vendor_name: 'Intel Corporation',
      device_name: 'I350 Gigabit Network Connection',
      subsystem_vendor_name: 'Intel Corporation',
      subsystem_device_name: 'Ethernet Server Adapter I350-T2',
      class_name: 'Ethernet controller',
    });
    expect(info.find((l) => l.bus === '01')).toMatchObject({ device_name: '540a', class_name: 'NVM Express' });
  });

  it('reports no data without /sys/bus/pci', async () => {
    await expect(collectFamilies(plain(), fixtureContext(mkdtempSync(join(tmpdir(), 'rxp-pci-'))))).rejects.toMatchObject({ code: 'RXP_NO_DATA' });
  });

  describe('on a modified copy', () => {
    let dir: string;
    const dev = (loc: string) => join(dir, 'sys/bus/pci/devices', loc);
    beforeEach(() => {
      dir = mkdtempSync(join(tmpdir(), 'rxp-pci-'));
      cpSync(join(upstreamFixtures(), 'sys'), join(dir, 'sys'), { recursive: true, verbatimSymlinks: true });
    });
    afterEach(() => rmSync(dir, { recursive: true, force: true }));

    it('skips a device that vanished between listing and reading, with a debug line', async () => {
      rmSync(join(dev('0000:01:00.0'), 'class'));
      const log = recordingLog();
      const fams = await collectFamilies(plain(), fixtureContext(dir, log));
      expect(fams.find((f) => f.name === 'node_pcidevice_info')!.samples.map((s) => s.labels.bus)).toEqual(['00', '45']);
      expect(log.lines.some((l) => l.level === 'debug' && l.message === 'PCI device vanished')).toBe(true);
    });

    it('reports -1 for an Unknown link width and no power state when the file is empty', async () => {
      writeFileSync(join(dev('0000:01:00.0'), 'max_link_width'), 'Unknown\n');
      writeFileSync(join(dev('0000:01:00.0'), 'power_state'), '\n');
      const fams = await collectFamilies(plain(), fixtureContext(dir));
      expect(fams.find((f) => f.name === 'node_pcidevice_max_link_width')!.samples.find((s) => s.labels.bus === '01')!.value).toBe(-1);
      expect(fams.find((f) => f.name === 'node_pcidevice_power_state')!.samples.some((s) => s.labels.bus === '01')).toBe(false);
    });

    it.each([
      ['a non-number vendor', 'vendor', 'intel\n'],
      ['an empty class', 'class', ''],
      ['a garbled link speed', 'current_link_speed', '8.0 GB/s\n'],
      ['a non-number numa node', 'numa_node', 'zero\n'],
      ['a non-number VF count', 'sriov_numvfs', '-1\n'],
    ])('fails the cycle with RXP_PROC_PARSE on %s', async (_n, file, text) => {
      writeFileSync(join(dev('0000:01:00.0'), file), text);
      await expect(collectFamilies(plain(), fixtureContext(dir))).rejects.toMatchObject({ code: 'RXP_PROC_PARSE' });
    });
  });
});
