import { join } from 'node:path';
import { defer, from } from 'rxjs';
import { gauge, type MetricFamily } from '../model/family';
import { readProcText } from '../procfs/read';
import { parseVulnerability, type Vulnerability } from '../sysfs/vulnerabilities';
import { globAll } from '../sysfs/sysAttr';
import { simpleDefinition, type Collector } from './types';

const DIR = 'devices/system/cpu/vulnerabilities';

/** Returns node_cpu_vulnerabilities_info: one sample per vulnerability, its state and mitigation as labels. */
export const cpuVulnerabilitiesFamilies = (vs: readonly Vulnerability[]): MetricFamily[] =>
  vs.length === 0
    ? []
    : [
        gauge(
          'node_cpu_vulnerabilities_info',
          'Details of each CPU vulnerability reported by sysfs. The value of the series is an int encoded state of the vulnerability. The same state is stored as a string in the label',
          vs.map((v) => ({ labels: { codename: v.codename, state: v.state, mitigation: v.mitigation }, value: 1 })),
        ),
      ];

/** The cpu_vulnerabilities collector: <sysfs>/devices/system/cpu/vulnerabilities/*. */
export const cpuVulnerabilities: Collector = {
  name: 'cpu_vulnerabilities',
  defaultEnabled: false,
  collect: (ctx) =>
    defer(() => {
      const base = join(ctx.sysPath, DIR);
      return from(cpuVulnerabilitiesFamilies(globAll(ctx.sysPath, DIR).map((name) => parseVulnerability(name, readProcText(base, name)))));
    }),
};

/** The cpu_vulnerabilities collector's registration. */
export const cpuVulnerabilitiesDefinition = simpleDefinition(cpuVulnerabilities);
