import { defer, from } from 'rxjs';
import { gauge, type MetricFamily, type Sample } from '../model/family';
import { readCpufreq, type Cpufreq } from '../sysfs/cpu';
import { simpleDefinition, type Collector } from './types';

const FREQS: [keyof Cpufreq, string, string][] = [
  ['cpuinfoCurFreq', 'node_cpu_frequency_hertz', 'Current CPU thread frequency in hertz.'],
  ['cpuinfoAvgFreq', 'node_cpu_frequency_avg_hertz', 'Average CPU thread frequency in hertz.'],
  ['cpuinfoMinFreq', 'node_cpu_frequency_min_hertz', 'Minimum CPU thread frequency in hertz.'],
  ['cpuinfoMaxFreq', 'node_cpu_frequency_max_hertz', 'Maximum CPU thread frequency in hertz.'],
  ['scalingCurFreq', 'node_cpu_scaling_frequency_hertz', 'Current scaled CPU thread frequency in hertz.'],
  ['scalingMinFreq', 'node_cpu_scaling_frequency_min_hertz', 'Minimum scaled CPU thread frequency in hertz.'],
  ['scalingMaxFreq', 'node_cpu_scaling_frequency_max_hertz', 'Maximum scaled CPU thread frequency in hertz.'],
];

/**
 * Returns the cpufreq families: each kHz attribute a CPU has, in hertz, and one
 * node_cpu_scaling_governor sample per available governor (1 for the current one).
 */
export function cpufreqFamilies(cpus: readonly Cpufreq[]): MetricFamily[] {
  const out: MetricFamily[] = [];
  for (const [key, name, help] of FREQS) {
    const samples: Sample[] = [];
    for (const c of cpus) {
      const v = c[key] as number | undefined;
      if (v !== undefined) samples.push({ labels: { cpu: c.name }, value: v * 1000 });
    }
    if (samples.length > 0) out.push(gauge(name, help, samples));
  }
  const governors: Sample[] = [];
  for (const c of cpus) {
    if (c.governor === '') continue;
    for (const g of c.availableGovernors.split(' ')) governors.push({ labels: { cpu: c.name, governor: g }, value: g === c.governor ? 1 : 0 });
  }
  if (governors.length > 0) out.push(gauge('node_cpu_scaling_governor', 'Current enabled CPU frequency governor.', governors));
  return out;
}

/** The cpufreq collector: CPU frequencies and governors from <sysfs>/devices/system/cpu/cpu*\/cpufreq. */
export const cpufreq: Collector = {
  name: 'cpufreq',
  defaultEnabled: true,
  collect: (ctx) => defer(() => from(cpufreqFamilies(readCpufreq(ctx.sysPath)))),
};

/** The cpufreq collector's registration. */
export const cpufreqDefinition = simpleDefinition(cpufreq);
