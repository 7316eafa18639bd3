import type { MetricFamily } from '../model/family';

/**
 * The metadata every Kubernetes object carries (k8s.io/apimachinery ObjectMeta), as the API
 * server serves it in JSON: times are RFC 3339 strings, labels and annotations string maps.
 */
export interface ObjectMeta {
  readonly name: string;
  readonly namespace?: string;
  readonly uid?: string;
  readonly resourceVersion?: string;
  readonly generation?: number;
  readonly creationTimestamp?: string;
  readonly deletionTimestamp?: string;
  readonly labels?: Readonly<Record<string, string>>;
  readonly annotations?: Readonly<Record<string, string>>;
  readonly ownerReferences?: readonly {
    readonly apiVersion?: string;
    readonly kind: string;
    readonly name: string;
    readonly uid?: string;
    readonly controller?: boolean;
  }[];
}

/**
 * A Kubernetes object as decoded from the API's JSON: `spec` and `status` are read by each
 * resource's store with the shapes of k8s.io/api (absent fields stay absent: a pointer field
 * that is nil in Go is missing here, which is not the same as 0).
 */
export interface KubeObject {
  readonly apiVersion?: string;
  readonly kind?: string;
  readonly metadata: ObjectMeta;
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  readonly spec?: any;
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  readonly status?: any;
}

/**
 * The resources of kube-state-metrics' default `--resources` that rxporter serves, by KSM's
 * names (internal/store/builder.go).
 */
export const KSM_RESOURCES = [
  'cronjobs',
  'daemonsets',
  'deployments',
  'jobs',
  'namespaces',
  'nodes',
  'persistentvolumeclaims',
  'pods',
  'replicasets',
  'services',
  'statefulsets',
] as const;

/** One of KSM_RESOURCES. */
export type KsmResource = (typeof KSM_RESOURCES)[number];

/**
 * What shapes a store's output, from the ksm collector's flags (KSM's own flags of the same
 * names): allow-listed Kubernetes labels and annotations per resource (`'*'` = all of them),
 * the opt-in families that are switched on, and the clock for families relative to now.
 */
export interface KsmOptions {
  /** `--metric-labels-allowlist`: resource -> label keys, or '*' for every label. */
  readonly labelsAllowlist: ReadonlyMap<string, readonly string[] | '*'>;
  /** `--metric-annotations-allowlist`: resource -> annotation keys, or '*' for every annotation. */
  readonly annotationsAllowlist: ReadonlyMap<string, readonly string[] | '*'>;
  /** `--metric-opt-in-list`: names of opt-in (experimental) families to emit. */
  readonly optIn: ReadonlySet<string>;
  /** Now, in milliseconds since the epoch (cron next-schedule, ages). */
  readonly now: () => number;
  /** Time zone for cron schedules without spec.timeZone (the process's TZ by default). */
  readonly timeZone?: string;
}

/**
 * The families of one resource kind, as a kube-state-metrics store generates them
 * (internal/store/<kind>.go): every family of the default metric set with its HELP and TYPE,
 * emitted even when it has no samples once `objects` is not empty.
 */
export interface KsmStore {
  readonly resource: KsmResource;
  families(objects: readonly KubeObject[], o: KsmOptions): MetricFamily[];
}
