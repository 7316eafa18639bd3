import { isIP } from 'node:net';
import type { Labels, MetricFamily, Sample } from '../../model/family';
import {
  asArray,
  asString,
  boolValue,
  buildFamilies,
  conditionSamples,
  metadataFamilySpecs,
  quantityFloat,
  quantityValue,
  resourceValues,
  sample,
  timeOrZero,
  nonZeroTimeSeconds,
  timeSeconds,
  toPromLabels,
  type FamilySpec,
  type Stability,
} from '../common';
import type { KsmOptions, KsmStore, KubeObject } from '../types';

// The pod families of kube-state-metrics (internal/store/pod.go), one spec per family with
// KSM's name, HELP, type, stability and labels; every sample also carries namespace, pod
// and uid. Fields are read from the API's JSON (k8s.io/api core/v1 Pod): an absent field
// is Go's zero value, an absent pointer is nil.

/* eslint-disable @typescript-eslint/no-explicit-any -- pod JSON as the API serves it */
type Pod = KubeObject;
type Spec = FamilySpec<Pod>;

/** Reasons KSM reports by name in kube_pod_status_reason; any other status.reason is "Other". */
export const POD_STATUS_REASONS = [
  'Evicted',
  'NodeAffinity',
  'NodeLost',
  'PreemptionByScheduler',
  'SchedulingGated',
  'Shutdown',
  'TerminationByKubelet',
  'UnexpectedAdmissionError',
] as const;

/** DisruptionTarget condition reasons KSM reports by name; others are "Other". */
export const POD_DISRUPTION_REASONS = [
  'PreemptionByScheduler',
  'DeletionByTaintManager',
  'EvictionByEvictionAPI',
  'DeletionByPodGC',
  'TerminationByKubelet',
] as const;

const num = (v: unknown): number => (typeof v === 'number' && Number.isFinite(v) ? v : 0);
const spec = (p: Pod): any => p.spec ?? {};
const status = (p: Pod): any => p.status ?? {};
const conditions = (p: Pod): any[] => asArray(status(p).conditions);

/** Returns "4" or "6" for an IP address as Go's netip (an IPv4-mapped IPv6 address is 4), or undefined when it is none. */
export function ipFamily(ip: string): '4' | '6' | undefined {
  const v = isIP(ip);
  if (v === 4) return '4';
  if (v !== 6) return undefined;
  try {
    // The URL parser prints an IPv6 address canonically: ::ffff:1.2.3.4 -> [::ffff:102:304].
    const host = new URL(`http://[${ip}]/`).hostname;
    return /^\[::ffff:[0-9a-f]{1,4}:[0-9a-f]{1,4}\]$/.test(host) ? '4' : '6';
  } catch {
    return '6'; // a zone (fe80::1%eth0) the URL parser refuses: still IPv6
  }
}

type Kind = 'container' | 'init';

/** Help texts and stability of a family for containers and for init containers. */
type Texts = readonly [containerHelp: string, containerStability: Stability, initHelp: string, initStability: Stability];

const statusesOf = (p: Pod, kind: Kind): any[] => asArray(status(p)[kind === 'container' ? 'containerStatuses' : 'initContainerStatuses']);
const specsOf = (p: Pod, kind: Kind): any[] => asArray(spec(p)[kind === 'container' ? 'containers' : 'initContainers']);

/** Returns the samples of a container-status family: `f` gives each status's own labels and value, or undefined to skip it. */
const perStatus =
  (kind: Kind, f: (cs: any) => readonly [Labels, number] | undefined) =>
  (p: Pod): Sample[] => {
    const out: Sample[] = [];
    for (const cs of statusesOf(p, kind)) {
      const r = f(cs);
      if (r) out.push(sample({ container: asString(cs.name), ...r[0] }, r[1]));
    }
    return out;
  };

const resourceSamples =
  (kind: Kind, field: 'requests' | 'limits') =>
  (p: Pod): Sample[] => {
    const out: Sample[] = [];
    const node = asString(spec(p).nodeName);
    for (const c of specsOf(p, kind))
      for (const r of resourceValues(c?.resources?.[field], false))
        out.push(sample({ container: asString(c.name), node, resource: r.resource, unit: r.unit }, r.value));
    return out;
  };

const lastTerminated = (cs: any): any => cs?.lastState?.terminated;

/** The families KSM has for both containers (kube_pod_container_*) and init containers (kube_pod_init_container_*). */
function containerSpecs(kind: Kind): Spec[] {
  const prefix = kind === 'container' ? 'kube_pod_container' : 'kube_pod_init_container';
  const make = (suffix: string, t: Texts, samples: (p: Pod) => Sample[], type: 'gauge' | 'counter' = 'gauge'): Spec => ({
    name: `${prefix}_${suffix}`,
    help: kind === 'container' ? t[0] : t[2],
    stability: kind === 'container' ? t[1] : t[3],
    type,
    samples,
  });
  return [
    make(
      'info',
      ['Information about a container in a pod.', 'STABLE', 'Information about an init container in a pod.', 'STABLE'],
      (p) => {
        const out: Sample[] = [];
        for (const c of specsOf(p, kind)) {
          const policy: Labels = kind === 'init' ? { restart_policy: asString(c.restartPolicy) } : {};
          for (const cs of statusesOf(p, kind))
            if (cs.name === c.name)
              out.push(
                sample(
                  { container: asString(cs.name), image_spec: asString(c.image), image: asString(cs.image), image_id: asString(cs.imageID), container_id: asString(cs.containerID), ...policy },
                  1,
                ),
              );
        }
        return out;
      },
    ),
    make(
      'resource_limits',
      [
        'The number of requested limit resource by a container. It is recommended to use the kube_pod_resource_limits metric exposed by kube-scheduler instead, as it is more precise.',
        'STABLE',
        'The number of requested limit resource by an init container.',
        'ALPHA',
      ],
      resourceSamples(kind, 'limits'),
    ),
    make(
      'resource_requests',
      [
        'The number of requested request resource by a container. It is recommended to use the kube_pod_resource_requests metric exposed by kube-scheduler instead, as it is more precise.',
        'STABLE',
        'The number of requested request resource by an init container.',
        'ALPHA',
      ],
      resourceSamples(kind, 'requests'),
    ),
    make(
      'state_started',
      ['Start time in unix timestamp for a pod container.', 'STABLE', 'Start time in unix timestamp for a pod init container.', 'ALPHA'],
      perStatus(kind, (cs) => {
        const st = cs.state ?? {};
        if (st.running) return [{}, timeOrZero(st.running.startedAt)];
        if (st.terminated) return [{}, timeOrZero(st.terminated.startedAt)];
        return undefined;
      }),
    ),
    make(
      'status_last_terminated_reason',
      ['Describes the last reason the container was in terminated state.', 'ALPHA', 'Describes the last reason the init container was in terminated state.', 'ALPHA'],
      perStatus(kind, (cs) => (lastTerminated(cs) ? [{ reason: asString(lastTerminated(cs).reason) }, 1] : undefined)),
    ),
    make(
      'status_last_terminated_exitcode',
      ['Describes the exit code for the last container in terminated state.', 'ALPHA', 'Describes the exit code for the last init container in terminated state.', 'ALPHA'],
      perStatus(kind, (cs) => (lastTerminated(cs) ? [{}, num(lastTerminated(cs).exitCode)] : undefined)),
    ),
    make(
      'status_last_terminated_timestamp',
      ['Last terminated time for a pod container in unix timestamp.', 'ALPHA', 'Last terminated time for a pod init container in unix timestamp.', 'ALPHA'],
      perStatus(kind, (cs) => (lastTerminated(cs) ? [{}, timeOrZero(lastTerminated(cs).finishedAt)] : undefined)),
    ),
    make(
      'status_ready',
      ['Describes whether the containers readiness check succeeded.', 'STABLE', 'Describes whether the init containers readiness check succeeded.', 'STABLE'],
      perStatus(kind, (cs) => [{}, boolValue(cs.ready)]),
    ),
    make(
      'status_restarts_total',
      ['The number of container restarts per container.', 'STABLE', 'The number of restarts for the init container.', 'STABLE'],
      perStatus(kind, (cs) => [{}, num(cs.restartCount)]),
      'counter',
    ),
    make(
      'status_running',
      ['Describes whether the container is currently in running state.', 'STABLE', 'Describes whether the init container is currently in running state.', 'STABLE'],
      perStatus(kind, (cs) => [{}, cs.state?.running ? 1 : 0]),
    ),
    make(
      'status_terminated',
      ['Describes whether the container is currently in terminated state.', 'STABLE', 'Describes whether the init container is currently in terminated state.', 'STABLE'],
      perStatus(kind, (cs) => [{}, cs.state?.terminated ? 1 : 0]),
    ),
    make(
      'status_terminated_reason',
      ['Describes the reason the container is currently in terminated state.', 'ALPHA', 'Describes the reason the init container is currently in terminated state.', 'ALPHA'],
      perStatus(kind, (cs) => (cs.state?.terminated ? [{ reason: asString(cs.state.terminated.reason) }, 1] : undefined)),
    ),
    make(
      'status_waiting',
      ['Describes whether the container is currently in waiting state.', 'STABLE', 'Describes whether the init container is currently in waiting state.', 'STABLE'],
      perStatus(kind, (cs) => [{}, cs.state?.waiting ? 1 : 0]),
    ),
    make(
      'status_waiting_reason',
      ['Describes the reason the container is currently in waiting state.', 'STABLE', 'Describes the reason the init container is currently in waiting state.', 'ALPHA'],
      perStatus(kind, (cs) => (cs.state?.waiting ? [{ reason: asString(cs.state.waiting.reason) }, 1] : undefined)),
    ),
  ];
}

/** Returns one unlabelled sample per condition of `type` with status `want`: its lastTransitionTime in unix seconds. */
const conditionTime = (type: string, want: string) => (p: Pod) =>
  conditions(p)
    .filter((c) => c?.type === type && c?.status === want)
    .map((c) => sample({}, timeOrZero(c.lastTransitionTime)));

/** Returns the three condition series (label `condition`) of each condition of `type`. */
const conditionStatus = (type: string) => (p: Pod) =>
  conditions(p)
    .filter((c) => c?.type === type)
    .flatMap((c) => conditionSamples(c.status, 'condition'));

const single = (v: number | undefined): Sample[] => (v === undefined ? [] : [sample({}, v)]);

const oneOf = (label: string, values: readonly string[], actual: unknown): Sample[] =>
  actual === undefined || actual === '' ? [] : values.map((v) => sample({ [label]: v }, actual === v ? 1 : 0));

function hasStatusReason(p: Pod, reason: string): boolean {
  const st = status(p);
  return (
    st.reason === reason ||
    conditions(p).some((c) => c?.reason === reason) ||
    asArray(st.containerStatuses).some((cs) => cs?.state?.terminated && cs.state.terminated.reason === reason)
  );
}

function pvcVolumes(p: Pod): { volume: string; claim: string; ephemeral: boolean; readOnly: boolean }[] {
  const out: { volume: string; claim: string; ephemeral: boolean; readOnly: boolean }[] = [];
  for (const v of asArray(spec(p).volumes)) {
    if (v?.persistentVolumeClaim)
      out.push({ volume: asString(v.name), claim: asString(v.persistentVolumeClaim.claimName), ephemeral: false, readOnly: v.persistentVolumeClaim.readOnly === true });
    // A generic ephemeral volume's claim is named <pod>-<volume> (k8s.io/component-helpers ephemeral.VolumeClaimName).
    else if (v?.ephemeral) out.push({ volume: asString(v.name), claim: `${p.metadata.name}-${asString(v.name)}`, ephemeral: true, readOnly: false });
  }
  return out;
}

function tolerationSamples(p: Pod): Sample[] {
  const seen = new Set<string>();
  const out: Sample[] = [];
  for (const t of asArray(spec(p).tolerations)) {
    const labels = {
      key: asString(t?.key),
      operator: asString(t?.operator),
      value: asString(t?.value),
      effect: asString(t?.effect),
      toleration_seconds: typeof t?.tolerationSeconds === 'number' ? String(Math.trunc(t.tolerationSeconds)) : '',
    };
    const id = JSON.stringify(labels);
    if (seen.has(id)) continue; // KSM writes each distinct toleration once
    seen.add(id);
    out.push(sample(labels, 1));
  }
  return out;
}

/** The pod families in KSM's order (podMetricFamilies). */
export const POD_FAMILY_SPECS: readonly Spec[] = (() => {
  const [container, init] = [containerSpecs('container'), containerSpecs('init')];
  const [annotations, labels] = metadataFamilySpecs<Pod>('pod', 'pods');
  const byName = (list: Spec[], suffix: string) => list.find((s) => s.name.endsWith(`_${suffix}`)) as Spec;
  const cont = (suffix: string) => byName(container, suffix);
  const ini = (suffix: string) => byName(init, suffix);
  return [
    {
      name: 'kube_pod_completion_time',
      help: 'Completion time in unix timestamp for a pod.',
      stability: 'STABLE',
      samples: (p) => {
        let last = 0;
        for (const cs of asArray(status(p).containerStatuses)) {
          if (!cs?.state?.terminated) continue;
          const t = timeOrZero(cs.state.terminated.finishedAt);
          if (last === 0 || last < t) last = t;
        }
        return last > 0 ? [sample({}, last)] : [];
      },
    },
    cont('info'),
    cont('resource_limits'),
    cont('resource_requests'),
    cont('state_started'),
    cont('status_last_terminated_reason'),
    cont('status_last_terminated_exitcode'),
    cont('status_last_terminated_timestamp'),
    cont('status_ready'),
    cont('status_restarts_total'),
    cont('status_running'),
    cont('status_terminated'),
    cont('status_terminated_reason'),
    cont('status_waiting'),
    cont('status_waiting_reason'),
    { name: 'kube_pod_created', help: 'Unix creation timestamp', stability: 'STABLE', samples: (p) => single(nonZeroTimeSeconds(p.metadata.creationTimestamp)) },
    { name: 'kube_pod_deletion_timestamp', help: 'Unix deletion timestamp', stability: 'ALPHA', samples: (p) => single(nonZeroTimeSeconds(p.metadata.deletionTimestamp)) },
    {
      name: 'kube_pod_info',
      help: 'Information about pod.',
      stability: 'STABLE',
      samples: (p) => {
        const owner = (p.metadata.ownerReferences ?? []).find((o) => o.controller === true);
        return [
          sample(
            {
              host_ip: asString(status(p).hostIP),
              pod_ip: asString(status(p).podIP),
              node: asString(spec(p).nodeName),
              created_by_kind: owner?.kind ?? '',
              created_by_name: owner?.name ?? '',
              priority_class: asString(spec(p).priorityClassName),
              host_network: String(spec(p).hostNetwork === true),
            },
            1,
          ),
        ];
      },
    },
    {
      name: 'kube_pod_ips',
      help: 'Pod IP addresses',
      stability: 'ALPHA',
      samples: (p) => {
        const out: Sample[] = [];
        for (const entry of asArray(status(p).podIPs)) {
          const family = ipFamily(asString(entry?.ip));
          if (family) out.push(sample({ ip: asString(entry.ip), ip_family: family }, 1));
        }
        return out;
      },
    },
    ini('info'),
    ini('resource_limits'),
    ini('resource_requests'),
    ini('state_started'),
    ini('status_last_terminated_reason'),
    ini('status_last_terminated_exitcode'),
    ini('status_last_terminated_timestamp'),
    ini('status_ready'),
    ini('status_restarts_total'),
    ini('status_running'),
    ini('status_terminated'),
    ini('status_terminated_reason'),
    ini('status_waiting'),
    ini('status_waiting_reason'),
    annotations,
    labels,
    {
      name: 'kube_pod_overhead_cpu_cores',
      help: 'The pod overhead in regards to cpu cores associated with running a pod.',
      stability: 'ALPHA',
      samples: (p) => overhead(p, 'cpu', quantityFloat),
    },
    {
      name: 'kube_pod_overhead_memory_bytes',
      help: 'The pod overhead in regards to memory associated with running a pod.',
      stability: 'ALPHA',
      samples: (p) => overhead(p, 'memory', quantityValue),
    },
    {
      name: 'kube_pod_owner',
      help: "Information about the Pod's owner.",
      stability: 'STABLE',
      samples: (p) => {
        const owners = p.metadata.ownerReferences ?? [];
        if (owners.length === 0) return [sample({ owner_kind: '', owner_name: '', owner_is_controller: '' }, 1)];
        return owners.map((o) => sample({ owner_kind: asString(o.kind), owner_name: asString(o.name), owner_is_controller: String(o.controller === true) }, 1));
      },
    },
    {
      name: 'kube_pod_resourceclaim_info',
      help: 'Information about a DRA ResourceClaim referenced by a pod, one series per pod.spec.resourceClaims entry; claim_name is the pod-local reference and resourceclaim_name is the resolved ResourceClaim object name.',
      stability: 'ALPHA',
      samples: (p) => {
        const resolved = new Map<string, string>();
        for (const s of asArray(status(p).resourceClaimStatuses)) if (typeof s?.resourceClaimName === 'string') resolved.set(asString(s.name), s.resourceClaimName);
        const out: Sample[] = [];
        for (const rc of asArray(spec(p).resourceClaims)) {
          const byName = typeof rc?.resourceClaimName === 'string';
          const byTemplate = typeof rc?.resourceClaimTemplateName === 'string';
          if (!byName && !byTemplate) continue; // neither set: references no claim
          out.push(
            sample(
              {
                claim_name: asString(rc.name),
                resourceclaim_name: byName ? rc.resourceClaimName : (resolved.get(asString(rc.name)) ?? ''),
                resourceclaim_template_name: byTemplate ? rc.resourceClaimTemplateName : '',
              },
              1,
            ),
          );
        }
        return out;
      },
    },
    {
      name: 'kube_pod_restart_policy',
      help: 'Describes the restart policy in use by this pod.',
      stability: 'STABLE',
      samples: (p) => [sample({ type: asString(spec(p).restartPolicy) }, 1)],
    },
    {
      name: 'kube_pod_runtimeclass_name_info',
      help: 'The runtimeclass associated with the pod.',
      stability: 'ALPHA',
      samples: (p) => (typeof spec(p).runtimeClassName === 'string' ? [sample({ runtimeclass_name: spec(p).runtimeClassName }, 1)] : []),
    },
    {
      name: 'kube_pod_spec_volumes_persistentvolumeclaims_info',
      help: 'Information about persistentvolumeclaim and ephemeral volumes in a pod.',
      stability: 'STABLE',
      samples: (p) => pvcVolumes(p).map((v) => sample({ volume: v.volume, persistentvolumeclaim: v.claim, ephemeral: String(v.ephemeral) }, 1)),
    },
    {
      name: 'kube_pod_spec_volumes_persistentvolumeclaims_readonly',
      help: 'Describes whether a persistentvolumeclaim is mounted read only. Ephemeral volumes always report 0 since the ephemeral volume source does not support a read-only flag.',
      stability: 'STABLE',
      samples: (p) =>
        pvcVolumes(p).map((v) => sample({ volume: v.volume, persistentvolumeclaim: v.claim, ephemeral: String(v.ephemeral) }, v.readOnly ? 1 : 0)),
    },
    { name: 'kube_pod_start_time', help: 'Start time in unix timestamp for a pod.', stability: 'STABLE', samples: (p) => single(timeSeconds(status(p).startTime)) },
    {
      name: 'kube_pod_status_phase',
      help: 'The pods current phase.',
      stability: 'STABLE',
      samples: (p) => oneOf('phase', ['Pending', 'Succeeded', 'Failed', 'Unknown', 'Running'], status(p).phase),
    },
    {
      name: 'kube_pod_status_qos_class',
      help: 'The pods current qosClass.',
      stability: 'ALPHA',
      samples: (p) => oneOf('qos_class', ['BestEffort', 'Burstable', 'Guaranteed'], status(p).qosClass),
    },
    { name: 'kube_pod_status_ready', help: 'Describes whether the pod is ready to serve requests.', stability: 'STABLE', samples: conditionStatus('Ready') },
    { name: 'kube_pod_status_ready_time', help: 'Readiness achieved time in unix timestamp for a pod.', stability: 'ALPHA', samples: conditionTime('Ready', 'True') },
    {
      name: 'kube_pod_status_initialized_time',
      help: 'Initialized time in unix timestamp for a pod.',
      stability: 'ALPHA',
      samples: conditionTime('Initialized', 'True'),
    },
    {
      name: 'kube_pod_status_container_ready_time',
      help: 'Readiness achieved time in unix timestamp for a pod containers.',
      stability: 'ALPHA',
      samples: conditionTime('ContainersReady', 'True'),
    },
    {
      name: 'kube_pod_status_reason',
      help: 'The pod status reasons',
      stability: 'ALPHA',
      samples: (p) => {
        const out = POD_STATUS_REASONS.filter((r) => hasStatusReason(p, r)).map((r) => sample({ reason: r }, 1));
        const reason = asString(status(p).reason);
        if (reason !== '' && !(POD_STATUS_REASONS as readonly string[]).includes(reason)) out.push(sample({ reason: 'Other' }, 1));
        return out;
      },
    },
    {
      name: 'kube_pod_status_disruption_reason',
      help: 'The pod disruption condition reason',
      stability: 'ALPHA',
      samples: (p) =>
        conditions(p)
          .filter((c) => c?.type === 'DisruptionTarget')
          .map((c) => sample({ reason: (POD_DISRUPTION_REASONS as readonly string[]).includes(c.reason) ? c.reason : 'Other' }, 1)),
    },
    {
      name: 'kube_pod_status_scheduled',
      help: 'Describes the status of the scheduling process for the pod.',
      stability: 'STABLE',
      samples: conditionStatus('PodScheduled'),
    },
    {
      name: 'kube_pod_status_scheduled_time',
      help: 'Unix timestamp when pod moved into scheduled status',
      stability: 'STABLE',
      samples: conditionTime('PodScheduled', 'True'),
    },
    {
      name: 'kube_pod_status_unschedulable',
      help: 'Describes the unschedulable status for the pod.',
      stability: 'STABLE',
      samples: (p) => conditionTime('PodScheduled', 'False')(p).map(() => sample({}, 1)),
    },
    {
      name: 'kube_pod_status_unscheduled_time',
      help: 'Unix timestamp when pod moved into unscheduled status',
      stability: 'ALPHA',
      samples: conditionTime('PodScheduled', 'False'),
    },
    { name: 'kube_pod_tolerations', help: 'Information about the pod tolerations', stability: 'ALPHA', samples: tolerationSamples },
    {
      name: 'kube_pod_nodeselectors',
      help: 'Describes the Pod nodeSelectors.',
      stability: 'ALPHA',
      optIn: true,
      samples: (p) => [sample(toPromLabels('nodeselector', spec(p).nodeSelector), 1)],
    },
    {
      name: 'kube_pod_service_account',
      help: 'The service account for a pod.',
      stability: 'ALPHA',
      samples: (p) => [sample({ service_account: asString(spec(p).serviceAccountName) }, 1)],
    },
    { name: 'kube_pod_scheduler', help: 'The scheduler for a pod.', stability: 'ALPHA', samples: (p) => [sample({ name: asString(spec(p).schedulerName) }, 1)] },
  ];
})();

function overhead(p: Pod, resource: 'cpu' | 'memory', conv: (q: string) => number): Sample[] {
  const q = spec(p).overhead?.[resource];
  if (typeof q !== 'string') return [];
  try {
    return [sample({}, conv(q))];
  } catch {
    return []; // not a quantity: the sample is left out, the rest of the pod stays
  }
}

const podIdentity = (p: Pod): Labels => ({ namespace: p.metadata.namespace ?? '', pod: p.metadata.name, uid: p.metadata.uid ?? '' });

/**
 * Returns kube-state-metrics' pod families for `pods` (internal/store/pod.go): every family
 * of its default set plus the opt-in kube_pod_nodeselectors when `o.optIn` names it, each
 * sample labelled namespace, pod, uid; HELP/TYPE of all of them once there is a pod.
 */
export const podFamilies = (pods: readonly KubeObject[], o: KsmOptions): MetricFamily[] =>
  buildFamilies(POD_FAMILY_SPECS, pods, podIdentity, o);

/** The pods store (KSM resource `pods`). */
export const podStore: KsmStore = { resource: 'pods', families: podFamilies };
