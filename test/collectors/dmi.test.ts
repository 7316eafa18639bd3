import { cpSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createDmiCollector, dmiDefinition, readDmiLabels } from '../../src/collectors/dmi';
import { actualText, byPrefix, collectFamilies, expectedText, fixtureContext, sampleCount, upstreamFixtures } from '../support/upstream';

const mine = byPrefix('node_dmi_');

describe('dmi collector', () => {
  it('matches node_exporter on the upstream fixtures, U+FFFD and 0x1C included', async () => {
    const want = expectedText(mine);
    expect(sampleCount(want)).toBe(1);
    expect(actualText(await collectFamilies(dmiDefinition.create({})), mine)).toBe(want);
    expect(readDmiLabels(join(upstreamFixtures(), 'sys')).product_version).toBe('\uFFFD\u001c[\uFFFD');
  });

  it('reports no data without DMI', async () => {
    await expect(collectFamilies(createDmiCollector(), fixtureContext(mkdtempSync(join(tmpdir(), 'rxp-dmi-'))))).rejects.toMatchObject({ code: 'RXP_NO_DATA' });
  });

  it('reads DMI once: later changes are not seen (DMI is fixed while the system runs)', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'rxp-dmi-'));
    cpSync(join(upstreamFixtures(), 'sys/class/dmi'), join(dir, 'sys/class/dmi'), { recursive: true });
    const c = createDmiCollector();
    const first = await collectFamilies(c, fixtureContext(dir));
    writeFileSync(join(dir, 'sys/class/dmi/id/bios_version'), '9.9.9\n');
    const second = await collectFamilies(c, fixtureContext(dir));
    expect(second).toEqual(first);
    expect(first[0].samples[0].labels.bios_version).toBe('2.2.4');
    rmSync(dir, { recursive: true, force: true });
  });

  it('replaces each run of invalid UTF-8 by one U+FFFD and trims blanks', () => {
    const dir = mkdtempSync(join(tmpdir(), 'rxp-dmi-'));
    cpSync(join(upstreamFixtures(), 'sys/class/dmi'), join(dir, 'sys/class/dmi'), { recursive: true });
    writeFileSync(join(dir, 'sys/class/dmi/id/board_name'), Buffer.from([0x20, 0x41, 0xc3, 0x28, 0xff, 0x42, 0x0a]));
    expect(readDmiLabels(join(dir, 'sys')).board_name).toBe('A\uFFFD(\uFFFDB');
    rmSync(dir, { recursive: true, force: true });
  });
});
