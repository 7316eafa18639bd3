import { buddyinfoDefinition } from '../buddyinfo';
import { cgroupsDefinition } from '../cgroups';
import { containerDefinition } from '../container';
import { cpuDefinition } from '../cpu';
import { cpuVulnerabilitiesDefinition } from '../cpu_vulnerabilities';
import { cpufreqDefinition } from '../cpufreq';
import { entropyDefinition } from '../entropy';
import { filefdDefinition } from '../filefd';
import { interruptsDefinition } from '../interrupts';
import { kernelHungDefinition } from '../kernel_hung';
import { ksmDefinition } from '../ksm';
import { ksmdDefinition } from '../ksmd';
import { loadavgDefinition } from '../loadavg';
import { meminfoNumaDefinition } from '../meminfo_numa';
import { pressureDefinition } from '../pressure';
import { processDefinition } from '../process';
import { processesDefinition } from '../processes';
import { schedstatDefinition } from '../schedstat';
import { selinuxDefinition } from '../selinux';
import { slabinfoDefinition } from '../slabinfo';
import { softirqsDefinition } from '../softirqs';
import { statDefinition } from '../stat';
import { sysctlDefinition } from '../sysctl';
import { timeDefinition } from '../time';
import { timexDefinition } from '../timex';
import type { CollectorDefinition } from '../types';
import { unameDefinition } from '../uname';
import { vmstatDefinition } from '../vmstat';
import { zoneinfoDefinition } from '../zoneinfo';

/** node_exporter's system collectors (issue 4), process-exporter's process collector (issue 11) and the kube-state-metrics collector (issue 12). */
export const systemDefinitions: readonly CollectorDefinition[] = [
  buddyinfoDefinition,
  cgroupsDefinition,
  containerDefinition,
  cpuDefinition,
  cpuVulnerabilitiesDefinition,
  cpufreqDefinition,
  entropyDefinition,
  filefdDefinition,
  interruptsDefinition,
  kernelHungDefinition,
  ksmDefinition,
  ksmdDefinition,
  loadavgDefinition,
  meminfoNumaDefinition,
  pressureDefinition,
  processDefinition,
  processesDefinition,
  schedstatDefinition,
  selinuxDefinition,
  slabinfoDefinition,
  softirqsDefinition,
  statDefinition,
  sysctlDefinition,
  timeDefinition,
  timexDefinition,
  unameDefinition,
  vmstatDefinition,
  zoneinfoDefinition,
];
