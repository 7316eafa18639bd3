import { defer, from } from 'rxjs';
import { gauge, type MetricFamily } from '../model/family';
import { parseBuddyinfo, type BuddyZone } from '../procfs/buddyinfo';
import { readProcText } from '../procfs/read';
import { simpleDefinition, type Collector } from './types';

/** Returns node_buddyinfo_blocks: one sample per zone and block order. */
export const buddyinfoFamilies = (zones: readonly BuddyZone[]): MetricFamily[] => [
  gauge(
    'node_buddyinfo_blocks',
    'Count of free blocks according to size.',
    zones.flatMap((z) => z.sizes.map((value, size) => ({ labels: { node: z.node, zone: z.zone, size: String(size) }, value }))),
  ),
];

/** The buddyinfo collector: free memory fragments per zone from <procfs>/buddyinfo. */
export const buddyinfo: Collector = {
  name: 'buddyinfo',
  defaultEnabled: false,
  collect: (ctx) => defer(() => from(buddyinfoFamilies(parseBuddyinfo(readProcText(ctx.procPath, 'buddyinfo'))))),
};

/** The buddyinfo collector's registration. */
export const buddyinfoDefinition = simpleDefinition(buddyinfo);
