import { replicasetStore } from '../../src/ksm/stores/replicaset';
import { ksmOptions, storeSuite, type UpstreamCase } from './storeSupport';

// Expectations of kube-state-metrics' internal/store/replicaset_test.go (TestReplicaSetStore),
// case by case, for the same objects in fixtures/ksm/replicasets.json; each case checks the
// families upstream's MetricNames lists, with the allowlists upstream gives it.
const CASES: readonly UpstreamCase[] = [
  {
    name: 'rs1',
    want: `
      kube_replicaset_created{namespace="ns1",replicaset="rs1"} 1.5e+09
      kube_replicaset_metadata_generation{namespace="ns1",replicaset="rs1"} 21
      kube_replicaset_status_replicas{namespace="ns1",replicaset="rs1"} 5
      kube_replicaset_status_observed_generation{namespace="ns1",replicaset="rs1"} 1
      kube_replicaset_status_fully_labeled_replicas{namespace="ns1",replicaset="rs1"} 10
      kube_replicaset_status_ready_replicas{namespace="ns1",replicaset="rs1"} 5
      kube_replicaset_status_terminating_replicas{namespace="ns1",replicaset="rs1"} 3
      kube_replicaset_spec_replicas{namespace="ns1",replicaset="rs1"} 5
      kube_replicaset_owner{namespace="ns1",owner_is_controller="true",owner_kind="Deployment",owner_name="dp-name",replicaset="rs1"} 1
    `,
  },
  {
    name: 'rs2',
    want: `
      kube_replicaset_metadata_generation{namespace="ns2",replicaset="rs2"} 14
      kube_replicaset_status_replicas{namespace="ns2",replicaset="rs2"} 0
      kube_replicaset_status_observed_generation{namespace="ns2",replicaset="rs2"} 5
      kube_replicaset_status_fully_labeled_replicas{namespace="ns2",replicaset="rs2"} 5
      kube_replicaset_status_ready_replicas{namespace="ns2",replicaset="rs2"} 0
      kube_replicaset_spec_replicas{namespace="ns2",replicaset="rs2"} 0
      kube_replicaset_owner{namespace="ns2",owner_is_controller="",owner_kind="",owner_name="",replicaset="rs2"} 1
    `,
  },
];

// The HELP and TYPE lines upstream's metric generator writes for every replicaset family.
const UPSTREAM_HEADERS = `
# HELP kube_replicaset_created [STABLE] Unix creation timestamp
# TYPE kube_replicaset_created gauge
# HELP kube_replicaset_status_replicas [STABLE] The number of replicas per ReplicaSet.
# TYPE kube_replicaset_status_replicas gauge
# HELP kube_replicaset_status_fully_labeled_replicas [STABLE] The number of fully labeled replicas per ReplicaSet.
# TYPE kube_replicaset_status_fully_labeled_replicas gauge
# HELP kube_replicaset_status_ready_replicas [STABLE] The number of ready replicas per ReplicaSet.
# TYPE kube_replicaset_status_ready_replicas gauge
# HELP kube_replicaset_status_terminating_replicas The number of terminating replicas per ReplicaSet.
# TYPE kube_replicaset_status_terminating_replicas gauge
# HELP kube_replicaset_status_observed_generation [STABLE] The generation observed by the ReplicaSet controller.
# TYPE kube_replicaset_status_observed_generation gauge
# HELP kube_replicaset_spec_replicas [STABLE] Number of desired pods for a ReplicaSet.
# TYPE kube_replicaset_spec_replicas gauge
# HELP kube_replicaset_metadata_generation [STABLE] Sequence number representing a specific generation of the desired state.
# TYPE kube_replicaset_metadata_generation gauge
# HELP kube_replicaset_owner [STABLE] Information about the ReplicaSet's owner.
# TYPE kube_replicaset_owner gauge
# HELP kube_replicaset_annotations Kubernetes annotations converted to Prometheus labels.
# TYPE kube_replicaset_annotations gauge
# HELP kube_replicaset_labels [STABLE] Kubernetes labels converted to Prometheus labels.
# TYPE kube_replicaset_labels gauge
`;

describe('replicaset store', () => {
  storeSuite(
    replicasetStore,
    'replicaset',
    ksmOptions({
      labelsAllowlist: new Map([['replicasets', '*']]),
      annotationsAllowlist: new Map([['*', ['deployment.kubernetes.io/revision']]]),
    }),
    CASES,
    UPSTREAM_HEADERS,
  );
});
