import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { RxporterError } from '../../src/errors';
import { parseInterrupts } from '../../src/procfs/interrupts';
import { neDataDir } from '../support/neFixtures';
import { thrown } from '../support/thrown';

describe('parseInterrupts', () => {
  it("reads upstream's /proc/interrupts: numbered IRQs with chip and devices, named rows with their description", () => {
    const rows = parseInterrupts(readFileSync(join(neDataDir(), 'fixtures/proc/interrupts'), 'utf8'));
    expect(rows).toHaveLength(28); // ERR and MIS have one column only: skipped
    expect(rows.find((r) => r.name === '16')).toEqual({ name: '16', info: 'IR-IO-APIC-fasteoi', devices: 'ehci_hcd:usb1, mmc0', values: [328511, 322879, 293782, 351412] });
    expect(rows.find((r) => r.name === 'NMI')).toEqual({ name: 'NMI', info: 'Non-maskable interrupts', devices: '', values: [47, 5031, 6211, 4968] });
    expect(rows.some((r) => r.name === 'ERR')).toBe(false);
  });

  it('keeps the last row of a repeated name and ignores lines without a colon', () => {
    const rows = parseInterrupts('  CPU0\n 1: 5 edge a\n 1: 7 edge b\ngarbage line\n');
    expect(rows).toEqual([{ name: '1', info: 'edge', devices: 'b', values: [7] }]);
  });

  it.each([
    ['an empty file', ''],
    ['a count that is not a number', '  CPU0 CPU1\n 1: 5 x edge dev\n'],
  ])('throws RXP_PROC_PARSE for %s', (_n, text) => {
    const e = thrown(() => parseInterrupts(text));
    expect(e).toBeInstanceOf(RxporterError);
    expect(e).toMatchObject({ code: 'RXP_PROC_PARSE' });
  });

  it('reads a file truncated after the header as no rows', () => {
    expect(parseInterrupts('           CPU0       CPU1\n')).toEqual([]);
  });
});
