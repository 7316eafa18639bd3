/**
 * Where a resource kind lives in the Kubernetes REST API: its API group ('' for the core
 * group, served under /api), version, plural (the path segment), kind and whether its objects
 * are namespaced (k8s.io/apimachinery GroupVersionResource; the paths of the API conventions,
 * https://kubernetes.io/docs/reference/using-api/api-concepts/#resource-uris).
 */
export interface ResourceRef {
  readonly group: string;
  readonly version: string;
  readonly plural: string;
  readonly kind: string;
  readonly namespaced: boolean;
}

const core = (plural: string, kind: string, namespaced: boolean): ResourceRef => ({ group: '', version: 'v1', plural, kind, namespaced });
const ns = (group: string, version: string, plural: string, kind: string): ResourceRef => ({ group, version, plural, kind, namespaced: true });

/** The resources rxporter reads or writes, by plural: KSM's default resources and the Lease of the leader election. */
export const KUBE_RESOURCES = {
  pods: core('pods', 'Pod', true),
  nodes: core('nodes', 'Node', false),
  namespaces: core('namespaces', 'Namespace', false),
  services: core('services', 'Service', true),
  persistentvolumeclaims: core('persistentvolumeclaims', 'PersistentVolumeClaim', true),
  deployments: ns('apps', 'v1', 'deployments', 'Deployment'),
  daemonsets: ns('apps', 'v1', 'daemonsets', 'DaemonSet'),
  statefulsets: ns('apps', 'v1', 'statefulsets', 'StatefulSet'),
  replicasets: ns('apps', 'v1', 'replicasets', 'ReplicaSet'),
  jobs: ns('batch', 'v1', 'jobs', 'Job'),
  cronjobs: ns('batch', 'v1', 'cronjobs', 'CronJob'),
  leases: ns('coordination.k8s.io', 'v1', 'leases', 'Lease'),
} as const satisfies Record<string, ResourceRef>;

/** A plural of KUBE_RESOURCES. */
export type KubeResourceName = keyof typeof KUBE_RESOURCES;

/** Returns the `apiVersion` of a resource's objects: "v1", "apps/v1", "coordination.k8s.io/v1". */
export const apiVersionOf = (r: ResourceRef): string => (r.group === '' ? r.version : `${r.group}/${r.version}`);

/**
 * Returns the path of a collection or an object: /api/v1/pods (every namespace),
 * /api/v1/namespaces/NS/pods, /apis/apps/v1/namespaces/NS/deployments/NAME, /api/v1/nodes/NAME.
 * `namespace` is ignored for a cluster-scoped resource.
 */
export function resourcePath(r: ResourceRef, namespace?: string, name?: string): string {
  const base = r.group === '' ? `/api/${r.version}` : `/apis/${r.group}/${r.version}`;
  const nsPart = r.namespaced && namespace ? `/namespaces/${encodeURIComponent(namespace)}` : '';
  return `${base}${nsPart}/${r.plural}${name === undefined ? '' : `/${encodeURIComponent(name)}`}`;
}

/** Returns the cache key of an object: "namespace/name", or "name" for a cluster-scoped one (client-go's MetaNamespaceKeyFunc). */
export const objectKey = (m: { readonly namespace?: string; readonly name: string }): string => (m.namespace ? `${m.namespace}/${m.name}` : m.name);
