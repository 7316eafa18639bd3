import { parseIntBase0, parsePciIds, parsePciLinkSpeed, parsePciLocation, pciLocationLabels } from '../../src/sysfs/pcidevice';
import { edge, thrownCode } from '../support/edge';

describe('pcidevice parsers', () => {
  it.each([
    ['0000:01:00.0', { segment: 0, bus: 1, device: 0, function: 0 }],
    ['0000:45:1f.7', { segment: 0, bus: 0x45, device: 0x1f, function: 7 }],
    ['pci0000:00', undefined],
    ['0000:01:00', undefined],
    ['0000:zz:00.0', undefined],
  ])('parses location %j', (s, want) => {
    expect(parsePciLocation(s)).toEqual(want);
  });

  it('formats locations as node_exporter does', () => {
    expect(pciLocationLabels({ segment: 0, bus: 0x45, device: 3, function: 10 })).toEqual(['0000', '45', '03', 'a']);
  });

  it.each([
    ['0x1022', 0x1022],
    ['0x060400', 0x060400],
    ['17', 17],
    ['017', 15],
    ['0b11', 3],
    ['0x', NaN],
    ['0xffffffff', NaN],
    ['abc', NaN],
    ['', NaN],
  ])('parses integer %j', (s, want) => {
    expect(parseIntBase0(s)).toBe(want);
  });

  it.each([
    ['8.0 GT/s PCIe', 8],
    ['2.5 GT/s PCIe', 2.5],
    ['Unknown', undefined],
    ['', undefined],
  ])('parses link speed %j', (s, want) => {
    expect(parsePciLinkSpeed(s)).toBe(want);
  });

  it.each(['8.0 Gb/s', 'fast GT/s PCIe', '8.0'])('rejects link speed %j', (s) => {
    expect(thrownCode(() => parsePciLinkSpeed(s))).toBe('RXP_PROC_PARSE');
  });

  it('reads vendor, device, subsystem and class names from pci.ids', () => {
    const ids = parsePciIds(edge('pcidevice', 'pci.ids'));
    expect(ids.vendors.get('8086')).toBe('Intel Corporation');
    expect(ids.devices.get('8086:1521')).toBe('I350 Gigabit Network Connection');
    expect(ids.subsystems.get('8086:1521:8086:00a3')).toBe('Ethernet Server Adapter I350-T2');
    expect(ids.classes.get('010802')).toBe('NVM Express');
    expect(ids.classes.get('0200')).toBe('Ethernet controller');
    expect(ids.classes.get('06')).toBe('Bridge');
  });
});
