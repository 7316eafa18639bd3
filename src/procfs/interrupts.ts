import { RxporterError } from '../errors';
import { fields, goFloat, goInt, scanLines } from './goStrconv';

/** One row of /proc/interrupts. */
export interface Interrupt {
  /** The row's name: an IRQ number ("16") or a mnemonic ("NMI"). */
  readonly name: string;
  /** For a numbered IRQ its chip and trigger ("IR-IO-APIC-fasteoi"), otherwise the description. */
  readonly info: string;
  /** For a numbered IRQ the devices on it ("ehci_hcd:usb1, mmc0"), otherwise "". */
  readonly devices: string;
  /** One count per CPU column. */
  readonly values: readonly number[];
}

/**
 * Returns the rows of /proc/interrupts with one count per CPU of the header, as
 * node_exporter reads them: rows with fewer columns (ERR, MIS) are skipped, a repeated
 * name keeps its last row.
 *   " 16:  328511  322879  IR-IO-APIC-fasteoi   ehci_hcd:usb1, mmc0"
 *     → { name: "16", info: "IR-IO-APIC-fasteoi", devices: "ehci_hcd:usb1, mmc0", values: [328511, 322879] }
 * Throws RXP_PROC_PARSE for an empty file or a count that is not a number.
 */
export function parseInterrupts(text: string): Interrupt[] {
  const lines = scanLines(text);
  if (lines.length === 0) throw new RxporterError('RXP_PROC_PARSE', 'interrupts: empty file');
  const cpuNum = fields(lines[0]).length; // one header per CPU
  const byName = new Map<string, Interrupt>();
  for (let i = 1; i < lines.length; i++) {
    const line = lines[i];
    const colon = line.indexOf(':');
    if (colon < 0) continue;
    const parts = fields(line.slice(colon + 1));
    if (parts.length < cpuNum + 1) continue; // a count per CPU plus details
    let s = 0;
    while (line.charCodeAt(s) === 32) s++;
    const name = line.slice(s, colon);
    const values: number[] = [];
    for (let c = 0; c < cpuNum; c++) {
      const v = goFloat(parts[c]);
      if (!v.ok) throw new RxporterError('RXP_PROC_PARSE', `interrupts: invalid value ${JSON.stringify(parts[c])} in line ${JSON.stringify(line)}`);
      values.push(v.value);
    }
    const numbered = !Number.isNaN(goInt(name));
    byName.set(name, {
      name,
      info: numbered ? parts[cpuNum] : parts.slice(cpuNum).join(' '),
      devices: numbered ? parts.slice(cpuNum + 1).join(' ') : '',
      values,
    });
  }
  return [...byName.values()];
}
