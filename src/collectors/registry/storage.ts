import type { CollectorDefinition } from '../types';

/** node_exporter's storage collectors (issue 4). */
export const storageDefinitions: readonly CollectorDefinition[] = [];
