/** The container runtimes whose cgroup names rxporter recognises ('' when the name does not tell). */
export type Runtime = 'docker' | 'containerd' | 'crio' | 'podman' | '';

/** A cgroup that holds one container or one Kubernetes pod. */
export interface CgroupEntry {
  /** The cgroup's path below the hierarchy root, with a leading slash: cAdvisor's `id` label. */
  readonly path: string;
  readonly kind: 'container' | 'pod';
  readonly runtime: Runtime;
  /** The container id (64 hex digits); '' for a pod. */
  readonly id: string;
  /** The pod's uid (with dashes) when the cgroup is, or is inside, a kubepods pod cgroup. */
  readonly podUid?: string;
}

const HEX64 = /^[0-9a-f]{64}$/;
/** systemd-driver scope names: "<prefix>-<64 hex>.scope" (runc's systemd cgroup manager). */
const SCOPE_PREFIXES: readonly [string, Runtime][] = [
  ['docker-', 'docker'],
  ['cri-containerd-', 'containerd'],
  ['crio-', 'crio'],
  ['libpod-', 'podman'],
  ['nerdctl-', 'containerd'],
];
/** Parents of a bare 64-hex cgroupfs-driver id that name its runtime. */
const PARENT_RUNTIME: Readonly<Record<string, Runtime>> = { docker: 'docker', 'k8s.io': 'containerd', moby: 'docker', default: 'containerd', libpod_parent: 'podman' };

/**
 * Returns the pod uid of a kubepods pod cgroup name, or undefined: "pod<uid>" (cgroupfs driver)
 * or "kubepods[-<qos>]-pod<uid with _ for ->.slice" (systemd driver), the names the kubelet
 * gives them (pkg/kubelet/cm/cgroup_manager_linux.go).
 *   "pod0b4f…-4e1c-…" → "0b4f…-4e1c-…", "kubepods-burstable-pod0b4f…_4e1c_….slice" → "0b4f…-4e1c-…"
 */
export function podUidOf(segment: string): string | undefined {
  if (segment.startsWith('pod') && segment.length > 3 && !segment.endsWith('.slice')) return segment.slice(3);
  if (segment.startsWith('kubepods') && segment.endsWith('.slice')) {
    const i = segment.lastIndexOf('-pod');
    if (i >= 0) return segment.slice(i + 4, -'.slice'.length).replace(/_/g, '-');
  }
  return undefined;
}

/**
 * Returns the runtime and container id a cgroup name stands for, or undefined:
 * "docker-<id>.scope", "cri-containerd-<id>.scope", "crio-<id>.scope" (with or without
 * ".scope"), "libpod-<id>.scope", "nerdctl-<id>.scope", or a bare "<id>" (cgroupfs driver,
 * runtime told by the parent: /docker, a containerd namespace, or unknown inside a pod).
 */
export function containerOf(segment: string, parent: string): { runtime: Runtime; id: string } | undefined {
  if (HEX64.test(segment)) return { runtime: PARENT_RUNTIME[parent] ?? '', id: segment };
  const base = segment.endsWith('.scope') ? segment.slice(0, -'.scope'.length) : segment;
  for (const [prefix, runtime] of SCOPE_PREFIXES) {
    if (base.startsWith(prefix) && HEX64.test(base.slice(prefix.length))) return { runtime, id: base.slice(prefix.length) };
  }
  return undefined;
}

/**
 * Returns what the cgroup at `path` ("/kubepods/burstable/pod<uid>/<id>") holds: a container,
 * a pod, or undefined for any other cgroup. `podUid` is the uid of the nearest pod ancestor.
 */
export function classifyCgroup(path: string, podUid?: string): CgroupEntry | undefined {
  const slash = path.lastIndexOf('/');
  const segment = path.slice(slash + 1);
  const parentPath = path.slice(0, Math.max(0, slash));
  const parent = parentPath.slice(parentPath.lastIndexOf('/') + 1);
  const c = containerOf(segment, parent);
  if (c) return podUid === undefined ? { path, kind: 'container', ...c } : { path, kind: 'container', ...c, podUid };
  const uid = podUid === undefined && path.includes('/kubepods') ? podUidOf(segment) : undefined;
  if (uid !== undefined) return { path, kind: 'pod', runtime: '', id: '', podUid: uid };
  return undefined;
}
