import type { Labels, MetricFamily, Sample } from '../../model/family';
import { asArray, asString, boolValue, buildFamilies, conditionSamples, metadataFamilySpecs, resourceValues, nonZeroTimeSeconds, sample, type FamilySpec } from '../common';
import type { KsmOptions, KsmStore, KubeObject } from '../types';

// The node families of kube-state-metrics (internal/store/node.go): KSM's names, HELP,
// types, stability and labels; every sample also carries node. Fields come from the API's
// JSON (k8s.io/api core/v1 Node).

/* eslint-disable @typescript-eslint/no-explicit-any -- node JSON as the API serves it */
type Node = KubeObject;

const spec = (n: Node): any => n.spec ?? {};
const status = (n: Node): any => n.status ?? {};
const single = (v: number | undefined): Sample[] => (v === undefined ? [] : [sample({}, v)]);

/** The label prefix whose keys name a node's roles (kube_node_role). */
const ROLE_PREFIX = 'node-role.kubernetes.io/';

const resourceSamples = (field: 'allocatable' | 'capacity') => (n: Node): Sample[] =>
  resourceValues(status(n)[field], true).map((r) => sample({ resource: r.resource, unit: r.unit }, r.value));

/** The node families in KSM's order (nodeMetricFamilies). */
export const NODE_FAMILY_SPECS: readonly FamilySpec[] = (() => {
  const [annotations, labels] = metadataFamilySpecs('node', 'nodes');
  const specs: FamilySpec[] = [
    annotations,
    { name: 'kube_node_created', help: 'Unix creation timestamp', stability: 'STABLE', samples: (n) => single(nonZeroTimeSeconds(n.metadata.creationTimestamp)) },
    { name: 'kube_node_deletion_timestamp', help: 'Unix deletion timestamp', stability: 'ALPHA', samples: (n) => single(nonZeroTimeSeconds(n.metadata.deletionTimestamp)) },
    {
      name: 'kube_node_info',
      help: 'Information about a cluster node.',
      stability: 'STABLE',
      samples: (n) => {
        const info = status(n).nodeInfo ?? {};
        // internal_ip: the last InternalIP address, as KSM (kept until its v3 for compatibility).
        let internalIP = '';
        for (const a of asArray(status(n).addresses)) if (a?.type === 'InternalIP') internalIP = asString(a.address);
        return [
          sample(
            {
              kernel_version: asString(info.kernelVersion),
              os_image: asString(info.osImage),
              container_runtime_version: asString(info.containerRuntimeVersion),
              kubelet_version: asString(info.kubeletVersion),
              kubeproxy_version: 'deprecated', // KSM writes this constant since kube-proxy stopped reporting it
              provider_id: asString(spec(n).providerID),
              pod_cidr: asString(spec(n).podCIDR),
              system_uuid: asString(info.systemUUID),
              internal_ip: internalIP,
            },
            1,
          ),
        ];
      },
    },
    labels,
    {
      name: 'kube_node_role',
      help: 'The role of a cluster node.',
      stability: 'ALPHA',
      samples: (n) =>
        Object.keys(n.metadata.labels ?? {})
          .filter((k) => k.startsWith(ROLE_PREFIX))
          .map((k) => sample({ role: k.slice(ROLE_PREFIX.length) }, 1)),
    },
    {
      name: 'kube_node_spec_pod_cidrs',
      help: 'The pod CIDRs of a cluster node.',
      stability: 'ALPHA',
      samples: (n) => asArray(spec(n).podCIDRs).map((c) => sample({ pod_cidr: asString(c) }, 1)),
    },
    {
      name: 'kube_node_spec_taint',
      help: 'The taint of a cluster node.',
      stability: 'STABLE',
      samples: (n) => asArray(spec(n).taints).map((t) => sample({ key: asString(t?.key), value: asString(t?.value), effect: asString(t?.effect) }, 1)),
    },
    {
      name: 'kube_node_spec_unschedulable',
      help: 'Whether a node can schedule new pods.',
      stability: 'STABLE',
      samples: (n) => [sample({}, boolValue(spec(n).unschedulable))],
    },
    {
      name: 'kube_node_status_allocatable',
      help: 'The allocatable for different resources of a node that are available for scheduling.',
      stability: 'STABLE',
      samples: resourceSamples('allocatable'),
    },
    { name: 'kube_node_status_capacity', help: 'The capacity for different resources of a node.', stability: 'STABLE', samples: resourceSamples('capacity') },
    {
      name: 'kube_node_status_condition',
      help: 'The condition of a cluster node.',
      stability: 'STABLE',
      samples: (n) => asArray(status(n).conditions).flatMap((c) => conditionSamples(c?.status, 'status', { condition: asString(c?.type) })),
    },
    {
      name: 'kube_node_status_addresses',
      help: 'Node address information.',
      stability: 'ALPHA',
      samples: (n) => asArray(status(n).addresses).map((a) => sample({ type: asString(a?.type), address: asString(a?.address) }, 1)),
    },
  ];
  return specs;
})();

const nodeIdentity = (n: Node): Labels => ({ node: n.metadata.name });

/**
 * Returns kube-state-metrics' node families for `nodes` (internal/store/node.go), each
 * sample labelled node; HELP/TYPE of all of them once there is a node. Capacity and
 * allocatable are MilliValue()/1000 of each quantity (cpu in cores, memory and
 * ephemeral-storage in bytes, pods and extended resources as integers).
 */
export const nodeFamilies = (nodes: readonly KubeObject[], o: KsmOptions): MetricFamily[] =>
  buildFamilies(NODE_FAMILY_SPECS, nodes, nodeIdentity, o);

/** The nodes store (KSM resource `nodes`). */
export const nodeStore: KsmStore = { resource: 'nodes', families: nodeFamilies };
