import { buildFamilies, metadataFamilySpecs, type FamilySpec } from '../common';
import type { KsmStore } from '../types';
import { createdSpec, deletionSpec, generationSpec, namespaced, statusSpecs } from './objectMeta';

const status = statusSpecs('daemonset');

const FAMILIES: readonly FamilySpec[] = [
  createdSpec('daemonset'),
  status('current_number_scheduled', 'The number of nodes running at least one daemon pod and are supposed to.', 'currentNumberScheduled'),
  status('desired_number_scheduled', 'The number of nodes that should be running the daemon pod.', 'desiredNumberScheduled'),
  status(
    'number_available',
    'The number of nodes that should be running the daemon pod and have one or more of the daemon pod running and available',
    'numberAvailable',
  ),
  status('number_misscheduled', 'The number of nodes running a daemon pod but are not supposed to.', 'numberMisscheduled'),
  status(
    'number_ready',
    'The number of nodes that should be running the daemon pod and have one or more of the daemon pod running and ready.',
    'numberReady',
  ),
  status(
    'number_unavailable',
    'The number of nodes that should be running the daemon pod and have none of the daemon pod running and available',
    'numberUnavailable',
  ),
  status('observed_generation', 'The most recent generation observed by the daemon set controller.', 'observedGeneration'),
  status('updated_number_scheduled', 'The total number of nodes that are running updated daemon pod', 'updatedNumberScheduled'),
  generationSpec('daemonset'),
  deletionSpec('daemonset'),
  ...metadataFamilySpecs('daemonset', 'daemonsets'),
];

/**
 * kube-state-metrics' daemonset store (internal/store/daemonset.go): the status counters of
 * scheduled, ready, available and misscheduled nodes (0 when absent), generations, times,
 * labels and annotations. Every series carries `namespace` and `daemonset`.
 */
export const daemonsetStore: KsmStore = {
  resource: 'daemonsets',
  families: (objects, o) => buildFamilies(FAMILIES, objects, namespaced('daemonset'), o),
};
