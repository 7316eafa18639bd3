import { defer, from } from 'rxjs';
import { gauge, type MetricFamily } from '../model/family';
import { parseCgroups, type CgroupSubsystem } from '../procfs/cgroups';
import { readProcText } from '../procfs/read';
import { simpleDefinition, type Collector } from './types';

/** Returns node_cgroups_cgroups and node_cgroups_enabled per controller (node_exporter's help, twice the same). */
export const cgroupsFamilies = (subs: readonly CgroupSubsystem[]): MetricFamily[] =>
  subs.length === 0
    ? []
    : [
        gauge('node_cgroups_cgroups', 'Current cgroup number of the subsystem.', subs.map((s) => ({ labels: { subsys_name: s.subsysName }, value: s.cgroups }))),
        gauge('node_cgroups_enabled', 'Current cgroup number of the subsystem.', subs.map((s) => ({ labels: { subsys_name: s.subsysName }, value: s.enabled }))),
      ];

/** The cgroups collector: the cgroup controllers summary of <procfs>/cgroups. */
export const cgroups: Collector = {
  name: 'cgroups',
  defaultEnabled: false,
  collect: (ctx) => defer(() => from(cgroupsFamilies(parseCgroups(readProcText(ctx.procPath, 'cgroups'))))),
};

/** The cgroups collector's registration. */
export const cgroupsDefinition = simpleDefinition(cgroups);
