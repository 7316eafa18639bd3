import type { Labels, MetricFamily } from '../../model/family';
import { asArray, asString, buildFamilies, conditionSamples, metadataFamilySpecs, nonZeroTimeSeconds, sample, type FamilySpec } from '../common';
import type { KsmOptions, KsmStore, KubeObject } from '../types';

// The namespace families of kube-state-metrics (internal/store/namespace.go); every sample
// also carries namespace.

/* eslint-disable @typescript-eslint/no-explicit-any -- namespace JSON as the API serves it */
type Namespace = KubeObject;

const status = (n: Namespace): any => n.status ?? {};

/** The namespace families in KSM's order (namespaceMetricFamilies). */
export const NAMESPACE_FAMILY_SPECS: readonly FamilySpec[] = (() => {
  const [annotations, labels] = metadataFamilySpecs('namespace', 'namespaces');
  const specs: FamilySpec[] = [
    {
      name: 'kube_namespace_created',
      help: 'Unix creation timestamp',
      stability: 'STABLE',
      samples: (n) => {
        const t = nonZeroTimeSeconds(n.metadata.creationTimestamp);
        return t === undefined ? [] : [sample({}, t)];
      },
    },
    annotations,
    labels,
    {
      name: 'kube_namespace_status_phase',
      help: 'kubernetes namespace status phase.',
      stability: 'STABLE',
      // Both phases always, 0 and 0 when the phase is unset or another value (as KSM).
      samples: (n) => ['Active', 'Terminating'].map((p) => sample({ phase: p }, status(n).phase === p ? 1 : 0)),
    },
    {
      name: 'kube_namespace_status_condition',
      help: 'The condition of a namespace.',
      stability: 'ALPHA',
      samples: (n) =>
        asArray(status(n).conditions).flatMap((c) => conditionSamples(c?.status, 'status', { condition: asString(c?.type) })),
    },
  ];
  return specs;
})();

const namespaceIdentity = (n: Namespace): Labels => ({ namespace: n.metadata.name });

/**
 * Returns kube-state-metrics' namespace families for `namespaces`
 * (internal/store/namespace.go), each sample labelled namespace; HELP/TYPE of all of them
 * once there is a namespace.
 */
export const namespaceFamilies = (namespaces: readonly KubeObject[], o: KsmOptions): MetricFamily[] =>
  buildFamilies(NAMESPACE_FAMILY_SPECS, namespaces, namespaceIdentity, o);

/** The namespaces store (KSM resource `namespaces`). */
export const namespaceStore: KsmStore = { resource: 'namespaces', families: namespaceFamilies };
