import { cpSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createPowerSupplyClassCollector, powerSupplyClassDefinition } from '../../src/collectors/powersupplyclass';
import { actualText, byPrefix, collectFamilies, expectedText, fixtureContext, recordingLog, sampleCount, upstreamFixtures } from '../support/upstream';

const mine = byPrefix('node_power_supply_');

describe('powersupplyclass collector', () => {
  it('matches node_exporter on the upstream fixtures, sample for sample', async () => {
    const want = expectedText(mine);
    expect(sampleCount(want)).toBe(12);
    expect(actualText(await collectFamilies(powerSupplyClassDefinition.create({ ignoredSupplies: '^$' })), mine)).toBe(want);
  });

  it('ignores supplies matching --collector.powersupply.ignored-supplies', async () => {
    const fams = await collectFamilies(createPowerSupplyClassCollector('^AC$'));
    expect(fams.find((f) => f.name === 'node_power_supply_info')!.samples.map((s) => s.labels.power_supply)).toEqual(['BAT0']);
  });

  it('reports no data without the power_supply class', async () => {
    await expect(collectFamilies(createPowerSupplyClassCollector('^$'), fixtureContext(mkdtempSync(join(tmpdir(), 'rxp-ps-'))))).rejects.toMatchObject({ code: 'RXP_NO_DATA' });
  });

  describe('on a modified copy', () => {
    let dir: string;
    const ps = () => join(dir, 'sys/class/power_supply');
    beforeEach(() => {
      dir = mkdtempSync(join(tmpdir(), 'rxp-ps-'));
      cpSync(join(upstreamFixtures(), 'sys/class/power_supply'), ps(), { recursive: true, verbatimSymlinks: true });
    });
    afterEach(() => rmSync(dir, { recursive: true, force: true }));

    it('skips a supply that vanished between listing and reading', async () => {
      symlinkSync('../../devices/gone', join(ps(), 'BAT1'));
      const log = recordingLog();
      const fams = await collectFamilies(createPowerSupplyClassCollector('^$'), fixtureContext(dir, log));
      expect(fams.find((f) => f.name === 'node_power_supply_info')!.samples.map((s) => s.labels.power_supply)).toEqual(['AC', 'BAT0']);
      expect(log.lines.some((l) => l.message === 'power supply vanished')).toBe(true);
    });

    it('reads hex values and keeps empty text attributes out of the info labels', async () => {
      writeFileSync(join(ps(), 'BAT0/capacity'), '0x10\n');
      writeFileSync(join(ps(), 'BAT0/manufacturer'), '\n');
      const fams = await collectFamilies(createPowerSupplyClassCollector('^$'), fixtureContext(dir));
      expect(fams.find((f) => f.name === 'node_power_supply_capacity')!.samples[0].value).toBe(16);
      expect(fams.find((f) => f.name === 'node_power_supply_info')!.samples[1].labels.manufacturer).toBeUndefined();
    });

    it.each([
      ['a non-number', 'BAT0/capacity', 'full\n'],
      ['a garbled unreported number', 'BAT0/current_avg', '1.5\n'],
    ])('fails the cycle with RXP_PROC_PARSE on %s', async (_n, rel, text) => {
      writeFileSync(join(ps(), rel), text);
      await expect(collectFamilies(createPowerSupplyClassCollector('^$'), fixtureContext(dir))).rejects.toMatchObject({ code: 'RXP_PROC_PARSE' });
    });

    it.each([['an empty file', ''], ['<unknown>', '<unknown>\n'], ['N/A', 'N/A\n']])('leaves out a number the kernel marks as none (%s) and keeps the rest', async (_n, text) => {
      const supplies = async (name: string) =>
        (await collectFamilies(createPowerSupplyClassCollector('^$'), fixtureContext(dir))).find((f) => f.name === name)?.samples.map((s) => s.labels.power_supply) ?? [];
      expect(await supplies('node_power_supply_voltage_volt')).toContain('BAT0');
      writeFileSync(join(ps(), 'BAT0/voltage_now'), text);
      expect(await supplies('node_power_supply_voltage_volt')).not.toContain('BAT0');
      const fams = await collectFamilies(createPowerSupplyClassCollector('^$'), fixtureContext(dir));
      expect(fams.find((f) => f.name === 'node_power_supply_capacity')!.samples.map((s) => s.labels.power_supply)).toContain('BAT0');
    });
  });
});
