import { statefulsetStore } from '../../src/ksm/stores/statefulset';
import { ksmOptions, storeSuite, type UpstreamCase } from './storeSupport';

// Expectations of kube-state-metrics' internal/store/statefulset_test.go (TestStatefulSetStore),
// case by case, for the same objects in fixtures/ksm/statefulsets.json; each case checks the
// families upstream's MetricNames lists, with the allowlists upstream gives it.
// A MetricNames list several upstream cases share.
const FAMILIES_0 = [
  'kube_statefulset_labels',
  'kube_statefulset_metadata_generation',
  'kube_statefulset_replicas',
  'kube_statefulset_status_replicas',
  'kube_statefulset_status_replicas_available',
  'kube_statefulset_status_replicas_current',
  'kube_statefulset_status_replicas_ready',
  'kube_statefulset_status_replicas_updated',
  'kube_statefulset_status_update_revision',
  'kube_statefulset_status_current_revision',
  'kube_statefulset_persistentvolumeclaim_retention_policy',
];

const CASES: readonly UpstreamCase[] = [
  {
    name: 'statefulset1',
    families: [
      'kube_statefulset_created',
      'kube_statefulset_labels',
      'kube_statefulset_metadata_generation',
      'kube_statefulset_replicas',
      'kube_statefulset_ordinals_start',
      'kube_statefulset_status_observed_generation',
      'kube_statefulset_status_replicas',
      'kube_statefulset_status_replicas_available',
      'kube_statefulset_status_replicas_current',
      'kube_statefulset_status_replicas_ready',
      'kube_statefulset_status_replicas_updated',
      'kube_statefulset_status_update_revision',
      'kube_statefulset_status_current_revision',
      'kube_statefulset_persistentvolumeclaim_retention_policy',
    ],
    want: `
      kube_statefulset_status_update_revision{namespace="ns1",revision="ur1",statefulset="statefulset1"} 1
      kube_statefulset_created{namespace="ns1",statefulset="statefulset1"} 1.5e+09
      kube_statefulset_status_current_revision{namespace="ns1",revision="cr1",statefulset="statefulset1"} 1
      kube_statefulset_status_replicas{namespace="ns1",statefulset="statefulset1"} 2
      kube_statefulset_status_replicas_available{namespace="ns1",statefulset="statefulset1"} 0
      kube_statefulset_status_replicas_current{namespace="ns1",statefulset="statefulset1"} 0
      kube_statefulset_status_replicas_ready{namespace="ns1",statefulset="statefulset1"} 0
      kube_statefulset_status_replicas_updated{namespace="ns1",statefulset="statefulset1"} 0
      kube_statefulset_status_observed_generation{namespace="ns1",statefulset="statefulset1"} 1
      kube_statefulset_replicas{namespace="ns1",statefulset="statefulset1"} 3
      kube_statefulset_metadata_generation{namespace="ns1",statefulset="statefulset1"} 3
    `,
  },
  {
    name: 'statefulset2',
    families: [
      'kube_statefulset_labels',
      'kube_statefulset_metadata_generation',
      'kube_statefulset_replicas',
      'kube_statefulset_status_observed_generation',
      'kube_statefulset_status_replicas',
      'kube_statefulset_status_replicas_available',
      'kube_statefulset_status_replicas_current',
      'kube_statefulset_status_replicas_ready',
      'kube_statefulset_status_replicas_updated',
      'kube_statefulset_status_update_revision',
      'kube_statefulset_status_current_revision',
      'kube_statefulset_persistentvolumeclaim_retention_policy',
    ],
    want: `
      kube_statefulset_status_update_revision{namespace="ns2",revision="ur2",statefulset="statefulset2"} 1
      kube_statefulset_status_replicas{namespace="ns2",statefulset="statefulset2"} 5
      kube_statefulset_status_replicas_available{namespace="ns2",statefulset="statefulset2"} 4
      kube_statefulset_status_replicas_current{namespace="ns2",statefulset="statefulset2"} 2
      kube_statefulset_status_replicas_ready{namespace="ns2",statefulset="statefulset2"} 5
      kube_statefulset_status_replicas_updated{namespace="ns2",statefulset="statefulset2"} 3
      kube_statefulset_status_observed_generation{namespace="ns2",statefulset="statefulset2"} 2
      kube_statefulset_replicas{namespace="ns2",statefulset="statefulset2"} 6
      kube_statefulset_metadata_generation{namespace="ns2",statefulset="statefulset2"} 21
      kube_statefulset_status_current_revision{namespace="ns2",revision="cr2",statefulset="statefulset2"} 1
    `,
  },
  {
    name: 'statefulset3',
    families: FAMILIES_0,
    want: `
      kube_statefulset_status_update_revision{namespace="ns3",revision="ur3",statefulset="statefulset3"} 1
      kube_statefulset_status_replicas{namespace="ns3",statefulset="statefulset3"} 7
      kube_statefulset_status_replicas_available{namespace="ns3",statefulset="statefulset3"} 0
      kube_statefulset_status_replicas_current{namespace="ns3",statefulset="statefulset3"} 0
      kube_statefulset_status_replicas_ready{namespace="ns3",statefulset="statefulset3"} 0
      kube_statefulset_status_replicas_updated{namespace="ns3",statefulset="statefulset3"} 0
      kube_statefulset_replicas{namespace="ns3",statefulset="statefulset3"} 9
      kube_statefulset_metadata_generation{namespace="ns3",statefulset="statefulset3"} 36
      kube_statefulset_status_current_revision{namespace="ns3",revision="cr3",statefulset="statefulset3"} 1
    `,
  },
  {
    name: 'statefulset4',
    families: FAMILIES_0,
    want: `
      kube_statefulset_status_update_revision{namespace="ns4",revision="ur3",statefulset="statefulset4"} 1
      kube_statefulset_status_replicas{namespace="ns4",statefulset="statefulset4"} 7
      kube_statefulset_status_replicas_available{namespace="ns4",statefulset="statefulset4"} 0
      kube_statefulset_status_replicas_current{namespace="ns4",statefulset="statefulset4"} 0
      kube_statefulset_status_replicas_ready{namespace="ns4",statefulset="statefulset4"} 0
      kube_statefulset_status_replicas_updated{namespace="ns4",statefulset="statefulset4"} 0
      kube_statefulset_replicas{namespace="ns4",statefulset="statefulset4"} 3
      kube_statefulset_metadata_generation{namespace="ns4",statefulset="statefulset4"} 1
      kube_statefulset_persistentvolumeclaim_retention_policy{namespace="ns4",statefulset="statefulset4",when_deleted="Retain",when_scaled="Delete"} 1
      kube_statefulset_status_current_revision{namespace="ns4",revision="cr3",statefulset="statefulset4"} 1
    `,
  },
  {
    name: 'statefulset5',
    families: [
      'kube_statefulset_labels',
      'kube_statefulset_metadata_generation',
      'kube_statefulset_replicas',
      'kube_statefulset_ordinals_start',
      'kube_statefulset_status_replicas',
      'kube_statefulset_status_replicas_available',
      'kube_statefulset_status_replicas_current',
      'kube_statefulset_status_replicas_ready',
      'kube_statefulset_status_replicas_updated',
      'kube_statefulset_status_update_revision',
      'kube_statefulset_status_current_revision',
      'kube_statefulset_persistentvolumeclaim_retention_policy',
    ],
    want: `
      kube_statefulset_status_update_revision{namespace="ns5",revision="ur5",statefulset="statefulset5"} 1
      kube_statefulset_status_replicas{namespace="ns5",statefulset="statefulset5"} 3
      kube_statefulset_status_replicas_available{namespace="ns5",statefulset="statefulset5"} 0
      kube_statefulset_status_replicas_current{namespace="ns5",statefulset="statefulset5"} 0
      kube_statefulset_status_replicas_ready{namespace="ns5",statefulset="statefulset5"} 0
      kube_statefulset_status_replicas_updated{namespace="ns5",statefulset="statefulset5"} 0
      kube_statefulset_replicas{namespace="ns5",statefulset="statefulset5"} 3
      kube_statefulset_ordinals_start{namespace="ns5",statefulset="statefulset5"} 2
      kube_statefulset_metadata_generation{namespace="ns5",statefulset="statefulset5"} 1
      kube_statefulset_status_current_revision{namespace="ns5",revision="cr5",statefulset="statefulset5"} 1
    `,
  },
  {
    name: 'statefulset6',
    families: ['kube_statefulset_deletion_timestamp'],
    want: `
      kube_statefulset_deletion_timestamp{statefulset="statefulset6",namespace="ns6"} 1.8e+09
    `,
  },
];

// The HELP and TYPE lines upstream's metric generator writes for every statefulset family.
const UPSTREAM_HEADERS = `
# HELP kube_statefulset_created [STABLE] Unix creation timestamp
# TYPE kube_statefulset_created gauge
# HELP kube_statefulset_status_replicas [STABLE] The number of replicas per StatefulSet.
# TYPE kube_statefulset_status_replicas gauge
# HELP kube_statefulset_status_replicas_available [STABLE] The number of available replicas per StatefulSet.
# TYPE kube_statefulset_status_replicas_available gauge
# HELP kube_statefulset_status_replicas_current [STABLE] The number of current replicas per StatefulSet.
# TYPE kube_statefulset_status_replicas_current gauge
# HELP kube_statefulset_status_replicas_ready [STABLE] The number of ready replicas per StatefulSet.
# TYPE kube_statefulset_status_replicas_ready gauge
# HELP kube_statefulset_status_replicas_updated [STABLE] The number of updated replicas per StatefulSet.
# TYPE kube_statefulset_status_replicas_updated gauge
# HELP kube_statefulset_status_observed_generation [STABLE] The generation observed by the StatefulSet controller.
# TYPE kube_statefulset_status_observed_generation gauge
# HELP kube_statefulset_replicas [STABLE] Number of desired pods for a StatefulSet.
# TYPE kube_statefulset_replicas gauge
# HELP kube_statefulset_ordinals_start [STABLE] Start ordinal of the StatefulSet.
# TYPE kube_statefulset_ordinals_start gauge
# HELP kube_statefulset_metadata_generation [STABLE] Sequence number representing a specific generation of the desired state for the StatefulSet.
# TYPE kube_statefulset_metadata_generation gauge
# HELP kube_statefulset_persistentvolumeclaim_retention_policy [STABLE] Count of retention policy for StatefulSet template PVCs
# TYPE kube_statefulset_persistentvolumeclaim_retention_policy gauge
# HELP kube_statefulset_annotations [STABLE] Kubernetes annotations converted to Prometheus labels.
# TYPE kube_statefulset_annotations gauge
# HELP kube_statefulset_labels [STABLE] Kubernetes labels converted to Prometheus labels.
# TYPE kube_statefulset_labels gauge
# HELP kube_statefulset_status_current_revision [STABLE] Indicates the version of the StatefulSet used to generate Pods in the sequence [0,currentReplicas).
# TYPE kube_statefulset_status_current_revision gauge
# HELP kube_statefulset_status_update_revision [STABLE] Indicates the version of the StatefulSet used to generate Pods in the sequence [replicas-updatedReplicas,replicas)
# TYPE kube_statefulset_status_update_revision gauge
# HELP kube_statefulset_deletion_timestamp [STABLE] Unix deletion timestamp
# TYPE kube_statefulset_deletion_timestamp gauge
`;

describe('statefulset store', () => {
  storeSuite(
    statefulsetStore,
    'statefulset',
    ksmOptions({
      labelsAllowlist: new Map([['statefulsets', ['app']]]),
      annotationsAllowlist: new Map([['statefulsets', ['backup.io/*']]]),
    }),
    CASES,
    UPSTREAM_HEADERS,
  );
});
