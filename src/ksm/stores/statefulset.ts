import { asString, buildFamilies, metadataFamilySpecs, sample, type FamilySpec } from '../common';
import type { KsmStore } from '../types';
import { createdSpec, deletionSpec, gaugeSpec, generationSpec, int, namespaced, ptr, statusSpecs } from './objectMeta';

const status = statusSpecs('statefulset');

const revision = (name: string, help: string, field: string): FamilySpec => ({
  name: `kube_statefulset_status_${name}`,
  help,
  stability: 'STABLE',
  samples: (s) => [sample({ revision: asString(s.status?.[field]) }, 1)],
});

const FAMILIES: readonly FamilySpec[] = [
  createdSpec('statefulset'),
  status('replicas', 'The number of replicas per StatefulSet.', 'replicas'),
  status('replicas_available', 'The number of available replicas per StatefulSet.', 'availableReplicas'),
  status('replicas_current', 'The number of current replicas per StatefulSet.', 'currentReplicas'),
  status('replicas_ready', 'The number of ready replicas per StatefulSet.', 'readyReplicas'),
  status('replicas_updated', 'The number of updated replicas per StatefulSet.', 'updatedReplicas'),
  status('observed_generation', 'The generation observed by the StatefulSet controller.', 'observedGeneration'),
  gaugeSpec('kube_statefulset_replicas', 'Number of desired pods for a StatefulSet.', 'STABLE', (s) => ptr(s.spec?.replicas)),
  gaugeSpec('kube_statefulset_ordinals_start', 'Start ordinal of the StatefulSet.', 'STABLE', (s) =>
    s.spec?.ordinals === undefined || s.spec?.ordinals === null ? undefined : int(s.spec.ordinals.start),
  ),
  generationSpec('statefulset', 'Sequence number representing a specific generation of the desired state for the StatefulSet.'),
  {
    name: 'kube_statefulset_persistentvolumeclaim_retention_policy',
    help: 'Count of retention policy for StatefulSet template PVCs',
    stability: 'STABLE',
    samples: (s) => {
      const policy = s.spec?.persistentVolumeClaimRetentionPolicy;
      const whenDeleted = asString(policy?.whenDeleted);
      const whenScaled = asString(policy?.whenScaled);
      return whenDeleted === '' && whenScaled === '' ? [] : [sample({ when_deleted: whenDeleted, when_scaled: whenScaled }, 1)];
    },
  },
  ...metadataFamilySpecs('statefulset', 'statefulsets', true),
  revision(
    'current_revision',
    'Indicates the version of the StatefulSet used to generate Pods in the sequence [0,currentReplicas).',
    'currentRevision',
  ),
  revision(
    'update_revision',
    'Indicates the version of the StatefulSet used to generate Pods in the sequence [replicas-updatedReplicas,replicas)',
    'updateRevision',
  ),
  deletionSpec('statefulset', 'STABLE'),
];

/**
 * kube-state-metrics' statefulset store (internal/store/statefulset.go): replicas by state,
 * desired replicas and the first ordinal (none when unset), the PVC retention policy (none
 * when neither field is set), current and update revisions (`revision`, '' when unset),
 * generations, times, labels and annotations (both STABLE here). Every series carries
 * `namespace` and `statefulset`.
 */
export const statefulsetStore: KsmStore = {
  resource: 'statefulsets',
  families: (objects, o) => buildFamilies(FAMILIES, objects, namespaced('statefulset'), o),
};
