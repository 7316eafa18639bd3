import { readFile } from 'node:fs/promises';
import { dirname, isAbsolute, join, resolve } from 'node:path';
import { RxporterError, parseErrorText } from '../errors';

/**
 * How to reach one Kubernetes API server, resolved from a kubeconfig or the in-cluster
 * service account: what the API client needs and nothing else.
 */
export interface KubeConnection {
  /** Base URL without a trailing slash: https://10.0.0.1:443, http://127.0.0.1:8001. */
  readonly server: string;
  /** The kubeconfig context's namespace, or the service account's; undefined when neither says. */
  readonly namespace?: string;
  /** A fixed bearer token (kubeconfig `token`). */
  readonly token?: string;
  /** A file holding the bearer token, re-read when it changes (kubeconfig `tokenFile`, the service account's rotated token). */
  readonly tokenFile?: string;
  /** PEM CA bundle that signs the server's certificate (else the system's roots). */
  readonly ca?: Buffer;
  /** PEM client certificate and key (TLS client authentication). */
  readonly cert?: Buffer;
  readonly key?: Buffer;
  /** Do not verify the server's certificate (kubeconfig `insecure-skip-tls-verify`). */
  readonly insecureSkipTlsVerify: boolean;
  /** Server name for SNI and certificate verification (kubeconfig `tls-server-name`). */
  readonly tlsServerName?: string;
  /** Where this came from, for logs: "kubeconfig FILE, context NAME" or "in-cluster". */
  readonly source: string;
}

/** Where the service account's token, CA and namespace are mounted in a pod (k8s.io/client-go/rest InClusterConfig). */
export const SERVICE_ACCOUNT_DIR = '/var/run/secrets/kubernetes.io/serviceaccount';

/** Options of loadKubeConnection. */
export interface LoadKubeOptions {
  /** `kube.config`: a kubeconfig file; empty or absent: $KUBECONFIG, else in-cluster. */
  readonly configPath?: string;
  readonly env?: NodeJS.ProcessEnv;
  /** The service account's directory (tests); default SERVICE_ACCOUNT_DIR. */
  readonly serviceAccountDir?: string;
}

const fail = (where: string, what: string): never => {
  throw new RxporterError('RXP_CONFIG', `${where}: ${what}`);
};

const readOr = async (path: string, where: string): Promise<Buffer> => {
  try {
    return await readFile(path);
  } catch (e) {
    return fail(where, `cannot read ${path}: ${(e as NodeJS.ErrnoException).code ?? String(e)}`);
  }
};

/**
 * Returns the connection of `o.configPath`, else of the first file of $KUBECONFIG (a list
 * separated by ':', as kubectl; the files are merged, the first one naming a context, cluster
 * or user wins), else of the in-cluster service account ($KUBERNETES_SERVICE_HOST and _PORT,
 * the token, ca.crt and namespace files). Reads files asynchronously. Throws RXP_CONFIG naming
 * the file, the key and what was expected.
 */
export async function loadKubeConnection(o: LoadKubeOptions = {}): Promise<KubeConnection> {
  const env = o.env ?? process.env;
  const files = o.configPath ? [o.configPath] : (env.KUBECONFIG ?? '').split(':').filter((f) => f !== '');
  if (files.length > 0) {
    const docs = await Promise.all(
      files.map(async (f) => ({ file: f, text: (await readOr(f, `kubeconfig ${f}`)).toString('utf8') })),
    );
    return kubeconfigConnection(docs.map((d) => ({ file: d.file, doc: parseKubeconfigText(d.text, d.file) })));
  }
  return inClusterConnection(env, o.serviceAccountDir ?? SERVICE_ACCOUNT_DIR);
}

/** Returns the in-cluster connection; throws RXP_CONFIG when not in a pod (no KUBERNETES_SERVICE_HOST) or a file is missing. */
export async function inClusterConnection(env: NodeJS.ProcessEnv, dir: string): Promise<KubeConnection> {
  const host = env.KUBERNETES_SERVICE_HOST;
  const port = env.KUBERNETES_SERVICE_PORT;
  if (!host || !port) {
    fail('in-cluster', 'KUBERNETES_SERVICE_HOST and KUBERNETES_SERVICE_PORT are not set: not in a pod; give --kube.config or $KUBECONFIG');
  }
  const where = `in-cluster service account ${dir}`;
  const tokenFile = join(dir, 'token');
  await readOr(tokenFile, where); // present now; re-read by the client when it rotates
  const ca = await readOr(join(dir, 'ca.crt'), where);
  let namespace: string | undefined;
  try {
    namespace = (await readFile(join(dir, 'namespace'), 'utf8')).trim() || undefined;
  } catch {
    namespace = undefined; // optional, as in client-go
  }
  const h = host!.includes(':') ? `[${host}]` : host;
  return { server: `https://${h}:${port}`, namespace, tokenFile, ca, insecureSkipTlsVerify: false, source: 'in-cluster' };
}

/** A parsed kubeconfig document and the file it came from (relative paths in it are relative to that file). */
export interface KubeconfigDoc {
  readonly file: string;
  readonly doc: Record<string, unknown>;
}

/** Returns a kubeconfig's YAML (or JSON) as an object; throws RXP_CONFIG naming the file and the YAML error. */
export function parseKubeconfigText(text: string, file: string): Record<string, unknown> {
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const yaml = require('yaml') as typeof import('yaml');
  let doc: unknown;
  try {
    doc = yaml.parse(text);
  } catch (e) {
    return fail(`kubeconfig ${file}`, `not YAML: ${parseErrorText(e)}`);
  }
  if (doc === null || doc === undefined) return {};
  if (typeof doc !== 'object' || Array.isArray(doc)) return fail(`kubeconfig ${file}`, 'expected a mapping (apiVersion, kind: Config, clusters, contexts, users)');
  return doc as Record<string, unknown>;
}

type Entry = { name: string; body: Record<string, unknown>; file: string };

/** Returns the named entries of a list (`clusters`, `contexts`, `users`) of every document, the first of a name winning. */
function entries(docs: readonly KubeconfigDoc[], list: string, field: string): Map<string, Entry> {
  const out = new Map<string, Entry>();
  for (const { file, doc } of docs) {
    const v = doc[list];
    if (v === undefined || v === null) continue;
    if (!Array.isArray(v)) fail(`kubeconfig ${file}`, `${list}: expected a list`);
    (v as unknown[]).forEach((item, i) => {
      const it = item as Record<string, unknown> | null;
      if (!it || typeof it !== 'object' || typeof it.name !== 'string') fail(`kubeconfig ${file}`, `${list}[${i}].name: expected a string`);
      const body = it![field] ?? {};
      if (typeof body !== 'object' || Array.isArray(body)) fail(`kubeconfig ${file}`, `${list}[${i}].${field}: expected a mapping`);
      if (!out.has(it!.name as string)) out.set(it!.name as string, { name: it!.name as string, body: body as Record<string, unknown>, file });
    });
  }
  return out;
}

const str = (e: Entry, list: string, key: string): string | undefined => {
  const v = e.body[key];
  if (v === undefined || v === null || v === '') return undefined;
  if (typeof v !== 'string') fail(`kubeconfig ${e.file}`, `${list}[name=${e.name}].${key}: expected a string`);
  return v as string;
};

const pathOf = (e: Entry, p: string): string => (isAbsolute(p) ? p : resolve(dirname(e.file), p));

/** Returns `key-data` (base64) decoded, else the file `key` read; undefined when neither is set. */
async function material(e: Entry, list: string, key: string): Promise<Buffer | undefined> {
  const data = str(e, list, `${key}-data`);
  const where = `kubeconfig ${e.file}`;
  if (data !== undefined) {
    const b = Buffer.from(data, 'base64');
    if (b.length === 0 || !/^[A-Za-z0-9+/=\s]+$/.test(data)) fail(where, `${list}[name=${e.name}].${key}-data: expected base64 PEM`);
    return b;
  }
  const file = str(e, list, key);
  return file === undefined ? undefined : readOr(pathOf(e, file), `${where}: ${list}[name=${e.name}].${key}`);
}

/**
 * Returns the connection of the current context of merged kubeconfig documents: its cluster's
 * server, CA and insecure-skip-tls-verify, its user's token, tokenFile and client certificate
 * and key (inline `-data` or files), and its namespace. Throws RXP_CONFIG naming the file and
 * key that is missing or of the wrong type; exec and auth-provider plugins are refused by name.
 */
export async function kubeconfigConnection(docs: readonly KubeconfigDoc[]): Promise<KubeConnection> {
  const first = docs[0];
  const names = docs.map((d) => d.file).join(':');
  const current = docs.map((d) => d.doc['current-context']).find((c) => typeof c === 'string' && c !== '') as string | undefined;
  if (!current) fail(`kubeconfig ${names}`, 'current-context: expected the name of a context (none is set)');
  const ctx = entries(docs, 'contexts', 'context').get(current!);
  if (!ctx) return fail(`kubeconfig ${names}`, `current-context: no context named "${current}" in contexts`);
  const clusterName = str(ctx, 'contexts', 'cluster');
  if (!clusterName) fail(`kubeconfig ${ctx.file}`, `contexts[name=${ctx.name}].context.cluster: expected the name of a cluster`);
  const cluster = entries(docs, 'clusters', 'cluster').get(clusterName!);
  if (!cluster) return fail(`kubeconfig ${ctx.file}`, `contexts[name=${ctx.name}].context.cluster: no cluster named "${clusterName}" in clusters`);
  const server = str(cluster, 'clusters', 'server');
  if (!server || !/^https?:\/\/[^/]+/.test(server)) {
    fail(`kubeconfig ${cluster.file}`, `clusters[name=${cluster.name}].cluster.server: expected an http:// or https:// URL, got ${JSON.stringify(server ?? '')}`);
  }
  const userName = str(ctx, 'contexts', 'user');
  const user = userName ? entries(docs, 'users', 'user').get(userName) : undefined;
  if (userName && !user) fail(`kubeconfig ${ctx.file}`, `contexts[name=${ctx.name}].context.user: no user named "${userName}" in users`);
  for (const plugin of ['exec', 'auth-provider']) {
    if (user && user.body[plugin] !== undefined) fail(`kubeconfig ${user.file}`, `users[name=${user.name}].user.${plugin}: credential plugins are not supported; use a token, tokenFile or client certificate`);
  }
  const skip = cluster.body['insecure-skip-tls-verify'];
  if (skip !== undefined && typeof skip !== 'boolean') fail(`kubeconfig ${cluster.file}`, `clusters[name=${cluster.name}].cluster.insecure-skip-tls-verify: expected true or false`);
  const cert = user ? await material(user, 'users', 'client-certificate') : undefined;
  const key = user ? await material(user, 'users', 'client-key') : undefined;
  if (user && !!cert !== !!key) fail(`kubeconfig ${user.file}`, `users[name=${user.name}].user: client-certificate and client-key go together (one is missing)`);
  const tokenFile = user ? str(user, 'users', 'tokenFile') : undefined;
  return {
    server: server!.replace(/\/+$/, ''),
    namespace: str(ctx, 'contexts', 'namespace'),
    token: user ? str(user, 'users', 'token') : undefined,
    tokenFile: tokenFile && user ? pathOf(user, tokenFile) : undefined,
    ca: await material(cluster, 'clusters', 'certificate-authority'),
    cert,
    key,
    insecureSkipTlsVerify: skip === true,
    tlsServerName: str(cluster, 'clusters', 'tls-server-name'),
    source: `kubeconfig ${first.file}, context ${current}`,
  };
}
