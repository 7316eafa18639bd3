import { encodeText } from '../../src/encode/text';
import { namespaceStore } from '../../src/ksm/stores/namespace';
import { nodeStore } from '../../src/ksm/stores/node';
import { podStore } from '../../src/ksm/stores/pod';
import type { KsmOptions, KsmStore, KubeObject } from '../../src/ksm/types';

// Test cases of kube-state-metrics' own store tests (internal/store/{pod,node,namespace}_test.go
// at commit c92fe0c5, v2.20.0-11), each object written as the API's JSON and its expected
// exposition taken from the upstream case (`ref` is the file and the line of its
// MetricNames). Output is compared as KSM's testutils.go compares: only lines that contain
// one of `names`, labels sorted within a line, lines sorted.

interface Case {
  readonly ref: string;
  readonly obj: KubeObject;
  readonly names: readonly string[];
  readonly want: string;
  readonly labels?: readonly string[] | '*';
  readonly annotations?: readonly string[] | '*';
  readonly optIn?: readonly string[];
}

const T = (unix: number): string => new Date(unix * 1000).toISOString().replace('.000Z', 'Z');
const pod = (name: string, ns: string, uid: string, spec: object = {}, status: object = {}, meta: object = {}): KubeObject => ({
  metadata: { name, namespace: ns, uid, ...meta },
  spec,
  status,
});

const normalize = (text: string, names: readonly string[]): string =>
  text
    .split('\n')
    .map((l) => l.trim())
    .filter((l) => l !== '' && names.some((n) => l.includes(n)))
    .map((l) => {
      if (l.startsWith('# ')) return l;
      const open = l.indexOf('{');
      const close = l.lastIndexOf('}');
      return `${l.slice(0, open)}{${l.slice(open + 1, close).split(',').sort().join(',')}}${l.slice(close + 1)}`;
    })
    .sort()
    .join('\n');

const run = (store: KsmStore, c: Case): void => {
  const o: KsmOptions = {
    labelsAllowlist: new Map(c.labels ? [[store.resource, c.labels]] : []),
    annotationsAllowlist: new Map(c.annotations ? [[store.resource, c.annotations]] : []),
    optIn: new Set(c.optIn ?? []),
    now: () => 0,
  };
  expect(normalize(encodeText(store.families([c.obj], o)), c.names)).toBe(normalize(c.want, c.names));
};

const GPU_RESOURCES = { cpu: '200m', memory: '100M', 'ephemeral-storage': '300M', storage: '400M', 'nvidia.com/gpu': '1' };

const POD_CASES: Case[] = [
  {
    ref: 'pod_test.go:122',
    obj: pod('pod1', 'ns1', 'uid1', { containers: [{ name: 'container1', image: 'k8s.gcr.io/hyperkube1_spec' }] }, {
      containerStatuses: [{ name: 'container1', image: 'k8s.gcr.io/hyperkube1', imageID: 'docker://sha256:aaa', containerID: 'docker://ab123' }],
    }),
    names: ['kube_pod_container_info'],
    want: `
      # HELP kube_pod_container_info [STABLE] Information about a container in a pod.
      # TYPE kube_pod_container_info gauge
      kube_pod_container_info{container="container1",container_id="docker://ab123",image="k8s.gcr.io/hyperkube1",image_spec="k8s.gcr.io/hyperkube1_spec",image_id="docker://sha256:aaa",namespace="ns1",pod="pod1",uid="uid1"} 1`,
  },
  {
    ref: 'pod_test.go:183',
    obj: pod(
      'pod2',
      'ns2',
      'uid2',
      {
        containers: [
          { name: 'container2', image: 'k8s.gcr.io/hyperkube2_spec' },
          { name: 'container3', image: 'k8s.gcr.io/hyperkube3_spec' },
        ],
        initContainers: [{ name: 'initContainer', image: 'k8s.gcr.io/initfoo_spec', restartPolicy: 'Always' }],
      },
      {
        containerStatuses: [
          { name: 'container2', image: 'k8s.gcr.io/hyperkube2', imageID: 'docker://sha256:bbb', containerID: 'docker://cd456' },
          { name: 'container3', image: 'k8s.gcr.io/hyperkube3', imageID: 'docker://sha256:ccc', containerID: 'docker://ef789' },
        ],
        initContainerStatuses: [{ name: 'initContainer', image: 'k8s.gcr.io/initfoo', imageID: 'docker://sha256:wxyz', containerID: 'docker://ef123' }],
      },
    ),
    names: ['kube_pod_container_info', 'kube_pod_init_container_info'],
    want: `
      # HELP kube_pod_container_info [STABLE] Information about a container in a pod.
      # HELP kube_pod_init_container_info [STABLE] Information about an init container in a pod.
      # TYPE kube_pod_container_info gauge
      # TYPE kube_pod_init_container_info gauge
      kube_pod_container_info{container="container2",container_id="docker://cd456",image_spec="k8s.gcr.io/hyperkube2_spec",image="k8s.gcr.io/hyperkube2",image_id="docker://sha256:bbb",namespace="ns2",pod="pod2",uid="uid2"} 1
      kube_pod_container_info{container="container3",container_id="docker://ef789",image_spec="k8s.gcr.io/hyperkube3_spec",image="k8s.gcr.io/hyperkube3",image_id="docker://sha256:ccc",namespace="ns2",pod="pod2",uid="uid2"} 1
      kube_pod_init_container_info{container="initContainer",container_id="docker://ef123",image_spec="k8s.gcr.io/initfoo_spec",image="k8s.gcr.io/initfoo",image_id="docker://sha256:wxyz",namespace="ns2",pod="pod2",uid="uid2",restart_policy="Always"} 1`,
  },
  {
    ref: 'pod_test.go:313',
    obj: pod(
      'pod3',
      'ns3',
      'uid3',
      { containers: [{ name: 'container2' }, { name: 'container3' }], initContainers: [{ name: 'initcontainer1' }, { name: 'initcontainer2' }] },
      {
        containerStatuses: [
          { name: 'container2', ready: true },
          { name: 'container3', ready: false },
        ],
        initContainerStatuses: [
          { name: 'initcontainer1', ready: true },
          { name: 'initcontainer2', ready: false },
        ],
      },
    ),
    names: ['kube_pod_init_container_status_ready'],
    want: `
      # HELP kube_pod_init_container_status_ready [STABLE] Describes whether the init containers readiness check succeeded.
      # TYPE kube_pod_init_container_status_ready gauge
      kube_pod_init_container_status_ready{container="initcontainer1",namespace="ns3",pod="pod3",uid="uid3"} 1
      kube_pod_init_container_status_ready{container="initcontainer2",namespace="ns3",pod="pod3",uid="uid3"} 0`,
  },
  {
    ref: 'pod_test.go:415',
    obj: pod('pod2', 'ns2', 'uid2', { containers: [{ name: 'container2' }, { name: 'container3' }] }, {
      containerStatuses: [
        { name: 'container2', restartCount: 0 },
        { name: 'container3', restartCount: 1 },
      ],
    }),
    names: ['kube_pod_container_status_restarts_total'],
    want: `
      # HELP kube_pod_container_status_restarts_total [STABLE] The number of container restarts per container.
      # TYPE kube_pod_container_status_restarts_total counter
      kube_pod_container_status_restarts_total{container="container2",namespace="ns2",pod="pod2",uid="uid2"} 0
      kube_pod_container_status_restarts_total{container="container3",namespace="ns2",pod="pod2",uid="uid2"} 1`,
  },
  {
    ref: 'pod_test.go:532',
    obj: pod('pod1', 'ns1', 'uid1', { containers: [{ name: 'container1' }], initContainers: [{ name: 'initcontainer1' }] }, {
      containerStatuses: [{ name: 'container1', state: { running: { startedAt: T(1501777018) } } }],
      initContainerStatuses: [{ name: 'initcontainer1', state: { running: {} } }],
    }),
    names: [
      'kube_pod_container_status_running',
      'kube_pod_container_state_started',
      'kube_pod_container_status_waiting',
      'kube_pod_container_status_terminated',
      'kube_pod_container_status_terminated_reason',
      'kube_pod_init_container_status_running',
      'kube_pod_init_container_status_waiting',
      'kube_pod_init_container_status_waiting_reason',
      'kube_pod_init_container_status_terminated',
      'kube_pod_init_container_status_terminated_reason',
    ],
    want: `
      # HELP kube_pod_container_status_running [STABLE] Describes whether the container is currently in running state.
      # HELP kube_pod_container_state_started [STABLE] Start time in unix timestamp for a pod container.
      # HELP kube_pod_container_status_terminated [STABLE] Describes whether the container is currently in terminated state.
      # HELP kube_pod_container_status_terminated_reason Describes the reason the container is currently in terminated state.
      # HELP kube_pod_container_status_waiting [STABLE] Describes whether the container is currently in waiting state.
      # HELP kube_pod_container_status_waiting_reason [STABLE] Describes the reason the container is currently in waiting state.
      # HELP kube_pod_init_container_status_running [STABLE] Describes whether the init container is currently in running state.
      # HELP kube_pod_init_container_status_terminated [STABLE] Describes whether the init container is currently in terminated state.
      # HELP kube_pod_init_container_status_terminated_reason Describes the reason the init container is currently in terminated state.
      # HELP kube_pod_init_container_status_waiting [STABLE] Describes whether the init container is currently in waiting state.
      # HELP kube_pod_init_container_status_waiting_reason Describes the reason the init container is currently in waiting state.
      # TYPE kube_pod_container_status_running gauge
      # TYPE kube_pod_container_state_started gauge
      # TYPE kube_pod_container_status_terminated gauge
      # TYPE kube_pod_container_status_terminated_reason gauge
      # TYPE kube_pod_container_status_waiting gauge
      # TYPE kube_pod_container_status_waiting_reason gauge
      # TYPE kube_pod_init_container_status_running gauge
      # TYPE kube_pod_init_container_status_terminated gauge
      # TYPE kube_pod_init_container_status_terminated_reason gauge
      # TYPE kube_pod_init_container_status_waiting gauge
      # TYPE kube_pod_init_container_status_waiting_reason gauge
      kube_pod_container_state_started{container="container1",namespace="ns1",pod="pod1",uid="uid1"} 1.501777018e+09
      kube_pod_container_status_running{container="container1",namespace="ns1",pod="pod1",uid="uid1"} 1
      kube_pod_container_status_terminated{container="container1",namespace="ns1",pod="pod1",uid="uid1"} 0
      kube_pod_container_status_waiting{container="container1",namespace="ns1",pod="pod1",uid="uid1"} 0
      kube_pod_init_container_status_running{container="initcontainer1",namespace="ns1",pod="pod1",uid="uid1"} 1
      kube_pod_init_container_status_terminated{container="initcontainer1",namespace="ns1",pod="pod1",uid="uid1"} 0
      kube_pod_init_container_status_waiting{container="initcontainer1",namespace="ns1",pod="pod1",uid="uid1"} 0`,
  },
  {
    ref: 'pod_test.go:670',
    obj: pod('pod2', 'ns2', 'uid2', { containers: [{ name: 'container2' }, { name: 'container3' }] }, {
      containerStatuses: [
        { name: 'container2', state: { terminated: { startedAt: T(1501777018), reason: 'OOMKilled', exitCode: 137 } } },
        { name: 'container3', state: { waiting: { reason: 'ContainerCreating' } } },
      ],
    }),
    names: [
      'kube_pod_container_status_running',
      'kube_pod_container_state_started',
      'kube_pod_container_status_waiting',
      'kube_pod_container_status_terminated',
      'kube_pod_container_status_terminated_reason',
    ],
    want: `
      # HELP kube_pod_container_status_running [STABLE] Describes whether the container is currently in running state.
      # HELP kube_pod_container_state_started [STABLE] Start time in unix timestamp for a pod container.
      # HELP kube_pod_container_status_terminated [STABLE] Describes whether the container is currently in terminated state.
      # HELP kube_pod_container_status_terminated_reason Describes the reason the container is currently in terminated state.
      # HELP kube_pod_container_status_waiting [STABLE] Describes whether the container is currently in waiting state.
      # HELP kube_pod_container_status_waiting_reason [STABLE] Describes the reason the container is currently in waiting state.
      # TYPE kube_pod_container_status_running gauge
      # TYPE kube_pod_container_state_started gauge
      # TYPE kube_pod_container_status_terminated gauge
      # TYPE kube_pod_container_status_terminated_reason gauge
      # TYPE kube_pod_container_status_waiting gauge
      # TYPE kube_pod_container_status_waiting_reason gauge
      kube_pod_container_status_running{container="container2",namespace="ns2",pod="pod2",uid="uid2"} 0
      kube_pod_container_status_running{container="container3",namespace="ns2",pod="pod2",uid="uid2"} 0
      kube_pod_container_state_started{container="container2",namespace="ns2",pod="pod2",uid="uid2"} 1.501777018e+09
      kube_pod_container_status_terminated_reason{container="container2",namespace="ns2",pod="pod2",reason="OOMKilled",uid="uid2"} 1
      kube_pod_container_status_terminated{container="container2",namespace="ns2",pod="pod2",uid="uid2"} 1
      kube_pod_container_status_terminated{container="container3",namespace="ns2",pod="pod2",uid="uid2"} 0
      kube_pod_container_status_waiting_reason{container="container3",namespace="ns2",pod="pod2",reason="ContainerCreating",uid="uid2"} 1
      kube_pod_container_status_waiting{container="container2",namespace="ns2",pod="pod2",uid="uid2"} 0
      kube_pod_container_status_waiting{container="container3",namespace="ns2",pod="pod2",uid="uid2"} 1`,
  },
  {
    ref: 'pod_test.go:1113',
    obj: pod(
      'pod1',
      'ns1',
      'abc-123-xxx',
      { nodeName: 'node1', priorityClassName: 'system-node-critical', hostNetwork: true, containers: [{ image: 'k8s.gcr.io/hyperkube2_spec' }] },
      {
        hostIP: '1.1.1.1',
        podIP: '1.2.3.4',
        podIPs: [{ ip: '1.2.3.4' }, { ip: 'fc00:1234:5678:90ab:cdef:cafe:f00d:d00d' }, { ip: '::ffff:1.2.3.4' }],
        startTime: T(1501569018),
      },
      { creationTimestamp: T(1500000000) },
    ),
    names: ['kube_pod_created', 'kube_pod_info', 'kube_pod_ips', 'kube_pod_start_time', 'kube_pod_completion_time', 'kube_pod_owner'],
    want: `
      # HELP kube_pod_completion_time [STABLE] Completion time in unix timestamp for a pod.
      # HELP kube_pod_created [STABLE] Unix creation timestamp
      # HELP kube_pod_info [STABLE] Information about pod.
      # HELP kube_pod_ips Pod IP addresses
      # HELP kube_pod_owner [STABLE] Information about the Pod's owner.
      # HELP kube_pod_start_time [STABLE] Start time in unix timestamp for a pod.
      # TYPE kube_pod_completion_time gauge
      # TYPE kube_pod_created gauge
      # TYPE kube_pod_info gauge
      # TYPE kube_pod_ips gauge
      # TYPE kube_pod_owner gauge
      # TYPE kube_pod_start_time gauge
      kube_pod_created{namespace="ns1",pod="pod1",uid="abc-123-xxx"} 1.5e+09
      kube_pod_info{created_by_kind="",created_by_name="",host_ip="1.1.1.1",namespace="ns1",node="node1",pod="pod1",pod_ip="1.2.3.4",uid="abc-123-xxx",priority_class="system-node-critical",host_network="true"} 1
      kube_pod_ips{namespace="ns1",pod="pod1",uid="abc-123-xxx",ip="1.2.3.4",ip_family="4"} 1
      kube_pod_ips{namespace="ns1",pod="pod1",uid="abc-123-xxx",ip="fc00:1234:5678:90ab:cdef:cafe:f00d:d00d",ip_family="6"} 1
      kube_pod_ips{namespace="ns1",pod="pod1",uid="abc-123-xxx",ip="::ffff:1.2.3.4",ip_family="4"} 1
      kube_pod_start_time{namespace="ns1",pod="pod1",uid="abc-123-xxx"} 1.501569018e+09
      kube_pod_owner{namespace="ns1",owner_is_controller="",owner_kind="",owner_name="",pod="pod1",uid="abc-123-xxx"} 1`,
  },
  {
    ref: 'pod_test.go:1139',
    obj: pod('pod1', 'ns1', 'abc-123-xxx', { nodeName: 'node1' }, {}, { creationTimestamp: T(1500000000), deletionTimestamp: T(1800000000) }),
    names: ['kube_pod_deletion_timestamp'],
    want: `
      # HELP kube_pod_deletion_timestamp Unix deletion timestamp
      # TYPE kube_pod_deletion_timestamp gauge
      kube_pod_deletion_timestamp{namespace="ns1",pod="pod1",uid="abc-123-xxx"} 1.8e+09`,
  },
  {
    ref: 'pod_test.go:1175',
    obj: pod('pod2', 'ns2', 'uid2', { restartPolicy: 'OnFailure' }),
    names: ['kube_pod_restart_policy'],
    want: `
      # HELP kube_pod_restart_policy [STABLE] Describes the restart policy in use by this pod.
      # TYPE kube_pod_restart_policy gauge
      kube_pod_restart_policy{namespace="ns2",pod="pod2",type="OnFailure",uid="uid2"} 1`,
  },
  {
    ref: 'pod_test.go:1291',
    obj: pod('pod1', 'ns1', 'uid1', {}, { phase: 'Running' }),
    names: ['kube_pod_status_phase'],
    want: `
      # HELP kube_pod_status_phase [STABLE] The pods current phase.
      # TYPE kube_pod_status_phase gauge
      kube_pod_status_phase{namespace="ns1",phase="Failed",pod="pod1",uid="uid1"} 0
      kube_pod_status_phase{namespace="ns1",phase="Pending",pod="pod1",uid="uid1"} 0
      kube_pod_status_phase{namespace="ns1",phase="Running",pod="pod1",uid="uid1"} 1
      kube_pod_status_phase{namespace="ns1",phase="Succeeded",pod="pod1",uid="uid1"} 0
      kube_pod_status_phase{namespace="ns1",phase="Unknown",pod="pod1",uid="uid1"} 0`,
  },
  {
    ref: 'pod_test.go:1363',
    obj: pod('pod4', 'ns4', 'uid4', {}, { phase: 'Running', reason: 'NodeLost' }),
    names: ['kube_pod_status_phase', 'kube_pod_status_reason'],
    want: `
      # HELP kube_pod_status_phase [STABLE] The pods current phase.
      # HELP kube_pod_status_reason The pod status reasons
      # TYPE kube_pod_status_phase gauge
      # TYPE kube_pod_status_reason gauge
      kube_pod_status_phase{namespace="ns4",phase="Failed",pod="pod4",uid="uid4"} 0
      kube_pod_status_phase{namespace="ns4",phase="Pending",pod="pod4",uid="uid4"} 0
      kube_pod_status_phase{namespace="ns4",phase="Running",pod="pod4",uid="uid4"} 1
      kube_pod_status_phase{namespace="ns4",phase="Succeeded",pod="pod4",uid="uid4"} 0
      kube_pod_status_phase{namespace="ns4",phase="Unknown",pod="pod4",uid="uid4"} 0
      kube_pod_status_reason{namespace="ns4",pod="pod4",reason="NodeLost",uid="uid4"} 1`,
  },
  {
    ref: 'pod_test.go:1383',
    obj: pod('pod1', 'ns1', 'uid1', {}, { qosClass: 'BestEffort' }),
    names: ['kube_pod_status_qos_class'],
    want: `
      # HELP kube_pod_status_qos_class The pods current qosClass.
      # TYPE kube_pod_status_qos_class gauge
      kube_pod_status_qos_class{namespace="ns1",qos_class="BestEffort",pod="pod1",uid="uid1"} 1
      kube_pod_status_qos_class{namespace="ns1",qos_class="Burstable",pod="pod1",uid="uid1"} 0
      kube_pod_status_qos_class{namespace="ns1",qos_class="Guaranteed",pod="pod1",uid="uid1"} 0`,
  },
  {
    ref: 'pod_test.go:1448',
    obj: pod('pod6', 'ns6', 'uid6', {}, { conditions: [{ type: 'Ready', reason: 'EvictionByEvictionAPI' }] }),
    names: ['kube_pod_status_disruption_reason'],
    want: `
      # HELP kube_pod_status_disruption_reason The pod disruption condition reason
      # TYPE kube_pod_status_disruption_reason gauge`,
  },
  {
    ref: 'pod_test.go:1471',
    obj: pod('pod7disruption', 'ns7', 'uid7', {}, { conditions: [{ type: 'DisruptionTarget', reason: 'SomeFutureReason' }] }),
    names: ['kube_pod_status_disruption_reason'],
    want: `
      # HELP kube_pod_status_disruption_reason The pod disruption condition reason
      # TYPE kube_pod_status_disruption_reason gauge
      kube_pod_status_disruption_reason{namespace="ns7",pod="pod7disruption",reason="Other",uid="uid7"} 1`,
  },
  {
    ref: 'pod_test.go:1616',
    obj: pod('pod4', 'ns4', 'uid4', {}, { phase: 'Pending', conditions: [{ type: 'PodScheduled', status: 'False', reason: 'SchedulingGated' }] }),
    names: ['kube_pod_status_reason'],
    want: `
      # HELP kube_pod_status_reason The pod status reasons
      # TYPE kube_pod_status_reason gauge
      kube_pod_status_reason{namespace="ns4",pod="pod4",reason="SchedulingGated",uid="uid4"} 1`,
  },
  {
    ref: 'pod_test.go:1667',
    obj: pod('pod1', 'ns1', 'uid1', {}, { conditions: [{ type: 'Initialized', status: 'False', lastTransitionTime: T(1501666018) }] }),
    names: ['kube_pod_status_initialized_time'],
    want: `
      # HELP kube_pod_status_initialized_time Initialized time in unix timestamp for a pod.
      # TYPE kube_pod_status_initialized_time gauge`,
  },
  {
    ref: 'pod_test.go:1749',
    obj: pod('pod1', 'ns1', 'uid1', {}, { conditions: [{ type: 'Ready', status: 'True', lastTransitionTime: T(1501666018) }] }),
    names: ['kube_pod_status_ready_time', 'kube_pod_status_ready'],
    want: `
      # HELP kube_pod_status_ready [STABLE] Describes whether the pod is ready to serve requests.
      # HELP kube_pod_status_ready_time Readiness achieved time in unix timestamp for a pod.
      # TYPE kube_pod_status_ready gauge
      # TYPE kube_pod_status_ready_time gauge
      kube_pod_status_ready_time{namespace="ns1",pod="pod1",uid="uid1"} 1.501666018e+09
      kube_pod_status_ready{condition="false",namespace="ns1",pod="pod1",uid="uid1"} 0
      kube_pod_status_ready{condition="true",namespace="ns1",pod="pod1",uid="uid1"} 1
      kube_pod_status_ready{condition="unknown",namespace="ns1",pod="pod1",uid="uid1"} 0`,
  },
  {
    ref: 'pod_test.go:1837',
    obj: pod('pod2', 'ns2', 'uid2', {}, { conditions: [{ type: 'PodScheduled', status: 'False' }] }),
    names: ['kube_pod_status_scheduled', 'kube_pod_status_scheduled_time'],
    want: `
      # HELP kube_pod_status_scheduled [STABLE] Describes the status of the scheduling process for the pod.
      # HELP kube_pod_status_scheduled_time [STABLE] Unix timestamp when pod moved into scheduled status
      # TYPE kube_pod_status_scheduled gauge
      # TYPE kube_pod_status_scheduled_time gauge
      kube_pod_status_scheduled{condition="false",namespace="ns2",pod="pod2",uid="uid2"} 1
      kube_pod_status_scheduled{condition="true",namespace="ns2",pod="pod2",uid="uid2"} 0
      kube_pod_status_scheduled{condition="unknown",namespace="ns2",pod="pod2",uid="uid2"} 0`,
  },
  {
    ref: 'pod_test.go:1862',
    obj: pod('pod2', 'ns2', 'uid2', {}, {
      conditions: [{ type: 'PodScheduled', status: 'False', reason: 'Unschedulable', message: '0/3 nodes are available: 3 Insufficient cpu.' }],
    }),
    names: ['kube_pod_status_unschedulable'],
    want: `
      # HELP kube_pod_status_unschedulable [STABLE] Describes the unschedulable status for the pod.
      # TYPE kube_pod_status_unschedulable gauge
      kube_pod_status_unschedulable{namespace="ns2",pod="pod2",uid="uid2"} 1`,
  },
  {
    ref: 'pod_test.go:1965',
    obj: pod('pod1', 'ns1', 'uid1', {
      containers: [
        {
          name: 'pod1_con1',
          resources: { requests: GPU_RESOURCES, limits: GPU_RESOURCES },
        },
        { name: 'pod1_con2', resources: { requests: { cpu: '300m', memory: '200M' }, limits: { cpu: '300m', memory: '200M' } } },
      ],
      initContainers: [
        {
          name: 'pod1_initcon1',
          resources: { requests: GPU_RESOURCES, limits: GPU_RESOURCES },
        },
      ],
    }),
    names: [
      'kube_pod_container_resource_requests',
      'kube_pod_container_resource_limits',
      'kube_pod_init_container_resource_limits',
      'kube_pod_init_container_resource_requests',
      'kube_pod_init_container_status_last_terminated_reason',
    ],
    want: `
      # HELP kube_pod_container_resource_limits [STABLE] The number of requested limit resource by a container. It is recommended to use the kube_pod_resource_limits metric exposed by kube-scheduler instead, as it is more precise.
      # HELP kube_pod_container_resource_requests [STABLE] The number of requested request resource by a container. It is recommended to use the kube_pod_resource_requests metric exposed by kube-scheduler instead, as it is more precise.
      # HELP kube_pod_init_container_resource_limits The number of requested limit resource by an init container.
      # HELP kube_pod_init_container_resource_requests The number of requested request resource by an init container.
      # HELP kube_pod_init_container_status_last_terminated_reason Describes the last reason the init container was in terminated state.
      # TYPE kube_pod_container_resource_limits gauge
      # TYPE kube_pod_container_resource_requests gauge
      # TYPE kube_pod_init_container_resource_limits gauge
      # TYPE kube_pod_init_container_resource_requests gauge
      # TYPE kube_pod_init_container_status_last_terminated_reason gauge
      kube_pod_container_resource_limits{container="pod1_con1",namespace="ns1",node="",pod="pod1",resource="cpu",unit="core",uid="uid1"} 0.2
      kube_pod_container_resource_limits{container="pod1_con1",namespace="ns1",node="",pod="pod1",resource="ephemeral_storage",unit="byte",uid="uid1"} 3e+08
      kube_pod_container_resource_limits{container="pod1_con1",namespace="ns1",node="",pod="pod1",resource="memory",unit="byte",uid="uid1"} 1e+08
      kube_pod_container_resource_limits{container="pod1_con1",namespace="ns1",node="",pod="pod1",resource="nvidia_com_gpu",unit="integer",uid="uid1"} 1
      kube_pod_container_resource_limits{container="pod1_con1",namespace="ns1",node="",pod="pod1",resource="storage",unit="byte",uid="uid1"} 4e+08
      kube_pod_container_resource_limits{container="pod1_con2",namespace="ns1",node="",pod="pod1",resource="cpu",unit="core",uid="uid1"} 0.3
      kube_pod_container_resource_limits{container="pod1_con2",namespace="ns1",node="",pod="pod1",resource="memory",unit="byte",uid="uid1"} 2e+08
      kube_pod_container_resource_requests{container="pod1_con1",namespace="ns1",node="",pod="pod1",resource="cpu",unit="core",uid="uid1"} 0.2
      kube_pod_container_resource_requests{container="pod1_con1",namespace="ns1",node="",pod="pod1",resource="ephemeral_storage",unit="byte",uid="uid1"} 3e+08
      kube_pod_container_resource_requests{container="pod1_con1",namespace="ns1",node="",pod="pod1",resource="memory",unit="byte",uid="uid1"} 1e+08
      kube_pod_container_resource_requests{container="pod1_con1",namespace="ns1",node="",pod="pod1",resource="nvidia_com_gpu",unit="integer",uid="uid1"} 1
      kube_pod_container_resource_requests{container="pod1_con1",namespace="ns1",node="",pod="pod1",resource="storage",unit="byte",uid="uid1"} 4e+08
      kube_pod_container_resource_requests{container="pod1_con2",namespace="ns1",node="",pod="pod1",resource="cpu",unit="core",uid="uid1"} 0.3
      kube_pod_container_resource_requests{container="pod1_con2",namespace="ns1",node="",pod="pod1",resource="memory",unit="byte",uid="uid1"} 2e+08
      kube_pod_init_container_resource_limits{container="pod1_initcon1",namespace="ns1",node="",pod="pod1",resource="cpu",unit="core",uid="uid1"} 0.2
      kube_pod_init_container_resource_limits{container="pod1_initcon1",namespace="ns1",node="",pod="pod1",resource="ephemeral_storage",unit="byte",uid="uid1"} 3e+08
      kube_pod_init_container_resource_limits{container="pod1_initcon1",namespace="ns1",node="",pod="pod1",resource="memory",unit="byte",uid="uid1"} 1e+08
      kube_pod_init_container_resource_limits{container="pod1_initcon1",namespace="ns1",node="",pod="pod1",resource="nvidia_com_gpu",unit="integer",uid="uid1"} 1
      kube_pod_init_container_resource_limits{container="pod1_initcon1",namespace="ns1",node="",pod="pod1",resource="storage",unit="byte",uid="uid1"} 4e+08
      kube_pod_init_container_resource_requests{container="pod1_initcon1",namespace="ns1",node="",pod="pod1",resource="cpu",unit="core",uid="uid1"} 0.2
      kube_pod_init_container_resource_requests{container="pod1_initcon1",namespace="ns1",node="",pod="pod1",resource="ephemeral_storage",unit="byte",uid="uid1"} 3e+08
      kube_pod_init_container_resource_requests{container="pod1_initcon1",namespace="ns1",node="",pod="pod1",resource="memory",unit="byte",uid="uid1"} 1e+08
      kube_pod_init_container_resource_requests{container="pod1_initcon1",namespace="ns1",node="",pod="pod1",resource="nvidia_com_gpu",unit="integer",uid="uid1"} 1
      kube_pod_init_container_resource_requests{container="pod1_initcon1",namespace="ns1",node="",pod="pod1",resource="storage",unit="byte",uid="uid1"} 4e+08`,
  },
  {
    ref: 'pod_test.go:2170',
    obj: pod('pod1', 'ns1', 'uid1', {}, {}, { labels: { app: 'example' } }),
    labels: ['wildcard-not-first', '*'],
    names: ['kube_pod_labels'],
    want: `
      # HELP kube_pod_labels [STABLE] Kubernetes labels converted to Prometheus labels.
      # TYPE kube_pod_labels gauge
      kube_pod_labels{namespace="ns1",pod="pod1",uid="uid1"} 1`,
  },
  {
    ref: 'pod_test.go:2192',
    obj: pod('pod1', 'ns1', 'uid1', {}, {}, { labels: { app: 'example' } }),
    labels: '*',
    names: ['kube_pod_labels'],
    want: `
      # HELP kube_pod_labels [STABLE] Kubernetes labels converted to Prometheus labels.
      # TYPE kube_pod_labels gauge
      kube_pod_labels{label_app="example",namespace="ns1",pod="pod1",uid="uid1"} 1`,
  },
  {
    ref: 'pod_test.go:2239',
    obj: pod('pod2', 'ns1', 'uid6', { nodeSelector: { 'kubernetes.io/os': 'linux', 'cloud.google.com/gke-accelerator': 'nvidia-tesla-t4' } }),
    optIn: ['kube_pod_nodeselectors'],
    names: ['kube_pod_nodeselector'],
    want: `
      # HELP kube_pod_nodeselectors Describes the Pod nodeSelectors.
      # TYPE kube_pod_nodeselectors gauge
      kube_pod_nodeselectors{nodeselector_kubernetes_io_os="linux",nodeselector_cloud_google_com_gke_accelerator="nvidia-tesla-t4",namespace="ns1",pod="pod2",uid="uid6"} 1`,
  },
  {
    ref: 'pod_test.go:2261',
    obj: pod('pod1', 'ns1', 'uid1', {}, {}, { annotations: { app: 'example' } }),
    annotations: '*',
    names: ['kube_pod_annotations'],
    want: `
      # HELP kube_pod_annotations Kubernetes annotations converted to Prometheus labels.
      # TYPE kube_pod_annotations gauge
      kube_pod_annotations{annotation_app="example",namespace="ns1",pod="pod1",uid="uid1"} 1`,
  },
  {
    ref: 'pod_test.go:2309',
    obj: pod('pod1', 'ns1', 'uid1', {
      tolerations: [
        { key: 'key1', operator: 'Equal', value: 'value1', effect: 'NoSchedule' },
        { key: 'key2', operator: 'Exists' },
        { key: 'key3', operator: 'Equal', value: 'value3' },
        { key: 'key3', operator: 'Equal', value: 'value3' },
        {},
      ],
    }),
    names: ['kube_pod_tolerations'],
    want: `
      # HELP kube_pod_tolerations Information about the pod tolerations
      # TYPE kube_pod_tolerations gauge
      kube_pod_tolerations{effect="",key="",namespace="ns1",operator="",pod="pod1",toleration_seconds="",uid="uid1",value=""} 1
      kube_pod_tolerations{effect="",key="key2",namespace="ns1",operator="Exists",pod="pod1",toleration_seconds="",uid="uid1",value=""} 1
      kube_pod_tolerations{effect="",key="key3",namespace="ns1",operator="Equal",pod="pod1",toleration_seconds="",uid="uid1",value="value3"} 1
      kube_pod_tolerations{effect="NoSchedule",key="key1",namespace="ns1",operator="Equal",pod="pod1",toleration_seconds="",uid="uid1",value="value1"} 1`,
  },
  {
    ref: 'pod_test.go:2349',
    obj: pod('pod1', 'ns1', 'uid1', { schedulerName: 'scheduler1' }),
    names: ['kube_pod_scheduler'],
    want: `
      # HELP kube_pod_scheduler The scheduler for a pod.
      # TYPE kube_pod_scheduler gauge
      kube_pod_scheduler{namespace="ns1",pod="pod1",name="scheduler1",uid="uid1"} 1`,
  },
  {
    ref: 'pod_test.go:888',
    obj: pod('pod6', 'ns6', 'uid6', { containers: [{ name: 'container7', image: 'k8s.gcr.io/hyperkube7_spec' }] }, {
      containerStatuses: [
        {
          name: 'container7',
          state: { running: { startedAt: T(1501777018) } },
          lastState: { terminated: { reason: 'OOMKilled', exitCode: 137, finishedAt: T(1501779547) } },
        },
      ],
    }),
    names: [
      'kube_pod_container_status_running',
      'kube_pod_container_state_started',
      'kube_pod_container_status_terminated',
      'kube_pod_container_status_waiting',
      'kube_pod_container_status_last_terminated_reason',
      'kube_pod_container_status_last_terminated_exitcode',
      'kube_pod_container_status_last_terminated_timestamp',
    ],
    want: `
      # HELP kube_pod_container_status_last_terminated_reason Describes the last reason the container was in terminated state.
      # HELP kube_pod_container_status_last_terminated_exitcode Describes the exit code for the last container in terminated state.
      # HELP kube_pod_container_status_last_terminated_timestamp Last terminated time for a pod container in unix timestamp.
      # HELP kube_pod_container_status_running [STABLE] Describes whether the container is currently in running state.
      # HELP kube_pod_container_status_terminated [STABLE] Describes whether the container is currently in terminated state.
      # HELP kube_pod_container_status_terminated_reason Describes the reason the container is currently in terminated state.
      # HELP kube_pod_container_status_waiting [STABLE] Describes whether the container is currently in waiting state.
      # HELP kube_pod_container_status_waiting_reason [STABLE] Describes the reason the container is currently in waiting state.
      # HELP kube_pod_container_state_started [STABLE] Start time in unix timestamp for a pod container.
      # TYPE kube_pod_container_status_last_terminated_reason gauge
      # TYPE kube_pod_container_status_last_terminated_exitcode gauge
      # TYPE kube_pod_container_status_last_terminated_timestamp gauge
      # TYPE kube_pod_container_status_running gauge
      # TYPE kube_pod_container_status_terminated gauge
      # TYPE kube_pod_container_status_terminated_reason gauge
      # TYPE kube_pod_container_status_waiting gauge
      # TYPE kube_pod_container_status_waiting_reason gauge
      # TYPE kube_pod_container_state_started gauge
      kube_pod_container_status_running{container="container7",namespace="ns6",pod="pod6",uid="uid6"} 1
      kube_pod_container_state_started{container="container7",namespace="ns6",pod="pod6",uid="uid6"} 1.501777018e+09
      kube_pod_container_status_terminated{container="container7",namespace="ns6",pod="pod6",uid="uid6"} 0
      kube_pod_container_status_waiting{container="container7",namespace="ns6",pod="pod6",uid="uid6"} 0
      kube_pod_container_status_last_terminated_reason{container="container7",namespace="ns6",pod="pod6",reason="OOMKilled",uid="uid6"} 1
      kube_pod_container_status_last_terminated_exitcode{container="container7",namespace="ns6",pod="pod6",uid="uid6"} 137
      kube_pod_container_status_last_terminated_timestamp{container="container7",namespace="ns6",pod="pod6",uid="uid6"} 1.501779547e+09`,
  },
  {
    ref: 'pod_test.go:1269',
    obj: pod(
      'pod2',
      'ns2',
      'abc-456-xxx',
      {
        nodeName: 'node2',
        containers: ['container2_1', 'container2_2', 'container2_3'].map((name) => ({ name, image: 'k8s.gcr.io/hyperkube2_spec' })),
      },
      {
        hostIP: '1.1.1.1',
        podIP: '2.3.4.5',
        containerStatuses: [
          ['container2_1', 1501777018],
          ['container2_2', 1501888018],
          ['container2_3', 1501666018],
        ].map(([name, finished]) => ({
          name,
          image: 'k8s.gcr.io/hyperkube2',
          imageID: 'docker://sha256:bbb',
          containerID: 'docker://cd456',
          state: { terminated: { finishedAt: T(finished as number) } },
        })),
      },
      { ownerReferences: [{ kind: 'ReplicaSet', name: 'rs-name', controller: true }] },
    ),
    names: ['kube_pod_created', 'kube_pod_info', 'kube_pod_start_time', 'kube_pod_completion_time', 'kube_pod_owner'],
    want: `
      # HELP kube_pod_completion_time [STABLE] Completion time in unix timestamp for a pod.
      # HELP kube_pod_created [STABLE] Unix creation timestamp
      # HELP kube_pod_info [STABLE] Information about pod.
      # HELP kube_pod_owner [STABLE] Information about the Pod's owner.
      # HELP kube_pod_start_time [STABLE] Start time in unix timestamp for a pod.
      # TYPE kube_pod_completion_time gauge
      # TYPE kube_pod_created gauge
      # TYPE kube_pod_info gauge
      # TYPE kube_pod_owner gauge
      # TYPE kube_pod_start_time gauge
      kube_pod_info{created_by_kind="ReplicaSet",created_by_name="rs-name",host_ip="1.1.1.1",namespace="ns2",node="node2",pod="pod2",pod_ip="2.3.4.5",uid="abc-456-xxx",priority_class="",host_network="false"} 1
      kube_pod_completion_time{namespace="ns2",pod="pod2",uid="abc-456-xxx"} 1.501888018e+09
      kube_pod_owner{namespace="ns2",owner_is_controller="true",owner_kind="ReplicaSet",owner_name="rs-name",pod="pod2",uid="abc-456-xxx"} 1`,
  },
  {
    ref: 'pod_test.go:2124',
    obj: pod(
      'pod1',
      'ns1',
      'uid1',
      {
        volumes: [
          { name: 'myvol', persistentVolumeClaim: { claimName: 'claim1', readOnly: false } },
          { name: 'my-readonly-vol', persistentVolumeClaim: { claimName: 'claim2', readOnly: true } },
          { name: 'my-ephemeral-vol', ephemeral: {} },
          { name: 'not-pvc-vol', emptyDir: { medium: 'memory' } },
        ],
      },
      {},
      { labels: { app: 'example' } },
    ),
    names: ['kube_pod_spec_volumes_persistentvolumeclaims_info', 'kube_pod_spec_volumes_persistentvolumeclaims_readonly'],
    want: `
      # HELP kube_pod_spec_volumes_persistentvolumeclaims_info [STABLE] Information about persistentvolumeclaim and ephemeral volumes in a pod.
      # HELP kube_pod_spec_volumes_persistentvolumeclaims_readonly [STABLE] Describes whether a persistentvolumeclaim is mounted read only. Ephemeral volumes always report 0 since the ephemeral volume source does not support a read-only flag.
      # TYPE kube_pod_spec_volumes_persistentvolumeclaims_info gauge
      # TYPE kube_pod_spec_volumes_persistentvolumeclaims_readonly gauge
      kube_pod_spec_volumes_persistentvolumeclaims_info{ephemeral="false",namespace="ns1",persistentvolumeclaim="claim1",pod="pod1",volume="myvol",uid="uid1"} 1
      kube_pod_spec_volumes_persistentvolumeclaims_info{ephemeral="false",namespace="ns1",persistentvolumeclaim="claim2",pod="pod1",volume="my-readonly-vol",uid="uid1"} 1
      kube_pod_spec_volumes_persistentvolumeclaims_info{ephemeral="true",namespace="ns1",persistentvolumeclaim="pod1-my-ephemeral-vol",pod="pod1",volume="my-ephemeral-vol",uid="uid1"} 1
      kube_pod_spec_volumes_persistentvolumeclaims_readonly{ephemeral="false",namespace="ns1",persistentvolumeclaim="claim1",pod="pod1",volume="myvol",uid="uid1"} 0
      kube_pod_spec_volumes_persistentvolumeclaims_readonly{ephemeral="false",namespace="ns1",persistentvolumeclaim="claim2",pod="pod1",volume="my-readonly-vol",uid="uid1"} 1
      kube_pod_spec_volumes_persistentvolumeclaims_readonly{ephemeral="true",namespace="ns1",persistentvolumeclaim="pod1-my-ephemeral-vol",pod="pod1",volume="my-ephemeral-vol",uid="uid1"} 0`,
  },
  {
    ref: 'pod_test.go:2457',
    obj: pod('pod9', 'ns9', 'uid9', { initContainers: [{ name: 'initcontainer1', image: 'k8s.gcr.io/init1_spec' }] }, {
      initContainerStatuses: [
        {
          name: 'initcontainer1',
          state: { running: { startedAt: T(1501777018) } },
          lastState: { terminated: { reason: 'OOMKilled', exitCode: 137, finishedAt: T(1501779547) } },
        },
      ],
    }),
    names: [
      'kube_pod_init_container_state_started',
      'kube_pod_init_container_status_last_terminated_exitcode',
      'kube_pod_init_container_status_last_terminated_timestamp',
    ],
    want: `
      # HELP kube_pod_init_container_state_started Start time in unix timestamp for a pod init container.
      # HELP kube_pod_init_container_status_last_terminated_exitcode Describes the exit code for the last init container in terminated state.
      # HELP kube_pod_init_container_status_last_terminated_timestamp Last terminated time for a pod init container in unix timestamp.
      # TYPE kube_pod_init_container_state_started gauge
      # TYPE kube_pod_init_container_status_last_terminated_exitcode gauge
      # TYPE kube_pod_init_container_status_last_terminated_timestamp gauge
      kube_pod_init_container_state_started{container="initcontainer1",namespace="ns9",pod="pod9",uid="uid9"} 1.501777018e+09
      kube_pod_init_container_status_last_terminated_exitcode{container="initcontainer1",namespace="ns9",pod="pod9",uid="uid9"} 137
      kube_pod_init_container_status_last_terminated_timestamp{container="initcontainer1",namespace="ns9",pod="pod9",uid="uid9"} 1.501779547e+09`,
  },
];

const NODE_CASES: Case[] = [
  {
    ref: 'node_test.go:79',
    obj: { metadata: { name: '' } },
    names: ['kube_node_info'],
    want: `
      # HELP kube_node_info [STABLE] Information about a cluster node.
      # TYPE kube_node_info gauge
      kube_node_info{container_runtime_version="",kernel_version="",kubelet_version="",kubeproxy_version="deprecated",node="",os_image="",pod_cidr="",provider_id="",internal_ip="",system_uuid=""} 1`,
  },
  {
    ref: 'node_test.go:162',
    obj: {
      metadata: { name: '127.0.0.1', creationTimestamp: T(1500000000), labels: { 'node-role.kubernetes.io/master': '' } },
      spec: { unschedulable: true, providerID: 'provider://i-randomidentifier', podCIDR: '172.24.10.0/24' },
      status: {
        nodeInfo: {
          kernelVersion: 'kernel',
          kubeletVersion: 'kubelet',
          kubeProxyVersion: 'kubeproxy',
          osImage: 'osimage',
          containerRuntimeVersion: 'rkt',
          systemUUID: '6a934e21-5207-4a84-baea-3a952d926c80',
        },
        addresses: [{ type: 'InternalIP', address: '1.2.3.4' }],
        capacity: { cpu: '4300m', memory: '2G', pods: '1k', storage: '3G', 'ephemeral-storage': '4G', 'nvidia.com/gpu': '4' },
        allocatable: { cpu: '3', memory: '1G', pods: '555', storage: '2G', 'ephemeral-storage': '3G', 'nvidia.com/gpu': '1' },
      },
    },
    names: [
      'kube_node_status_capacity',
      'kube_node_status_allocatable',
      'kube_node_spec_unschedulable',
      'kube_node_labels',
      'kube_node_role',
      'kube_node_info',
      'kube_node_created',
    ],
    want: `
      # HELP kube_node_created [STABLE] Unix creation timestamp
      # HELP kube_node_info [STABLE] Information about a cluster node.
      # HELP kube_node_labels [STABLE] Kubernetes labels converted to Prometheus labels.
      # HELP kube_node_role The role of a cluster node.
      # HELP kube_node_spec_unschedulable [STABLE] Whether a node can schedule new pods.
      # HELP kube_node_status_allocatable [STABLE] The allocatable for different resources of a node that are available for scheduling.
      # HELP kube_node_status_capacity [STABLE] The capacity for different resources of a node.
      # TYPE kube_node_created gauge
      # TYPE kube_node_info gauge
      # TYPE kube_node_labels gauge
      # TYPE kube_node_role gauge
      # TYPE kube_node_spec_unschedulable gauge
      # TYPE kube_node_status_allocatable gauge
      # TYPE kube_node_status_capacity gauge
      kube_node_created{node="127.0.0.1"} 1.5e+09
      kube_node_info{container_runtime_version="rkt",kernel_version="kernel",kubelet_version="kubelet",kubeproxy_version="deprecated",node="127.0.0.1",os_image="osimage",pod_cidr="172.24.10.0/24",provider_id="provider://i-randomidentifier",internal_ip="1.2.3.4",system_uuid="6a934e21-5207-4a84-baea-3a952d926c80"} 1
      kube_node_role{node="127.0.0.1",role="master"} 1
      kube_node_spec_unschedulable{node="127.0.0.1"} 1
      kube_node_status_allocatable{node="127.0.0.1",resource="cpu",unit="core"} 3
      kube_node_status_allocatable{node="127.0.0.1",resource="ephemeral_storage",unit="byte"} 3e+09
      kube_node_status_allocatable{node="127.0.0.1",resource="memory",unit="byte"} 1e+09
      kube_node_status_allocatable{node="127.0.0.1",resource="nvidia_com_gpu",unit="integer"} 1
      kube_node_status_allocatable{node="127.0.0.1",resource="pods",unit="integer"} 555
      kube_node_status_allocatable{node="127.0.0.1",resource="storage",unit="byte"} 2e+09
      kube_node_status_capacity{node="127.0.0.1",resource="cpu",unit="core"} 4.3
      kube_node_status_capacity{node="127.0.0.1",resource="ephemeral_storage",unit="byte"} 4e+09
      kube_node_status_capacity{node="127.0.0.1",resource="memory",unit="byte"} 2e+09
      kube_node_status_capacity{node="127.0.0.1",resource="nvidia_com_gpu",unit="integer"} 4
      kube_node_status_capacity{node="127.0.0.1",resource="pods",unit="integer"} 1000
      kube_node_status_capacity{node="127.0.0.1",resource="storage",unit="byte"} 3e+09`,
  },
  {
    ref: 'node_test.go:236',
    obj: {
      metadata: { name: '127.0.0.2' },
      status: {
        conditions: [
          { type: 'NetworkUnavailable', status: 'Unknown' },
          { type: 'Ready', status: 'Unknown' },
          { type: 'CustomizedType', status: 'Unknown' },
        ],
      },
    },
    names: ['kube_node_status_condition'],
    want: `
      # HELP kube_node_status_condition [STABLE] The condition of a cluster node.
      # TYPE kube_node_status_condition gauge
      kube_node_status_condition{condition="CustomizedType",node="127.0.0.2",status="false"} 0
      kube_node_status_condition{condition="CustomizedType",node="127.0.0.2",status="true"} 0
      kube_node_status_condition{condition="CustomizedType",node="127.0.0.2",status="unknown"} 1
      kube_node_status_condition{condition="NetworkUnavailable",node="127.0.0.2",status="false"} 0
      kube_node_status_condition{condition="NetworkUnavailable",node="127.0.0.2",status="true"} 0
      kube_node_status_condition{condition="NetworkUnavailable",node="127.0.0.2",status="unknown"} 1
      kube_node_status_condition{condition="Ready",node="127.0.0.2",status="false"} 0
      kube_node_status_condition{condition="Ready",node="127.0.0.2",status="true"} 0
      kube_node_status_condition{condition="Ready",node="127.0.0.2",status="unknown"} 1`,
  },
  {
    ref: 'node_test.go:282',
    obj: {
      metadata: { name: '127.0.0.1' },
      spec: {
        taints: [
          { key: 'node.kubernetes.io/memory-pressure', value: 'true', effect: 'PreferNoSchedule' },
          { key: 'Accelerated', value: 'gpu', effect: 'PreferNoSchedule' },
          { key: 'Dedicated', effect: 'PreferNoSchedule' },
        ],
      },
    },
    names: ['kube_node_spec_taint'],
    want: `
      # HELP kube_node_spec_taint [STABLE] The taint of a cluster node.
      # TYPE kube_node_spec_taint gauge
      kube_node_spec_taint{effect="PreferNoSchedule",key="Dedicated",node="127.0.0.1",value=""} 1
      kube_node_spec_taint{effect="PreferNoSchedule",key="Accelerated",node="127.0.0.1",value="gpu"} 1
      kube_node_spec_taint{effect="PreferNoSchedule",key="node.kubernetes.io/memory-pressure",node="127.0.0.1",value="true"} 1`,
  },
  {
    ref: 'node_test.go:298',
    obj: { metadata: { name: '127.0.0.1' }, spec: { podCIDRs: ['10.244.0.0/24', '2001:db8::/64'] } },
    names: ['kube_node_spec_pod_cidrs'],
    want: `
      # HELP kube_node_spec_pod_cidrs The pod CIDRs of a cluster node.
      # TYPE kube_node_spec_pod_cidrs gauge
      kube_node_spec_pod_cidrs{node="127.0.0.1",pod_cidr="10.244.0.0/24"} 1
      kube_node_spec_pod_cidrs{node="127.0.0.1",pod_cidr="2001:db8::/64"} 1`,
  },
  {
    ref: 'node_test.go:321',
    obj: {
      metadata: { name: '127.0.0.1' },
      status: {
        addresses: [
          { type: 'InternalIP', address: '1.2.3.4' },
          { type: 'InternalIP', address: 'fc00::' },
          { type: 'ExternalIP', address: '5.6.7.8' },
          { type: 'ExternalIP', address: '2001:db8::' },
        ],
      },
    },
    names: ['kube_node_status_addresses'],
    want: `
      # HELP kube_node_status_addresses Node address information.
      # TYPE kube_node_status_addresses gauge
      kube_node_status_addresses{node="127.0.0.1",type="InternalIP",address="1.2.3.4"} 1
      kube_node_status_addresses{node="127.0.0.1",type="InternalIP",address="fc00::"} 1
      kube_node_status_addresses{node="127.0.0.1",type="ExternalIP",address="5.6.7.8"} 1
      kube_node_status_addresses{node="127.0.0.1",type="ExternalIP",address="2001:db8::"} 1`,
  },
  {
    ref: 'node_test.go:409 (memory overflow; only the capacity it checks)',
    obj: {
      metadata: { name: '127.0.0.1' },
      status: {
        capacity: { cpu: '4300m', memory: '10000T', pods: '1k', storage: '3G', 'ephemeral-storage': '4G', 'nvidia.com/gpu': '4' },
      },
    },
    names: ['kube_node_status_capacity'],
    want: `
      # HELP kube_node_status_capacity [STABLE] The capacity for different resources of a node.
      # TYPE kube_node_status_capacity gauge
      kube_node_status_capacity{node="127.0.0.1",resource="cpu",unit="core"} 4.3
      kube_node_status_capacity{node="127.0.0.1",resource="ephemeral_storage",unit="byte"} 4e+09
      kube_node_status_capacity{node="127.0.0.1",resource="memory",unit="byte"} 1e+16
      kube_node_status_capacity{node="127.0.0.1",resource="nvidia_com_gpu",unit="integer"} 4
      kube_node_status_capacity{node="127.0.0.1",resource="pods",unit="integer"} 1000
      kube_node_status_capacity{node="127.0.0.1",resource="storage",unit="byte"} 3e+09`,
  },
];

// The headers every namespace case expects (namespace_test.go's `metadata`).
const NAMESPACE_HEADERS = `
      # HELP kube_namespace_annotations Kubernetes annotations converted to Prometheus labels.
      # TYPE kube_namespace_annotations gauge
      # HELP kube_namespace_created [STABLE] Unix creation timestamp
      # TYPE kube_namespace_created gauge
      # HELP kube_namespace_labels [STABLE] Kubernetes labels converted to Prometheus labels.
      # TYPE kube_namespace_labels gauge
      # HELP kube_namespace_status_phase [STABLE] kubernetes namespace status phase.
      # TYPE kube_namespace_status_phase gauge
      # HELP kube_namespace_status_condition The condition of a namespace.
      # TYPE kube_namespace_status_condition gauge
`;

const NAMESPACE_CASES: Case[] = [
  {
    ref: 'namespace_test.go:101',
    obj: {
      metadata: { name: 'nsTerminateWithConditionTest' },
      spec: { finalizers: ['kubernetes'] },
      status: {
        phase: 'Terminating',
        conditions: [
          { type: 'NamespaceDeletionDiscoveryFailure', status: 'True' },
          { type: 'NamespaceDeletionContentFailure', status: 'True' },
          { type: 'NamespaceDeletionGroupVersionParsingFailure', status: 'True' },
        ],
      },
    },
    names: ['kube_namespace'],
    want: `${NAMESPACE_HEADERS}
      kube_namespace_status_phase{namespace="nsTerminateWithConditionTest",phase="Active"} 0
      kube_namespace_status_phase{namespace="nsTerminateWithConditionTest",phase="Terminating"} 1
      kube_namespace_status_condition{condition="NamespaceDeletionContentFailure",namespace="nsTerminateWithConditionTest",status="false"} 0
      kube_namespace_status_condition{condition="NamespaceDeletionContentFailure",namespace="nsTerminateWithConditionTest",status="true"} 1
      kube_namespace_status_condition{condition="NamespaceDeletionContentFailure",namespace="nsTerminateWithConditionTest",status="unknown"} 0
      kube_namespace_status_condition{condition="NamespaceDeletionDiscoveryFailure",namespace="nsTerminateWithConditionTest",status="false"} 0
      kube_namespace_status_condition{condition="NamespaceDeletionDiscoveryFailure",namespace="nsTerminateWithConditionTest",status="true"} 1
      kube_namespace_status_condition{condition="NamespaceDeletionDiscoveryFailure",namespace="nsTerminateWithConditionTest",status="unknown"} 0
      kube_namespace_status_condition{condition="NamespaceDeletionGroupVersionParsingFailure",namespace="nsTerminateWithConditionTest",status="false"} 0
      kube_namespace_status_condition{condition="NamespaceDeletionGroupVersionParsingFailure",namespace="nsTerminateWithConditionTest",status="true"} 1
      kube_namespace_status_condition{condition="NamespaceDeletionGroupVersionParsingFailure",namespace="nsTerminateWithConditionTest",status="unknown"} 0`,
  },
  {
    ref: 'namespace_test.go:124',
    obj: { metadata: { name: 'ns1', creationTimestamp: T(1500000000), labels: { app: 'example1' } }, status: { phase: 'Active' } },
    names: ['kube_namespace'],
    want: `${NAMESPACE_HEADERS}
      kube_namespace_created{namespace="ns1"} 1.5e+09
      kube_namespace_status_phase{namespace="ns1",phase="Active"} 1
      kube_namespace_status_phase{namespace="ns1",phase="Terminating"} 0`,
  },
];

describe("kube-state-metrics' own store test cases", () => {
  it.each(POD_CASES.map((c) => [c.ref, c] as const))('pods: %s', (_, c) => run(podStore, c));
  it.each(NODE_CASES.map((c) => [c.ref, c] as const))('nodes: %s', (_, c) => run(nodeStore, c));
  it.each(NAMESPACE_CASES.map((c) => [c.ref, c] as const))('namespaces: %s', (_, c) => run(namespaceStore, c));
});
