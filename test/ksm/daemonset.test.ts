import { daemonsetStore } from '../../src/ksm/stores/daemonset';
import { ksmOptions, storeSuite, type UpstreamCase } from './storeSupport';

// Expectations of kube-state-metrics' internal/store/daemonset_test.go (TestDaemonSetStore),
// case by case, for the same objects in fixtures/ksm/daemonsets.json; each case checks the
// families upstream's MetricNames lists, with the allowlists upstream gives it.
// A MetricNames list several upstream cases share.
const FAMILIES_0 = [
  'kube_daemonset_created',
  'kube_daemonset_labels',
  'kube_daemonset_metadata_generation',
  'kube_daemonset_status_current_number_scheduled',
  'kube_daemonset_status_desired_number_scheduled',
  'kube_daemonset_status_number_available',
  'kube_daemonset_status_number_misscheduled',
  'kube_daemonset_status_number_ready',
  'kube_daemonset_status_number_unavailable',
  'kube_daemonset_status_updated_number_scheduled',
];

const CASES: readonly UpstreamCase[] = [
  {
    name: 'ds1',
    options: ksmOptions({ annotationsAllowlist: new Map([['daemonsets', ['app.k8s.io/owner']]]) }),
    families: [
      'kube_daemonset_annotations',
      'kube_daemonset_labels',
      'kube_daemonset_metadata_generation',
      'kube_daemonset_status_current_number_scheduled',
      'kube_daemonset_status_desired_number_scheduled',
      'kube_daemonset_status_number_available',
      'kube_daemonset_status_number_misscheduled',
      'kube_daemonset_status_number_ready',
      'kube_daemonset_status_number_unavailable',
      'kube_daemonset_status_observed_generation',
      'kube_daemonset_status_updated_number_scheduled',
    ],
    want: `
      kube_daemonset_metadata_generation{daemonset="ds1",namespace="ns1"} 21
      kube_daemonset_status_current_number_scheduled{daemonset="ds1",namespace="ns1"} 15
      kube_daemonset_status_desired_number_scheduled{daemonset="ds1",namespace="ns1"} 5
      kube_daemonset_status_number_available{daemonset="ds1",namespace="ns1"} 0
      kube_daemonset_status_number_misscheduled{daemonset="ds1",namespace="ns1"} 10
      kube_daemonset_status_number_ready{daemonset="ds1",namespace="ns1"} 5
      kube_daemonset_status_number_unavailable{daemonset="ds1",namespace="ns1"} 0
      kube_daemonset_status_observed_generation{daemonset="ds1",namespace="ns1"} 2
      kube_daemonset_status_updated_number_scheduled{daemonset="ds1",namespace="ns1"} 0
      kube_daemonset_annotations{annotation_app_k8s_io_owner="@foo",daemonset="ds1",namespace="ns1"} 1
    `,
  },
  {
    name: 'ds2',
    families: FAMILIES_0,
    want: `
      kube_daemonset_metadata_generation{daemonset="ds2",namespace="ns2"} 14
      kube_daemonset_status_current_number_scheduled{daemonset="ds2",namespace="ns2"} 10
      kube_daemonset_status_desired_number_scheduled{daemonset="ds2",namespace="ns2"} 0
      kube_daemonset_status_number_available{daemonset="ds2",namespace="ns2"} 0
      kube_daemonset_status_number_misscheduled{daemonset="ds2",namespace="ns2"} 5
      kube_daemonset_status_number_ready{daemonset="ds2",namespace="ns2"} 0
      kube_daemonset_status_number_unavailable{daemonset="ds2",namespace="ns2"} 0
      kube_daemonset_status_updated_number_scheduled{daemonset="ds2",namespace="ns2"} 0
      kube_daemonset_created{namespace="ns2",daemonset="ds2"} 1.5e+09
    `,
  },
  {
    name: 'ds3',
    families: FAMILIES_0,
    want: `
      kube_daemonset_created{daemonset="ds3",namespace="ns3"} 1.5e+09
      kube_daemonset_metadata_generation{daemonset="ds3",namespace="ns3"} 15
      kube_daemonset_status_current_number_scheduled{daemonset="ds3",namespace="ns3"} 10
      kube_daemonset_status_desired_number_scheduled{daemonset="ds3",namespace="ns3"} 15
      kube_daemonset_status_number_available{daemonset="ds3",namespace="ns3"} 5
      kube_daemonset_status_number_misscheduled{daemonset="ds3",namespace="ns3"} 5
      kube_daemonset_status_number_ready{daemonset="ds3",namespace="ns3"} 5
      kube_daemonset_status_number_unavailable{daemonset="ds3",namespace="ns3"} 5
      kube_daemonset_status_updated_number_scheduled{daemonset="ds3",namespace="ns3"} 5
    `,
  },
  {
    name: 'ds4',
    families: ['kube_daemonset_deletion_timestamp'],
    want: `
      kube_daemonset_deletion_timestamp{daemonset="ds4",namespace="ns4"} 1.8e+09
    `,
  },
];

// The HELP and TYPE lines upstream's metric generator writes for every daemonset family.
const UPSTREAM_HEADERS = `
# HELP kube_daemonset_created [STABLE] Unix creation timestamp
# TYPE kube_daemonset_created gauge
# HELP kube_daemonset_status_current_number_scheduled [STABLE] The number of nodes running at least one daemon pod and are supposed to.
# TYPE kube_daemonset_status_current_number_scheduled gauge
# HELP kube_daemonset_status_desired_number_scheduled [STABLE] The number of nodes that should be running the daemon pod.
# TYPE kube_daemonset_status_desired_number_scheduled gauge
# HELP kube_daemonset_status_number_available [STABLE] The number of nodes that should be running the daemon pod and have one or more of the daemon pod running and available
# TYPE kube_daemonset_status_number_available gauge
# HELP kube_daemonset_status_number_misscheduled [STABLE] The number of nodes running a daemon pod but are not supposed to.
# TYPE kube_daemonset_status_number_misscheduled gauge
# HELP kube_daemonset_status_number_ready [STABLE] The number of nodes that should be running the daemon pod and have one or more of the daemon pod running and ready.
# TYPE kube_daemonset_status_number_ready gauge
# HELP kube_daemonset_status_number_unavailable [STABLE] The number of nodes that should be running the daemon pod and have none of the daemon pod running and available
# TYPE kube_daemonset_status_number_unavailable gauge
# HELP kube_daemonset_status_observed_generation [STABLE] The most recent generation observed by the daemon set controller.
# TYPE kube_daemonset_status_observed_generation gauge
# HELP kube_daemonset_status_updated_number_scheduled [STABLE] The total number of nodes that are running updated daemon pod
# TYPE kube_daemonset_status_updated_number_scheduled gauge
# HELP kube_daemonset_metadata_generation [STABLE] Sequence number representing a specific generation of the desired state.
# TYPE kube_daemonset_metadata_generation gauge
# HELP kube_daemonset_deletion_timestamp Unix deletion timestamp
# TYPE kube_daemonset_deletion_timestamp gauge
# HELP kube_daemonset_annotations Kubernetes annotations converted to Prometheus labels.
# TYPE kube_daemonset_annotations gauge
# HELP kube_daemonset_labels [STABLE] Kubernetes labels converted to Prometheus labels.
# TYPE kube_daemonset_labels gauge
`;

describe('daemonset store', () => {
  storeSuite(
    daemonsetStore,
    'daemonset',
    ksmOptions({
      labelsAllowlist: new Map([['daemonsets', ['app', 'app.kubernetes.io/*']]]),
      annotationsAllowlist: new Map([['daemonsets', ['app.k8s.io/owner']]]),
    }),
    CASES,
    UPSTREAM_HEADERS,
  );
});
