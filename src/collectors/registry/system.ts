import type { CollectorDefinition } from '../types';

/** node_exporter's system collectors (issue 4). */
export const systemDefinitions: readonly CollectorDefinition[] = [];
