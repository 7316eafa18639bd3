import { cpuDefinition } from '../cpu';
import { cpufreqDefinition } from '../cpufreq';
import { loadavgDefinition } from '../loadavg';
import { statDefinition } from '../stat';
import type { CollectorDefinition } from '../types';

/** node_exporter's system collectors (issue 4). */
export const systemDefinitions: readonly CollectorDefinition[] = [cpuDefinition, cpufreqDefinition, loadavgDefinition, statDefinition];
