import { RxporterError } from '../errors';
import { readFileText } from '../procfs/read';
import type { Runtime } from './classify';

/**
 * What a runtime's own files tell about a container beyond its cgroup. Every field is
 * optional: rxporter reads files, not runtime APIs, and reports '' (as cAdvisor does without
 * them) for what it cannot read.
 */
export interface ContainerMetadata {
  /** cAdvisor's `name` (its first alias): docker's name without "/", CRI-O's container name. */
  readonly name?: string;
  readonly image?: string;
  /** Kubernetes pod name, namespace and container name (the sandbox is container "POD"). */
  readonly pod?: string;
  readonly namespace?: string;
  readonly container?: string;
  /** False when the container shares another container's network namespace (a pod's non-sandbox container, docker's --network container:…). */
  readonly ownNetwork?: boolean;
  /** Start time from the runtime, seconds since the epoch. */
  readonly startTime?: number;
}

type Json = Record<string, unknown>;
const obj = (v: unknown): Json => (v !== null && typeof v === 'object' && !Array.isArray(v) ? (v as Json) : {});
const str = (v: unknown): string | undefined => (typeof v === 'string' && v !== '' ? v : undefined);

const parseJson = (file: string, text: string): Json => {
  try {
    return obj(JSON.parse(text));
  } catch (e) {
    throw new RxporterError('RXP_PROC_PARSE', `${file}: not JSON: ${(e as Error).message}`, false, { cause: e });
  }
};

/** Returns seconds since the epoch of an RFC 3339 time, or undefined for Go's zero time and garbage. */
const epochSeconds = (t: string | undefined): number | undefined => {
  const ms = t === undefined ? NaN : Date.parse(t);
  return Number.isFinite(ms) && ms > 0 ? Math.floor(ms / 1000) : undefined;
};

/**
 * Returns what docker's `containers/<id>/config.v2.json` and `hostconfig.json` tell:
 * Name, Config.Image, State.StartedAt, the dockershim pod labels (io.kubernetes.pod.name, …)
 * and whether HostConfig.NetworkMode is "container:…".
 * Throws RXP_PROC_PARSE when either file is not JSON.
 */
export function parseDockerConfig(configV2: string, hostConfig: string | undefined): ContainerMetadata {
  const c = parseJson('config.v2.json', configV2);
  const cfg = obj(c.Config);
  const labels = obj(cfg.Labels);
  const mode = hostConfig === undefined ? undefined : str(parseJson('hostconfig.json', hostConfig).NetworkMode);
  const name = str(c.Name);
  return {
    name: name?.replace(/^\//, ''),
    image: str(cfg.Image),
    pod: str(labels['io.kubernetes.pod.name']),
    namespace: str(labels['io.kubernetes.pod.namespace']),
    container: str(labels['io.kubernetes.container.name']),
    ownNetwork: !(mode?.startsWith('container:') ?? false),
    startTime: epochSeconds(str(obj(c.State).StartedAt)),
  };
}

/** The annotation keys of containerd's CRI plugin and of CRI-O, for the fields of ContainerMetadata. */
const OCI_ANNOTATIONS: readonly { type: string; name?: string; image: string; pod: string; namespace: string; container: string }[] = [
  {
    type: 'io.kubernetes.cri.container-type',
    image: 'io.kubernetes.cri.image-name',
    pod: 'io.kubernetes.cri.sandbox-name',
    namespace: 'io.kubernetes.cri.sandbox-namespace',
    container: 'io.kubernetes.cri.container-name',
  },
  {
    type: 'io.kubernetes.cri-o.ContainerType',
    name: 'io.kubernetes.cri-o.Name',
    image: 'io.kubernetes.cri-o.ImageName',
    pod: 'io.kubernetes.pod.name',
    namespace: 'io.kubernetes.pod.namespace',
    container: 'io.kubernetes.container.name',
  },
];

/**
 * Returns what the annotations of an OCI bundle's config.json (runtime-spec config.md) tell,
 * as containerd's CRI plugin (io.kubernetes.cri.*) and CRI-O (io.kubernetes.cri-o.*,
 * io.kubernetes.pod.*) write them. A bundle without Kubernetes annotations gives {}.
 * Throws RXP_PROC_PARSE when the file is not JSON.
 */
export function parseOciConfig(text: string): ContainerMetadata {
  const a = obj(parseJson('config.json', text).annotations);
  for (const k of OCI_ANNOTATIONS) {
    const type = str(a[k.type]);
    if (type === undefined) continue;
    const sandbox = type === 'sandbox';
    return {
      name: k.name === undefined ? undefined : str(a[k.name]),
      image: str(a[k.image]),
      pod: str(a[k.pod]),
      namespace: str(a[k.namespace]),
      container: sandbox ? 'POD' : str(a[k.container]),
      ownNetwork: sandbox,
    };
  }
  return {};
}

/** containerd namespaces whose task bundles are looked for: Kubernetes' CRI, docker's, nerdctl's default. */
const CONTAINERD_NAMESPACES = ['k8s.io', 'moby', 'default'];

const readOptional = (path: string): string | undefined => {
  try {
    return readFileText(path);
  } catch (e) {
    if (e instanceof RxporterError && e.code === 'RXP_PROC_MISSING') return undefined;
    throw e;
  }
};

/**
 * Returns the metadata of container `id` from the runtime's files below `rootPath`
 * (--path.rootfs), or undefined when none is readable: docker's
 * /var/lib/docker/containers/<id>/config.v2.json; containerd's task bundle
 * /run/containerd/io.containerd.runtime.v2.task/<namespace>/<id>/config.json; CRI-O's
 * /run/containers/storage/overlay-containers/<id>/userdata/config.json (or under
 * /var/lib/containers/storage). A runtime unknown from the cgroup name tries them all.
 */
export function readContainerMetadata(rootPath: string, runtime: Runtime, id: string): ContainerMetadata | undefined {
  const root = rootPath === '/' ? '' : rootPath;
  if (runtime === 'docker' || runtime === '') {
    const base = `${root}/var/lib/docker/containers/${id}`;
    const cfg = readOptional(`${base}/config.v2.json`);
    if (cfg !== undefined) return parseDockerConfig(cfg, readOptional(`${base}/hostconfig.json`));
  }
  if (runtime === 'containerd' || runtime === 'docker' || runtime === '') {
    for (const ns of CONTAINERD_NAMESPACES) {
      const cfg = readOptional(`${root}/run/containerd/io.containerd.runtime.v2.task/${ns}/${id}/config.json`);
      if (cfg !== undefined) return parseOciConfig(cfg);
    }
  }
  if (runtime === 'crio' || runtime === '') {
    for (const dir of ['/run/containers/storage', '/var/lib/containers/storage']) {
      const cfg = readOptional(`${root}${dir}/overlay-containers/${id}/userdata/config.json`);
      if (cfg !== undefined) return parseOciConfig(cfg);
    }
  }
  return undefined;
}
