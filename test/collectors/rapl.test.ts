import { cpSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createRaplCollector, raplDefinition, raplIndexAndName } from '../../src/collectors/rapl';
import { actualText, byPrefix, collectFamilies, expectedText, fixtureContext, sampleCount, upstreamFixtures } from '../support/upstream';

const mine = byPrefix('node_rapl_');

describe('rapl collector', () => {
  it('matches node_exporter on the upstream fixtures (the path label starts with --path.sysfs)', async () => {
    const sys = join(upstreamFixtures(), 'sys');
    const want = expectedText(mine).split('collector/fixtures/sys').join(sys);
    expect(sampleCount(want)).toBe(2);
    expect(actualText(await collectFamilies(raplDefinition.create({ enableZoneLabel: false })), mine)).toBe(want);
  });

  it('puts the zone into a label with --collector.rapl.enable-zone-label', async () => {
    const fams = await collectFamilies(createRaplCollector(true));
    expect(fams.map((f) => f.name)).toEqual(['node_rapl_joules_total']);
    expect(fams[0].samples.map((s) => s.labels.rapl_zone).sort()).toEqual(['core', 'package']);
  });

  it.each([
    ['package-1', [1, 'package']],
    ['core', [0, 'core']],
    ['psys-x', [0, 'psys-x']],
  ])('names zone %j', (raw, want) => {
    expect(raplIndexAndName(new Map(), raw)).toEqual(want);
  });

  it('reports no data without powercap', async () => {
    await expect(collectFamilies(createRaplCollector(false), fixtureContext(mkdtempSync(join(tmpdir(), 'rxp-rapl-'))))).rejects.toMatchObject({ code: 'RXP_NO_DATA' });
  });

  it('fails the cycle with RXP_PROC_PARSE on a garbled energy counter', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'rxp-rapl-'));
    cpSync(join(upstreamFixtures(), 'sys/class/powercap'), join(dir, 'sys/class/powercap'), { recursive: true });
    writeFileSync(join(dir, 'sys/class/powercap/intel-rapl:0/energy_uj'), 'lots\n');
    await expect(collectFamilies(createRaplCollector(false), fixtureContext(dir))).rejects.toMatchObject({ code: 'RXP_PROC_PARSE' });
    rmSync(dir, { recursive: true, force: true });
  });

  it.each([
    ['energy_uj', '<unknown>\n'],
    ['max_energy_range_uj', 'N/A\n'],
  ])('leaves out what the kernel marks as no value in %s and keeps the other zones', async (file, text) => {
    const dir = mkdtempSync(join(tmpdir(), 'rxp-rapl-'));
    try {
      cpSync(join(upstreamFixtures(), 'sys/class/powercap'), join(dir, 'sys/class/powercap'), { recursive: true });
      const zones = async () => (await collectFamilies(createRaplCollector(true), fixtureContext(dir))).find((f) => f.name === 'node_rapl_joules_total')!.samples.map((x) => x.labels.path.split('/').pop());
      const before = await zones();
      expect(before).toContain('intel-rapl:0');
      writeFileSync(join(dir, `sys/class/powercap/intel-rapl:0/${file}`), text);
      const after = await zones();
      expect(after).toEqual(file === 'energy_uj' ? before.filter((z) => z !== 'intel-rapl:0') : before);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
