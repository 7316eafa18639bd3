import type { MetricFamily } from '../model/family';
import { readProcText } from '../procfs/read';
import { parseUint, parseValueOrNone } from '../sysfs/parse';
import { isMissing, listDir } from '../sysfs/read';
import { FamilyBuilder } from './familyBuilder';
import { syncCollector } from './syncCollector';
import { simpleDefinition, type CollectorContext } from './types';

const MC = 'devices/system/edac/mc';

/**
 * Reads a counter file (trimmed unsigned integer); undefined for the kernel's "no value"
 * marker (that sample is left out), RXP_PROC_PARSE for anything else.
 */
export function readCount(sys: string, rel: string): number | undefined {
  return parseValueOrNone(readProcText(sys, rel).trim(), parseUint, `edac ${rel}`);
}

/** Returns the digits that follow `prefix` at the start of `name` ("mc12x" → "12"). */
const digitsAfter = (name: string, prefix: string): string => {
  let i = prefix.length;
  while (i < name.length && name.charCodeAt(i) >= 48 && name.charCodeAt(i) <= 57) i++;
  return name.slice(prefix.length, i);
};

const isNumbered = (name: string, prefix: string): boolean => name.startsWith(prefix) && digitsAfter(name, prefix) !== '';

/**
 * Returns a DIMM label as node_exporter spells it: "unknown" when unreadable, else trimmed
 * with '#' dropped and "csrow"/"channel" prefixed by '_'.   "CPU#0Channel#0_DIMM#0" → "CPU0Channel0_DIMM0"
 */
export function dimmLabel(sys: string, csrow: string, channel: string): string {
  let raw: string;
  try {
    raw = readProcText(sys, `${csrow}/ch${channel}_dimm_label`);
  } catch {
    return 'unknown';
  }
  return raw.trim().replace(/#/g, '').replace(/csrow/g, '_csrow').replace(/channel/g, '_channel');
}

/** Adds one memory controller's families. */
function addController(ctx: CollectorContext, b: FamilyBuilder, mc: string): void {
  const sys = ctx.sysPath;
  const dir = `${MC}/${mc}`;
  const controller = digitsAfter(mc, 'mc');
  b.counter('node_edac_correctable_errors_total', 'Total correctable memory errors.', { controller }, readCount(sys, `${dir}/ce_count`));
  b.counter('node_edac_csrow_correctable_errors_total', 'Total correctable memory errors for this csrow.', { controller, csrow: 'unknown' }, readCount(sys, `${dir}/ce_noinfo_count`));
  b.counter('node_edac_uncorrectable_errors_total', 'Total uncorrectable memory errors.', { controller }, readCount(sys, `${dir}/ue_count`));
  b.counter('node_edac_csrow_uncorrectable_errors_total', 'Total uncorrectable memory errors for this csrow.', { controller, csrow: 'unknown' }, readCount(sys, `${dir}/ue_noinfo_count`));
  for (const row of listDir(sys, dir).filter((n) => isNumbered(n, 'csrow'))) {
    const csrowDir = `${dir}/${row}`;
    const csrow = digitsAfter(row, 'csrow');
    b.counter('node_edac_csrow_correctable_errors_total', 'Total correctable memory errors for this csrow.', { controller, csrow }, readCount(sys, `${csrowDir}/ce_count`));
    b.counter('node_edac_csrow_uncorrectable_errors_total', 'Total uncorrectable memory errors for this csrow.', { controller, csrow }, readCount(sys, `${csrowDir}/ue_count`));
    for (const f of listDir(sys, csrowDir)) {
      if (!f.startsWith('ch') || !f.endsWith('_ce_count')) continue;
      const channel = f.slice(2, -'_ce_count'.length);
      if (channel === '' || digitsAfter(`ch${channel}`, 'ch') !== channel) continue;
      const dimm_label = dimmLabel(sys, csrowDir, channel);
      const labels = { controller, csrow, channel, dimm_label };
      b.counter('node_edac_channel_correctable_errors_total', 'Total correctable memory errors for this channel.', labels, readCount(sys, `${csrowDir}/${f}`));
      try {
        b.counter('node_edac_channel_uncorrectable_errors_total', 'Total uncorrectable memory errors for this channel.', labels, readCount(sys, `${csrowDir}/ch${channel}_ue_count`));
      } catch (e) {
        ctx.log.debug('no ue_count for channel', { collector: 'edac', controller, csrow, channel, error: (e as Error).message });
      }
    }
  }
}

/** Returns node_exporter's edac families for the memory controllers under <sysfs>/devices/system/edac/mc. */
export function edacFamilies(ctx: CollectorContext): MetricFamily[] {
  let mcs: string[];
  try {
    mcs = listDir(ctx.sysPath, MC).filter((n) => isNumbered(n, 'mc'));
  } catch (e) {
    if (!isMissing(e)) throw e;
    mcs = []; // no EDAC driver: nothing to report, as node_exporter
  }
  const b = new FamilyBuilder();
  for (const mc of mcs) {
    const gone = b.addDevice((one) => addController(ctx, one, mc), isMissing);
    if (gone !== undefined) ctx.log.debug('edac controller vanished', { collector: 'edac', controller: mc, error: (gone as Error).message });
  }
  return b.families();
}

/** The edac collector (default on): memory error counters. */
export const edac = syncCollector('edac', true, edacFamilies);

/** The edac collector's registration. */
export const edacDefinition = simpleDefinition(edac);
