import { join } from 'node:path';
import { defer, from, Observable } from 'rxjs';
import type { Log } from '../log/types';
import { gauge, type MetricFamily } from '../model/family';
import { splitFields, trimSpace } from '../procfs/fields';
import { readProcText } from '../procfs/read';
import { isMissing } from '../sysfs/read';
import { orNoData } from './networkFilters';
import { simpleDefinition, type Collector } from './types';

/** One bonding master: its configured and active (mii_status "up") slaves. */
export interface BondingStatus {
  readonly master: string;
  readonly slaves: number;
  readonly active: number;
}

/** Returns one slave's mii_status, under lower_<slave> or, on older kernels, slave_<slave>. */
function miiStatus(sysPath: string, master: string, slave: string): string {
  try {
    return readProcText(sysPath, join('class/net', master, `lower_${slave}`, 'bonding_slave', 'mii_status'));
  } catch (e) {
    if (!isMissing(e)) throw e;
    return readProcText(sysPath, join('class/net', master, `slave_${slave}`, 'bonding_slave', 'mii_status'));
  }
}

/**
 * Returns the masters listed in <sysfs>/class/net/bonding_masters with their slave
 * counts. A master or slave that vanishes meanwhile drops that master, with a debug line.
 * Throws RXP_PROC_MISSING when bonding_masters is absent (no bonding driver).
 */
export function readBondingStats(sysPath: string, log: Log): BondingStatus[] {
  const out: BondingStatus[] = [];
  for (const master of splitFields(readProcText(sysPath, 'class/net/bonding_masters'))) {
    try {
      const slaves = splitFields(readProcText(sysPath, join('class/net', master, 'bonding', 'slaves')));
      let active = 0;
      for (const s of slaves) if (trimSpace(miiStatus(sysPath, master, s)) === 'up') active++;
      out.push({ master, slaves: slaves.length, active });
    } catch (e) {
      if (!isMissing(e)) throw e;
      log.debug('bonding master vanished while being read', { collector: 'bonding', master });
    }
  }
  return out;
}

/** Returns node_bonding_slaves and node_bonding_active, one sample per master. */
export const bondingFamilies = (stats: readonly BondingStatus[]): MetricFamily[] =>
  [
    gauge('node_bonding_slaves', 'Number of configured slaves per bonding interface.', stats.map((s) => ({ labels: { master: s.master }, value: s.slaves }))),
    gauge('node_bonding_active', 'Number of active slaves per bonding interface.', stats.map((s) => ({ labels: { master: s.master }, value: s.active }))),
  ].filter((f) => f.samples.length > 0);

/** The bonding collector: slave counts of <sysfs>/class/net bonding masters; RXP_NO_DATA without the bonding driver. */
export const bonding: Collector = {
  name: 'bonding',
  defaultEnabled: true,
  collect: (ctx): Observable<MetricFamily> =>
    defer(() => from(bondingFamilies(orNoData(() => readBondingStats(ctx.sysPath, ctx.log), 'Not collecting bonding, file does not exist')))),
};

/** The bonding collector's registration (on by default, as in node_exporter). */
export const bondingDefinition = simpleDefinition(bonding);
