import { deploymentStore, scaledIntOrPercent } from '../../src/ksm/stores/deployment';
import { ksmOptions, storeSuite, type UpstreamCase } from './storeSupport';

// Expectations of kube-state-metrics' internal/store/deployment_test.go (TestDeploymentStore),
// case by case, for the same objects in fixtures/ksm/deployments.json. Upstream renders depl1
// with the annotation allowlist [company.io/team], the others with no allowlist.
const upstream = ksmOptions({ annotationsAllowlist: new Map([['deployments', ['company.io/team']]]) });
const ROLLING = [
  'kube_deployment_spec_replicas',
  'kube_deployment_spec_strategy_rollingupdate_max_unavailable',
  'kube_deployment_spec_strategy_rollingupdate_max_surge',
];

const CASES: readonly UpstreamCase[] = [
  {
    name: 'depl1',
    options: upstream,
    want: `kube_deployment_annotations{annotation_company_io_team="my-brilliant-team",deployment="depl1",namespace="ns1"} 1
    kube_deployment_created{deployment="depl1",namespace="ns1"} 1.5e+09
    kube_deployment_owner{deployment="depl1",namespace="ns1",owner_kind="",owner_name=""} 1
    kube_deployment_metadata_generation{deployment="depl1",namespace="ns1"} 21
    kube_deployment_spec_paused{deployment="depl1",namespace="ns1"} 0
    kube_deployment_spec_replicas{deployment="depl1",namespace="ns1"} 200
    kube_deployment_spec_strategy_rollingupdate_max_surge{deployment="depl1",namespace="ns1"} 10
    kube_deployment_spec_strategy_rollingupdate_max_unavailable{deployment="depl1",namespace="ns1"} 10
    kube_deployment_status_observed_generation{deployment="depl1",namespace="ns1"} 111
    kube_deployment_status_replicas_available{deployment="depl1",namespace="ns1"} 10
    kube_deployment_status_replicas_unavailable{deployment="depl1",namespace="ns1"} 5
    kube_deployment_status_replicas_updated{deployment="depl1",namespace="ns1"} 2
    kube_deployment_status_replicas{deployment="depl1",namespace="ns1"} 15
    kube_deployment_status_replicas_ready{deployment="depl1",namespace="ns1"} 10
    kube_deployment_status_terminating_replicas{deployment="depl1",namespace="ns1"} 3
    kube_deployment_status_condition{condition="Available",deployment="depl1",namespace="ns1",reason="MinimumReplicasAvailable",status="true"} 1
    kube_deployment_status_condition{condition="Available",deployment="depl1",namespace="ns1",reason="MinimumReplicasAvailable",status="false"} 0
    kube_deployment_status_condition{condition="Available",deployment="depl1",namespace="ns1",reason="MinimumReplicasAvailable",status="unknown"} 0
    kube_deployment_status_condition{condition="Progressing",deployment="depl1",namespace="ns1",reason="NewReplicaSetAvailable",status="true"} 1
    kube_deployment_status_condition{condition="Progressing",deployment="depl1",namespace="ns1",reason="NewReplicaSetAvailable",status="false"} 0
    kube_deployment_status_condition{condition="Progressing",deployment="depl1",namespace="ns1",reason="NewReplicaSetAvailable",status="unknown"} 0`,
  },
  {
    name: 'depl2',
    want: `kube_deployment_metadata_generation{deployment="depl2",namespace="ns2"} 14
    kube_deployment_owner{deployment="depl2",namespace="ns2",owner_kind="",owner_name=""} 1
    kube_deployment_spec_paused{deployment="depl2",namespace="ns2"} 1
    kube_deployment_spec_replicas{deployment="depl2",namespace="ns2"} 5
    kube_deployment_spec_strategy_rollingupdate_max_surge{deployment="depl2",namespace="ns2"} 1
    kube_deployment_spec_strategy_rollingupdate_max_unavailable{deployment="depl2",namespace="ns2"} 1
    kube_deployment_status_observed_generation{deployment="depl2",namespace="ns2"} 1111
    kube_deployment_status_replicas_available{deployment="depl2",namespace="ns2"} 5
    kube_deployment_status_replicas_unavailable{deployment="depl2",namespace="ns2"} 0
    kube_deployment_status_replicas_updated{deployment="depl2",namespace="ns2"} 1
    kube_deployment_status_replicas{deployment="depl2",namespace="ns2"} 10
    kube_deployment_status_replicas_ready{deployment="depl2",namespace="ns2"} 5
    kube_deployment_status_condition{condition="Available",deployment="depl2",namespace="ns2",reason="MinimumReplicasUnavailable",status="true"} 0
    kube_deployment_status_condition{condition="Available",deployment="depl2",namespace="ns2",reason="MinimumReplicasUnavailable",status="false"} 1
    kube_deployment_status_condition{condition="Available",deployment="depl2",namespace="ns2",reason="MinimumReplicasUnavailable",status="unknown"} 0
    kube_deployment_status_condition{condition="Progressing",deployment="depl2",namespace="ns2",reason="ProgressDeadlineExceeded",status="true"} 0
    kube_deployment_status_condition{condition="Progressing",deployment="depl2",namespace="ns2",reason="ProgressDeadlineExceeded",status="false"} 1
    kube_deployment_status_condition{condition="Progressing",deployment="depl2",namespace="ns2",reason="ProgressDeadlineExceeded",status="unknown"} 0
    kube_deployment_status_condition{condition="ReplicaFailure",deployment="depl2",namespace="ns2",reason="ReplicaSetCreateError",status="true"} 1
    kube_deployment_status_condition{condition="ReplicaFailure",deployment="depl2",namespace="ns2",reason="ReplicaSetCreateError",status="false"} 0
    kube_deployment_status_condition{condition="ReplicaFailure",deployment="depl2",namespace="ns2",reason="ReplicaSetCreateError",status="unknown"} 0`,
  },
  {
    name: 'depl3',
    want: `kube_deployment_metadata_generation{deployment="depl3",namespace="ns3"} 0
    kube_deployment_owner{deployment="depl3",namespace="ns3",owner_kind="",owner_name=""} 1
    kube_deployment_spec_paused{deployment="depl3",namespace="ns3"} 0
    kube_deployment_spec_replicas{deployment="depl3",namespace="ns3"} 1
    kube_deployment_status_condition{condition="Available",deployment="depl3",namespace="ns3",reason="unknown",status="true"} 0
    kube_deployment_status_condition{condition="Available",deployment="depl3",namespace="ns3",reason="unknown",status="false"} 1
    kube_deployment_status_condition{condition="Available",deployment="depl3",namespace="ns3",reason="unknown",status="unknown"} 0
    kube_deployment_status_observed_generation{deployment="depl3",namespace="ns3"} 0
    kube_deployment_status_replicas{deployment="depl3",namespace="ns3"} 0
    kube_deployment_status_replicas_available{deployment="depl3",namespace="ns3"} 0
    kube_deployment_status_replicas_ready{deployment="depl3",namespace="ns3"} 0
    kube_deployment_status_replicas_unavailable{deployment="depl3",namespace="ns3"} 0
    kube_deployment_status_replicas_updated{deployment="depl3",namespace="ns3"} 0
    kube_deployment_status_condition{condition="Progressing",deployment="depl3",namespace="ns3",reason="",status="false"} 0
    kube_deployment_status_condition{condition="Progressing",deployment="depl3",namespace="ns3",reason="",status="true"} 1
    kube_deployment_status_condition{condition="Progressing",deployment="depl3",namespace="ns3",reason="",status="unknown"} 0`,
  },
  {
    name: 'deployment-terminating',
    families: ['kube_deployment_deletion_timestamp'],
    want: 'kube_deployment_deletion_timestamp{deployment="deployment-terminating",namespace="ns4"} 1.8e+09',
  },
  {
    name: 'deployment-with-owner',
    families: ['kube_deployment_owner', 'kube_deployment_spec_replicas', 'kube_deployment_status_replicas'],
    want: `kube_deployment_owner{deployment="deployment-with-owner",namespace="ns5",owner_kind="Application",owner_name="my-app"} 1
    kube_deployment_spec_replicas{deployment="deployment-with-owner",namespace="ns5"} 200
    kube_deployment_status_replicas{deployment="deployment-with-owner",namespace="ns5"} 0`,
  },
  {
    name: 'deployment-without-owner',
    families: ['kube_deployment_owner', 'kube_deployment_spec_replicas'],
    want: `kube_deployment_owner{deployment="deployment-without-owner",namespace="ns5",owner_kind="",owner_name=""} 1
    kube_deployment_spec_replicas{deployment="deployment-without-owner",namespace="ns5"} 200`,
  },
  { name: 'deployment-nil-replicas', families: ROLLING, want: '' },
  { name: 'deployment-nil-rollingupdate-values', families: ROLLING, want: 'kube_deployment_spec_replicas{deployment="deployment-nil-rollingupdate-values",namespace="ns7"} 1' },
  {
    name: 'deployment-malformed-rollingupdate-values',
    families: ROLLING,
    want: 'kube_deployment_spec_replicas{deployment="deployment-malformed-rollingupdate-values",namespace="ns8"} 1',
  },
];

// The metadata block of TestDeploymentStore: every family's HELP (with KSM's [STABLE] prefix) and TYPE.
const UPSTREAM_HEADERS = `
# HELP kube_deployment_owner Information about the Deployment's owner.
# TYPE kube_deployment_owner gauge
# HELP kube_deployment_annotations Kubernetes annotations converted to Prometheus labels.
# TYPE kube_deployment_annotations gauge
# HELP kube_deployment_created [STABLE] Unix creation timestamp
# TYPE kube_deployment_created gauge
# HELP kube_deployment_metadata_generation [STABLE] Sequence number representing a specific generation of the desired state.
# TYPE kube_deployment_metadata_generation gauge
# HELP kube_deployment_spec_paused [STABLE] Whether the deployment is paused and will not be processed by the deployment controller.
# TYPE kube_deployment_spec_paused gauge
# HELP kube_deployment_spec_replicas [STABLE] Number of desired pods for a deployment.
# TYPE kube_deployment_spec_replicas gauge
# HELP kube_deployment_status_replicas [STABLE] The number of replicas per deployment.
# TYPE kube_deployment_status_replicas gauge
# HELP kube_deployment_status_replicas_ready [STABLE] The number of ready replicas per deployment.
# TYPE kube_deployment_status_replicas_ready gauge
# HELP kube_deployment_status_terminating_replicas The number of terminating replicas per deployment.
# TYPE kube_deployment_status_terminating_replicas gauge
# HELP kube_deployment_status_replicas_available [STABLE] The number of available replicas per deployment.
# TYPE kube_deployment_status_replicas_available gauge
# HELP kube_deployment_status_replicas_unavailable [STABLE] The number of unavailable replicas per deployment.
# TYPE kube_deployment_status_replicas_unavailable gauge
# HELP kube_deployment_status_replicas_updated [STABLE] The number of updated replicas per deployment.
# TYPE kube_deployment_status_replicas_updated gauge
# HELP kube_deployment_status_observed_generation [STABLE] The generation observed by the deployment controller.
# TYPE kube_deployment_status_observed_generation gauge
# HELP kube_deployment_status_condition [STABLE] The current status conditions of a deployment.
# TYPE kube_deployment_status_condition gauge
# HELP kube_deployment_spec_strategy_rollingupdate_max_unavailable [STABLE] Maximum number of unavailable replicas during a rolling update of a deployment.
# TYPE kube_deployment_spec_strategy_rollingupdate_max_unavailable gauge
# HELP kube_deployment_spec_strategy_rollingupdate_max_surge [STABLE] Maximum number of replicas that can be scheduled above the desired number of replicas during a rolling update of a deployment.
# TYPE kube_deployment_spec_strategy_rollingupdate_max_surge gauge
# HELP kube_deployment_labels [STABLE] Kubernetes labels converted to Prometheus labels.
# TYPE kube_deployment_labels gauge
# HELP kube_deployment_deletion_timestamp Unix deletion timestamp
# TYPE kube_deployment_deletion_timestamp gauge`;

describe('deployment store', () => {
  storeSuite(
    deploymentStore,
    'deployment',
    ksmOptions({
      annotationsAllowlist: new Map([['deployments', ['company.io/team']]]),
      labelsAllowlist: new Map([['deployments', ['app', 'app.kubernetes.io/*']]]),
    }),
    CASES,
    UPSTREAM_HEADERS,
  );

  it.each([
    [10, 200, false, 10],
    ['25%', 5, false, 1],
    ['20%', 5, true, 1],
    ['25%', 10, true, 3],
    ['0%', 7, true, 0],
    ['+50%', 3, false, 1],
    ['not-a-percentage', 1, false, undefined],
    ['abc%', 1, true, undefined],
    ['1.5%', 100, true, undefined],
    [undefined, 1, false, undefined],
    [1.5, 1, false, undefined],
  ])('scales IntOrString %p of %p (round up %p) to %p', (v, total, up, want) => {
    expect(scaledIntOrPercent(v, total, up)).toBe(want);
  });
});
