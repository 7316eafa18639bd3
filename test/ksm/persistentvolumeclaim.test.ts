import { persistentvolumeclaimStore } from '../../src/ksm/stores/persistentvolumeclaim';
import { ksmOptions, storeSuite, type UpstreamCase } from './storeSupport';

// Expectations of kube-state-metrics' internal/store/persistentvolumeclaim_test.go (TestPersistentVolumeClaimStore),
// case by case, for the same objects in fixtures/ksm/persistentvolumeclaims.json; each case checks the
// families upstream's MetricNames lists, with the allowlists upstream gives it.
// A MetricNames list several upstream cases share.
const FAMILIES_0 = [
  'kube_persistentvolumeclaim_info',
  'kube_persistentvolumeclaim_status_phase',
  'kube_persistentvolumeclaim_resource_requests_storage_bytes',
  'kube_persistentvolumeclaim_annotations',
  'kube_persistentvolumeclaim_labels',
  'kube_persistentvolumeclaim_access_mode',
  'kube_persistentvolumeclaim_status_condition',
  'kube_persistentvolumeclaim_created',
];

// Upstream's two mysql-data cases (one with an annotation allowlist, one with a label allowlist)
// use one fixture object that carries both the label and the annotations.
const CASES: readonly UpstreamCase[] = [
  {
    name: 'mysql-data',
    options: ksmOptions({ annotationsAllowlist: new Map([['persistentvolumeclaims', ['app.k8s.io/owner']]]) }),
    families: FAMILIES_0,
    want: `
      kube_persistentvolumeclaim_created{namespace="default",persistentvolumeclaim="mysql-data"} 1.5e+09
      kube_persistentvolumeclaim_info{namespace="default",persistentvolumeclaim="mysql-data",storageclass="rbd",volumename="pvc-mysql-data",volumemode="Block"} 1
      kube_persistentvolumeclaim_status_phase{namespace="default",persistentvolumeclaim="mysql-data",phase="Bound"} 1
      kube_persistentvolumeclaim_status_phase{namespace="default",persistentvolumeclaim="mysql-data",phase="Lost"} 0
      kube_persistentvolumeclaim_status_phase{namespace="default",persistentvolumeclaim="mysql-data",phase="Pending"} 0
      kube_persistentvolumeclaim_resource_requests_storage_bytes{namespace="default",persistentvolumeclaim="mysql-data"} 1.073741824e+09
      kube_persistentvolumeclaim_annotations{annotation_app_k8s_io_owner="@foo",namespace="default",persistentvolumeclaim="mysql-data"} 1
      kube_persistentvolumeclaim_access_mode{namespace="default",persistentvolumeclaim="mysql-data",access_mode="ReadWriteOnce"} 1
      kube_persistentvolumeclaim_status_condition{namespace="default",persistentvolumeclaim="mysql-data",status="false",condition="CustomizedType"} 0
      kube_persistentvolumeclaim_status_condition{namespace="default",persistentvolumeclaim="mysql-data",status="false",condition="FileSystemResizePending"} 1
      kube_persistentvolumeclaim_status_condition{namespace="default",persistentvolumeclaim="mysql-data",status="false",condition="Resizing"} 0
      kube_persistentvolumeclaim_status_condition{namespace="default",persistentvolumeclaim="mysql-data",status="true",condition="CustomizedType"} 1
      kube_persistentvolumeclaim_status_condition{namespace="default",persistentvolumeclaim="mysql-data",status="true",condition="FileSystemResizePending"} 0
      kube_persistentvolumeclaim_status_condition{namespace="default",persistentvolumeclaim="mysql-data",status="true",condition="Resizing"} 1
      kube_persistentvolumeclaim_status_condition{namespace="default",persistentvolumeclaim="mysql-data",status="unknown",condition="CustomizedType"} 0
      kube_persistentvolumeclaim_status_condition{namespace="default",persistentvolumeclaim="mysql-data",status="unknown",condition="FileSystemResizePending"} 0
      kube_persistentvolumeclaim_status_condition{namespace="default",persistentvolumeclaim="mysql-data",status="unknown",condition="Resizing"} 0
    `,
  },
  {
    name: 'mysql-data',
    options: ksmOptions({ labelsAllowlist: new Map([['persistentvolumeclaims', ['app']]]) }),
    families: FAMILIES_0,
    want: `
      kube_persistentvolumeclaim_created{namespace="default",persistentvolumeclaim="mysql-data"} 1.5e+09
      kube_persistentvolumeclaim_info{namespace="default",persistentvolumeclaim="mysql-data",storageclass="rbd",volumename="pvc-mysql-data",volumemode="Block"} 1
      kube_persistentvolumeclaim_status_phase{namespace="default",persistentvolumeclaim="mysql-data",phase="Bound"} 1
      kube_persistentvolumeclaim_status_phase{namespace="default",persistentvolumeclaim="mysql-data",phase="Lost"} 0
      kube_persistentvolumeclaim_status_phase{namespace="default",persistentvolumeclaim="mysql-data",phase="Pending"} 0
      kube_persistentvolumeclaim_resource_requests_storage_bytes{namespace="default",persistentvolumeclaim="mysql-data"} 1.073741824e+09
      kube_persistentvolumeclaim_labels{label_app="mysql-server",namespace="default",persistentvolumeclaim="mysql-data"} 1
      kube_persistentvolumeclaim_access_mode{namespace="default",persistentvolumeclaim="mysql-data",access_mode="ReadWriteOnce"} 1
      kube_persistentvolumeclaim_status_condition{namespace="default",persistentvolumeclaim="mysql-data",status="false",condition="CustomizedType"} 0
      kube_persistentvolumeclaim_status_condition{namespace="default",persistentvolumeclaim="mysql-data",status="false",condition="FileSystemResizePending"} 1
      kube_persistentvolumeclaim_status_condition{namespace="default",persistentvolumeclaim="mysql-data",status="false",condition="Resizing"} 0
      kube_persistentvolumeclaim_status_condition{namespace="default",persistentvolumeclaim="mysql-data",status="true",condition="CustomizedType"} 1
      kube_persistentvolumeclaim_status_condition{namespace="default",persistentvolumeclaim="mysql-data",status="true",condition="FileSystemResizePending"} 0
      kube_persistentvolumeclaim_status_condition{namespace="default",persistentvolumeclaim="mysql-data",status="true",condition="Resizing"} 1
      kube_persistentvolumeclaim_status_condition{namespace="default",persistentvolumeclaim="mysql-data",status="unknown",condition="CustomizedType"} 0
      kube_persistentvolumeclaim_status_condition{namespace="default",persistentvolumeclaim="mysql-data",status="unknown",condition="FileSystemResizePending"} 0
      kube_persistentvolumeclaim_status_condition{namespace="default",persistentvolumeclaim="mysql-data",status="unknown",condition="Resizing"} 0
    `,
  },
  {
    name: 'prometheus-data',
    families: [
      'kube_persistentvolumeclaim_info',
      'kube_persistentvolumeclaim_status_phase',
      'kube_persistentvolumeclaim_resource_requests_storage_bytes',
      'kube_persistentvolumeclaim_labels',
      'kube_persistentvolumeclaim_access_mode',
      'kube_persistentvolumeclaim_status_condition',
      'kube_persistentvolumeclaim_created',
    ],
    want: `
      kube_persistentvolumeclaim_created{namespace="default",persistentvolumeclaim="prometheus-data"} 1.5e+09
      kube_persistentvolumeclaim_info{namespace="default",persistentvolumeclaim="prometheus-data",storageclass="rbd",volumename="pvc-prometheus-data",volumemode="Block"} 1
      kube_persistentvolumeclaim_status_phase{namespace="default",persistentvolumeclaim="prometheus-data",phase="Bound"} 0
      kube_persistentvolumeclaim_status_phase{namespace="default",persistentvolumeclaim="prometheus-data",phase="Lost"} 0
      kube_persistentvolumeclaim_status_phase{namespace="default",persistentvolumeclaim="prometheus-data",phase="Pending"} 1
      kube_persistentvolumeclaim_access_mode{namespace="default",persistentvolumeclaim="prometheus-data",access_mode="ReadWriteOnce"} 1
    `,
  },
  {
    name: 'mongo-data',
    families: [
      'kube_persistentvolumeclaim_created',
      'kube_persistentvolumeclaim_info',
      'kube_persistentvolumeclaim_status_phase',
      'kube_persistentvolumeclaim_resource_requests_storage_bytes',
      'kube_persistentvolumeclaim_annotations',
      'kube_persistentvolumeclaim_labels',
      'kube_persistentvolumeclaim_access_mode',
      'kube_persistentvolumeclaim_status_condition',
    ],
    want: `
      kube_persistentvolumeclaim_created{namespace="",persistentvolumeclaim="mongo-data"} 1.5e+09
      kube_persistentvolumeclaim_info{namespace="",persistentvolumeclaim="mongo-data",storageclass="",volumename="",volumemode="Block"} 1
      kube_persistentvolumeclaim_status_phase{namespace="",persistentvolumeclaim="mongo-data",phase="Bound"} 0
      kube_persistentvolumeclaim_status_phase{namespace="",persistentvolumeclaim="mongo-data",phase="Lost"} 1
      kube_persistentvolumeclaim_status_phase{namespace="",persistentvolumeclaim="mongo-data",phase="Pending"} 0
      kube_persistentvolumeclaim_access_mode{namespace="",persistentvolumeclaim="mongo-data",access_mode="ReadWriteOnce"} 1
      kube_persistentvolumeclaim_status_condition{namespace="",persistentvolumeclaim="mongo-data",status="false",condition="CustomizedType"} 1
      kube_persistentvolumeclaim_status_condition{namespace="",persistentvolumeclaim="mongo-data",status="false",condition="FileSystemResizePending"} 0
      kube_persistentvolumeclaim_status_condition{namespace="",persistentvolumeclaim="mongo-data",status="false",condition="Resizing"} 1
      kube_persistentvolumeclaim_status_condition{namespace="",persistentvolumeclaim="mongo-data",status="true",condition="CustomizedType"} 0
      kube_persistentvolumeclaim_status_condition{namespace="",persistentvolumeclaim="mongo-data",status="true",condition="FileSystemResizePending"} 1
      kube_persistentvolumeclaim_status_condition{namespace="",persistentvolumeclaim="mongo-data",status="true",condition="Resizing"} 0
      kube_persistentvolumeclaim_status_condition{namespace="",persistentvolumeclaim="mongo-data",status="unknown",condition="CustomizedType"} 0
      kube_persistentvolumeclaim_status_condition{namespace="",persistentvolumeclaim="mongo-data",status="unknown",condition="FileSystemResizePending"} 0
      kube_persistentvolumeclaim_status_condition{namespace="",persistentvolumeclaim="mongo-data",status="unknown",condition="Resizing"} 0
    `,
  },
  {
    name: 'terminating-data',
    families: ['kube_persistentvolumeclaim_deletion_timestamp', 'kube_persistentvolumeclaim_status_phase'],
    want: `
      kube_persistentvolumeclaim_deletion_timestamp{namespace="",persistentvolumeclaim="terminating-data"} 1.8e+09
      kube_persistentvolumeclaim_status_phase{namespace="",persistentvolumeclaim="terminating-data",phase="Bound"} 1
      kube_persistentvolumeclaim_status_phase{namespace="",persistentvolumeclaim="terminating-data",phase="Lost"} 0
      kube_persistentvolumeclaim_status_phase{namespace="",persistentvolumeclaim="terminating-data",phase="Pending"} 0
    `,
  },
];

// The HELP and TYPE lines upstream's metric generator writes for every persistentvolumeclaim family.
const UPSTREAM_HEADERS = `
# HELP kube_persistentvolumeclaim_labels [STABLE] Kubernetes labels converted to Prometheus labels.
# TYPE kube_persistentvolumeclaim_labels gauge
# HELP kube_persistentvolumeclaim_annotations Kubernetes annotations converted to Prometheus labels.
# TYPE kube_persistentvolumeclaim_annotations gauge
# HELP kube_persistentvolumeclaim_info [STABLE] Information about persistent volume claim.
# TYPE kube_persistentvolumeclaim_info gauge
# HELP kube_persistentvolumeclaim_status_phase [STABLE] The phase the persistent volume claim is currently in.
# TYPE kube_persistentvolumeclaim_status_phase gauge
# HELP kube_persistentvolumeclaim_resource_requests_storage_bytes [STABLE] The capacity of storage requested by the persistent volume claim.
# TYPE kube_persistentvolumeclaim_resource_requests_storage_bytes gauge
# HELP kube_persistentvolumeclaim_access_mode [STABLE] The access mode(s) specified by the persistent volume claim.
# TYPE kube_persistentvolumeclaim_access_mode gauge
# HELP kube_persistentvolumeclaim_status_condition Information about status of different conditions of persistent volume claim.
# TYPE kube_persistentvolumeclaim_status_condition gauge
# HELP kube_persistentvolumeclaim_created Unix creation timestamp
# TYPE kube_persistentvolumeclaim_created gauge
# HELP kube_persistentvolumeclaim_deletion_timestamp Unix deletion timestamp
# TYPE kube_persistentvolumeclaim_deletion_timestamp gauge
`;

describe('persistentvolumeclaim store', () => {
  storeSuite(
    persistentvolumeclaimStore,
    'persistentvolumeclaim',
    ksmOptions({
      labelsAllowlist: new Map([['persistentvolumeclaims', ['app']]]),
      annotationsAllowlist: new Map([['persistentvolumeclaims', ['app.k8s.io/owner', 'pv.kubernetes.io/*']]]),
    }),
    CASES,
    UPSTREAM_HEADERS,
  );
});
