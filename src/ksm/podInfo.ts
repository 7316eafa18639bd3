import type { RouteAnswer } from '../model/collector';
import type { KubeObject } from './types';

/** One container of a pod in the pod-info answer. */
export interface PodInfoContainer {
  readonly name: string;
  readonly image: string;
  /** status.containerStatuses[].containerID as the kubelet reports it ("containerd://<64 hex>"), "" before it started. */
  readonly containerId: string;
  readonly restartCount: number;
  readonly ready: boolean;
  /** "running", "waiting", "terminated", or "" without a status yet. */
  readonly state: string;
}

/** One pod in the pod-info answer. */
export interface PodInfo {
  readonly name: string;
  readonly namespace: string;
  readonly uid: string;
  readonly phase: string;
  readonly podIP: string;
  readonly hostIP: string;
  readonly nodeName: string;
  readonly labels: Readonly<Record<string, string>>;
  /** The controlling ownerReference (else the first one); "" for a bare pod. */
  readonly ownerKind: string;
  readonly ownerName: string;
  /** The owner resolved one level up: a ReplicaSet's Deployment, a Job's CronJob; else the owner itself; "" for a bare pod. */
  readonly workloadKind: string;
  readonly workloadName: string;
  readonly containers: readonly PodInfoContainer[];
}

/** The body of `GET /v1/ksm/getPodInfoByNodeName?nodeName=NAME` (README, "The pod-info endpoint"). */
export interface PodInfoAnswer {
  readonly nodeName: string;
  readonly pods: readonly PodInfo[];
}

/** The path of the pod-info endpoint on the agent's HTTP server. */
export const POD_INFO_PATH = '/v1/ksm/getPodInfoByNodeName';

/** What the endpoint reads: the informers' caches by "namespace/name" (replicasets and jobs only when those resources are watched). */
export interface PodInfoCaches {
  /** Undefined while the first LIST of pods has not completed. */
  readonly pods?: ReadonlyMap<string, KubeObject>;
  readonly replicasets?: ReadonlyMap<string, KubeObject>;
  readonly jobs?: ReadonlyMap<string, KubeObject>;
}

type Owner = NonNullable<KubeObject['metadata']['ownerReferences']>[number];

/** Returns the controlling ownerReference of an object (controller: true), else its first one. */
export const ownerOf = (o: KubeObject | undefined): Owner | undefined => {
  const refs = o?.metadata.ownerReferences ?? [];
  return refs.find((r) => r.controller === true) ?? refs[0];
};

const str = (v: unknown): string => (typeof v === 'string' ? v : '');

/**
 * Returns the workload of a pod's owner: a ReplicaSet's controlling Deployment and a Job's
 * controlling CronJob (from the replicasets and jobs caches; without the replicasets cache, a
 * ReplicaSet named "<deployment>-<the pod's pod-template-hash label>" gives the Deployment, as
 * the Deployment controller names them), else the owner itself.
 */
export function workloadOf(pod: KubeObject, owner: Owner | undefined, c: PodInfoCaches): { kind: string; name: string } {
  if (!owner) return { kind: '', name: '' };
  const ns = pod.metadata.namespace ?? '';
  const up = (cache: ReadonlyMap<string, KubeObject> | undefined, kind: string): Owner | undefined => {
    const parent = ownerOf(cache?.get(`${ns}/${owner.name}`));
    return parent?.kind === kind ? parent : undefined;
  };
  if (owner.kind === 'ReplicaSet') {
    const d = up(c.replicasets, 'Deployment');
    if (d) return { kind: d.kind, name: d.name };
    const hash = pod.metadata.labels?.['pod-template-hash'];
    if (!c.replicasets && hash && owner.name.endsWith(`-${hash}`)) return { kind: 'Deployment', name: owner.name.slice(0, -hash.length - 1) };
  }
  if (owner.kind === 'Job') {
    const cj = up(c.jobs, 'CronJob');
    if (cj) return { kind: cj.kind, name: cj.name };
  }
  return { kind: owner.kind, name: owner.name };
}

const stateOf = (s: unknown): string => {
  const st = (s ?? {}) as Record<string, unknown>;
  return st.running ? 'running' : st.waiting ? 'waiting' : st.terminated ? 'terminated' : '';
};

/** Returns the pod-info entry of one pod (fields absent in the object are "" / 0 / false). */
export function podInfoOf(pod: KubeObject, c: PodInfoCaches): PodInfo {
  const owner = ownerOf(pod);
  const w = workloadOf(pod, owner, c);
  const statuses = new Map<string, Record<string, unknown>>(
    (Array.isArray(pod.status?.containerStatuses) ? (pod.status.containerStatuses as Record<string, unknown>[]) : []).map((s) => [str(s.name), s]),
  );
  const containers = (Array.isArray(pod.spec?.containers) ? (pod.spec.containers as Record<string, unknown>[]) : []).map((ct): PodInfoContainer => {
    const s = statuses.get(str(ct.name));
    return {
      name: str(ct.name),
      image: str(ct.image),
      containerId: str(s?.containerID),
      restartCount: typeof s?.restartCount === 'number' ? s.restartCount : 0,
      ready: s?.ready === true,
      state: stateOf(s?.state),
    };
  });
  return {
    name: pod.metadata.name,
    namespace: pod.metadata.namespace ?? '',
    uid: pod.metadata.uid ?? '',
    phase: str(pod.status?.phase),
    podIP: str(pod.status?.podIP),
    hostIP: str(pod.status?.hostIP),
    nodeName: str(pod.spec?.nodeName),
    labels: pod.metadata.labels ?? {},
    ownerKind: owner?.kind ?? '',
    ownerName: owner?.name ?? '',
    workloadKind: w.kind,
    workloadName: w.name,
    containers,
  };
}

/** Returns the pods scheduled on `nodeName` (spec.nodeName), sorted by namespace and name. */
export function podsOnNode(nodeName: string, c: PodInfoCaches): PodInfo[] {
  const out: PodInfo[] = [];
  for (const [, pod] of c.pods ?? []) if (pod.spec?.nodeName === nodeName) out.push(podInfoOf(pod, c));
  return out.sort((a, b) => (a.namespace === b.namespace ? (a.name < b.name ? -1 : 1) : a.namespace < b.namespace ? -1 : 1));
}

/** Seconds a client is asked to wait (Retry-After) before the first LIST of pods has completed. */
export const POD_INFO_RETRY_AFTER_S = 5;

const json = (status: number, body: unknown, headers: Record<string, string> = {}): RouteAnswer => ({
  status,
  headers: { 'Content-Type': 'application/json', ...headers },
  body: `${JSON.stringify(body)}\n`,
});

/**
 * Returns the answer to `GET /v1/ksm/getPodInfoByNodeName?nodeName=NAME`: 400 with
 * `{"error": …}` without a nodeName, 503 with Retry-After and `{"error": …}` before the first
 * LIST of pods has completed, else 200 with a PodInfoAnswer (`"pods": []` for a node without
 * pods or unknown).
 */
export function podInfoAnswer(query: URLSearchParams, c: PodInfoCaches): RouteAnswer {
  const nodeName = query.get('nodeName');
  if (!nodeName) return json(400, { error: 'missing query parameter nodeName' });
  if (!c.pods) return json(503, { error: 'the pod cache is not synced yet (first LIST of pods in progress)' }, { 'Retry-After': String(POD_INFO_RETRY_AFTER_S) });
  const answer: PodInfoAnswer = { nodeName, pods: podsOnNode(nodeName, c) };
  return json(200, answer);
}
