import { filesystemDefinition } from '../filesystem';
import { meminfoDefinition } from '../meminfo';
import type { CollectorDefinition } from '../types';

/** Collectors of the foundation. */
export const foundationDefinitions: readonly CollectorDefinition[] = [meminfoDefinition, filesystemDefinition];
