import { buildFamilies, metadataFamilySpecs, type FamilySpec } from '../common';
import type { KsmStore } from '../types';
import { createdSpec, gaugeSpec, generationSpec, namespaced, ownerSpec, ptr, statusSpecs } from './objectMeta';

const status = statusSpecs('replicaset');

const FAMILIES: readonly FamilySpec[] = [
  createdSpec('replicaset'),
  status('replicas', 'The number of replicas per ReplicaSet.', 'replicas'),
  status('fully_labeled_replicas', 'The number of fully labeled replicas per ReplicaSet.', 'fullyLabeledReplicas'),
  status('ready_replicas', 'The number of ready replicas per ReplicaSet.', 'readyReplicas'),
  gaugeSpec('kube_replicaset_status_terminating_replicas', 'The number of terminating replicas per ReplicaSet.', 'ALPHA', (r) =>
    ptr(r.status?.terminatingReplicas),
  ),
  status('observed_generation', 'The generation observed by the ReplicaSet controller.', 'observedGeneration'),
  gaugeSpec('kube_replicaset_spec_replicas', 'Number of desired pods for a ReplicaSet.', 'STABLE', (r) => ptr(r.spec?.replicas)),
  generationSpec('replicaset'),
  ownerSpec('replicaset', "Information about the ReplicaSet's owner.", 'STABLE', true),
  ...metadataFamilySpecs('replicaset', 'replicasets'),
];

/**
 * kube-state-metrics' replicaset store (internal/store/replicaset.go): desired (none when
 * spec.replicas is unset) and actual replicas, terminating replicas (none when unset),
 * generations, owners with `owner_is_controller`, labels and annotations. Every series
 * carries `namespace` and `replicaset`.
 */
export const replicasetStore: KsmStore = {
  resource: 'replicasets',
  families: (objects, o) => buildFamilies(FAMILIES, objects, namespaced('replicaset'), o),
};
