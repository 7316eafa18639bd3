import type { Sample } from '../../model/family';
import {
  asArray,
  asString,
  buildFamilies,
  conditionSamples,
  metadataFamilySpecs,
  quantityValue,
  sample,
  type FamilySpec,
} from '../common';
import type { KsmStore, KubeObject } from '../types';
import { createdSpec, deletionSpec, namespaced } from './objectMeta';

/** The claim phases KSM writes a series for, in its order. */
const PHASES = ['Lost', 'Bound', 'Pending'] as const;

/** The annotation that named a claim's class before spec.storageClassName (v1.BetaStorageClassAnnotation). */
const BETA_STORAGE_CLASS = 'volume.beta.kubernetes.io/storage-class';

/** Returns the claim's storage class as KSM: the beta annotation when present, else spec.storageClassName, else ''. */
export function claimStorageClass(p: KubeObject): string {
  const annotations = p.metadata.annotations ?? {};
  if (Object.prototype.hasOwnProperty.call(annotations, BETA_STORAGE_CLASS)) return annotations[BETA_STORAGE_CLASS];
  return asString(p.spec?.storageClassName);
}

/** Returns the requested storage in bytes (Quantity.Value(), rounded up), none when absent or not a quantity. */
function storageRequest(p: KubeObject): Sample[] {
  const q: unknown = p.spec?.resources?.requests?.storage;
  if (typeof q !== 'string' && typeof q !== 'number') return [];
  try {
    return [sample({}, quantityValue(String(q)))];
  } catch {
    return [];
  }
}

const FAMILIES: readonly FamilySpec[] = [
  ...metadataFamilySpecs('persistentvolumeclaim', 'persistentvolumeclaims'),
  {
    name: 'kube_persistentvolumeclaim_info',
    help: 'Information about persistent volume claim.',
    stability: 'STABLE',
    samples: (p) => [
      sample({ storageclass: claimStorageClass(p), volumename: asString(p.spec?.volumeName), volumemode: asString(p.spec?.volumeMode) }, 1),
    ],
  },
  {
    name: 'kube_persistentvolumeclaim_status_phase',
    help: 'The phase the persistent volume claim is currently in.',
    stability: 'STABLE',
    samples: (p) => {
      const phase = asString(p.status?.phase);
      return phase === '' ? [] : PHASES.map((ph) => sample({ phase: ph }, phase === ph ? 1 : 0));
    },
  },
  {
    name: 'kube_persistentvolumeclaim_resource_requests_storage_bytes',
    help: 'The capacity of storage requested by the persistent volume claim.',
    stability: 'STABLE',
    samples: storageRequest,
  },
  {
    name: 'kube_persistentvolumeclaim_access_mode',
    help: 'The access mode(s) specified by the persistent volume claim.',
    stability: 'STABLE',
    samples: (p) => asArray(p.spec?.accessModes).map((m) => sample({ access_mode: asString(m) }, 1)),
  },
  {
    name: 'kube_persistentvolumeclaim_status_condition',
    help: 'Information about status of different conditions of persistent volume claim.',
    stability: 'ALPHA',
    samples: (p) =>
      asArray(p.status?.conditions).flatMap((c) => {
        const cond = c as { type?: unknown; status?: unknown };
        return conditionSamples(cond.status, 'status', { condition: asString(cond.type) });
      }),
  },
  createdSpec('persistentvolumeclaim', 'ALPHA'),
  deletionSpec('persistentvolumeclaim'),
];

/**
 * kube-state-metrics' persistentvolumeclaim store (internal/store/persistentvolumeclaim.go):
 * storage class (the beta annotation wins over spec.storageClassName), volume name and mode,
 * the phase (Lost, Bound, Pending; none before the claim has one), the requested storage in
 * bytes, access modes, conditions, times, labels and annotations. Every series carries
 * `namespace` and `persistentvolumeclaim`.
 */
export const persistentvolumeclaimStore: KsmStore = {
  resource: 'persistentvolumeclaims',
  families: (objects, o) => buildFamilies(FAMILIES, objects, namespaced('persistentvolumeclaim'), o),
};
