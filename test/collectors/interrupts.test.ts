import { rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { createInterruptsCollector, interruptsDefinition } from '../../src/collectors/interrupts';
import { RxporterError } from '../../src/errors';
import { collectAll, collectOnEditedCopy, copyNeFixtures, expectUpstreamConformance, fixtureContext, removeNeFixtures } from '../support/neFixtures';

const all = { nameInclude: '', nameExclude: '', includeZeros: true };

describe('interrupts collector', () => {
  let root: string;
  beforeAll(() => {
    root = copyNeFixtures(['proc']);
  });
  afterAll(() => removeNeFixtures(root));

  it("matches node_exporter's e2e output on upstream's fixtures", async () => {
    await expectUpstreamConformance(createInterruptsCollector(all), root, /^node_interrupts_total$/, 112);
  });

  it.each([
    ['name-include', { ...all, nameInclude: '^(NMI|LOC);' }, 8],
    ['name-exclude', { ...all, nameExclude: '^[0-9]+;' }, 4 * 13],
  ])('filters with %s', async (_n, o, count) => {
    const [fam] = await collectAll(createInterruptsCollector(o), fixtureContext(root));
    expect(fam.samples).toHaveLength(count);
  });

  it('drops the zero counts with include-zeros off, and only those', async () => {
    const [full] = await collectAll(createInterruptsCollector(all), fixtureContext(root));
    const [nonZero] = await collectAll(createInterruptsCollector({ ...all, includeZeros: false }), fixtureContext(root));
    expect(nonZero.samples).toEqual(full.samples.filter((s) => s.value !== 0));
    expect(nonZero.samples.length).toBeLessThan(full.samples.length);
  });

  it('filters on "name;info;devices", and its definition reads the flags', async () => {
    const c = interruptsDefinition.create({ nameInclude: ';ehci_hcd:usb1, mmc0$', nameExclude: '', includeZeros: true });
    const [fam] = await collectAll(c, fixtureContext(root));
    expect(fam.samples.map((s) => s.labels)).toContainEqual({ cpu: '0', type: '16', info: 'IR-IO-APIC-fasteoi', devices: 'ehci_hcd:usb1, mmc0' });
    expect(fam.samples).toHaveLength(4);
  });

  it.each([
    ['the file is missing', null, 'RXP_PROC_MISSING'],
    ['the file is empty', '', 'RXP_PROC_PARSE'],
    ['a count is not a number', '  CPU0\n  0: x IO-APIC timer\n', 'RXP_PROC_PARSE'],
  ])('fails the cycle with an RxporterError when %s', async (_n, content, code) => {
    const r = await collectOnEditedCopy(createInterruptsCollector(all), ['proc'], (dir) =>
      content === null ? rmSync(join(dir, 'proc/interrupts')) : writeFileSync(join(dir, 'proc/interrupts'), content),
    );
    expect(r.error).toBeInstanceOf(RxporterError);
    expect(r.error).toMatchObject({ code });
  });
});
