import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { RxporterError } from '../errors';
import type { MetricFamily } from '../model/family';
import { readProcText } from '../procfs/read';
import { parseUint, parseValueOrNone } from '../sysfs/parse';
import { isMissing, listDir } from '../sysfs/read';
import { sanitizeMetricName } from './bcachefs';
import { FamilyBuilder } from './familyBuilder';
import { syncCollector } from './syncCollector';
import type { Collector, CollectorContext, CollectorDefinition } from './types';

/** One RAPL zone: its name, its index among zones of that name and its sysfs path. */
export interface RaplZone {
  readonly name: string;
  readonly index: number;
  readonly path: string;
  /** The directory under class/powercap. */
  readonly dir: string;
}

/**
 * Returns a zone's name and index as procfs derives them: "package-1" → ['package', 1];
 * a name without "-<n>" takes the next free index of that name.
 */
export function raplIndexAndName(counts: Map<string, number>, raw: string): [number, string] {
  const parts = raw.split('-');
  if (parts.length === 2 && /^[+-]?\d+$/.test(parts[1])) return [Number(parts[1]), parts[0]];
  return [counts.get(raw) ?? 0, raw];
}

/** Returns the RAPL zones under <sysfs>/class/powercap (those with a name file). */
export function raplZones(ctx: CollectorContext): RaplZone[] {
  const counts = new Map<string, number>();
  const zones: RaplZone[] = [];
  for (const dir of listDir(ctx.sysPath, 'class/powercap')) {
    let raw: string;
    try {
      raw = readFileSync(join(ctx.sysPath, 'class/powercap', dir, 'name'), 'utf8').trim();
    } catch {
      continue;
    }
    const [index, name] = raplIndexAndName(counts, raw);
    const maxRaw = readProcText(ctx.sysPath, `class/powercap/${dir}/max_energy_range_uj`).trim();
    parseValueOrNone(maxRaw, parseUint, `rapl ${dir}/max_energy_range_uj`); // validated as procfs does; exported by nothing
    zones.push({ name, index, path: join(ctx.sysPath, 'class/powercap', dir), dir });
    counts.set(name, index + 1);
  }
  return zones;
}

/** Returns node_exporter's rapl families: joules used per zone. */
export function raplFamilies(ctx: CollectorContext, zoneLabel: boolean): MetricFamily[] {
  let zones: RaplZone[];
  try {
    zones = raplZones(ctx);
  } catch (e) {
    if (isMissing(e)) throw new RxporterError('RXP_NO_DATA', "Platform doesn't have powercap files present", false, { cause: e });
    throw e;
  }
  const b = new FamilyBuilder();
  for (const z of zones) {
    let raw: string;
    try {
      raw = readProcText(ctx.sysPath, `class/powercap/${z.dir}/energy_uj`).trim();
    } catch (e) {
      // energy_uj is root-only on recent kernels (CVE-2020-8694): node_exporter reports no data.
      if (e instanceof RxporterError && /EACCES|EPERM|permission denied/i.test(e.message)) {
        throw new RxporterError('RXP_NO_DATA', "Can't access energy_uj file", false, { cause: e });
      }
      throw e;
    }
    const uj = parseValueOrNone(raw, parseUint, `rapl ${z.dir}/energy_uj`);
    const joules = uj === undefined ? undefined : uj / 1000000;
    if (zoneLabel) {
      b.counter('node_rapl_joules_total', 'Current RAPL value in joules', { index: String(z.index), path: z.path, rapl_zone: z.name }, joules);
    } else {
      b.counter(`node_rapl_${sanitizeMetricName(z.name)}_joules_total`, `Current RAPL ${z.name} value in joules`, { index: String(z.index), path: z.path }, joules);
    }
  }
  return b.families();
}

/** Returns the rapl collector; `zoneLabel` puts the zone in a label of one family. */
export const createRaplCollector = (zoneLabel: boolean): Collector => syncCollector('rapl', true, (ctx) => raplFamilies(ctx, zoneLabel));

/** The rapl collector's registration, with node_exporter's flag. */
export const raplDefinition: CollectorDefinition = {
  name: 'rapl',
  defaultEnabled: true,
  options: {
    enableZoneLabel: { doc: 'Report one node_rapl_joules_total family with a rapl_zone label instead of one family per zone.', format: 'bool', default: false, arg: 'collector.rapl.enable-zone-label' },
  },
  create: (o) => createRaplCollector(o.enableZoneLabel === true),
};
