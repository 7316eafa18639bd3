import { cpSync, mkdtempSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fixture } from './paths';

/** The fixtures/cgroup/v2 pod of CRI-O's container c0ffee…: its directory and uid. */
export const POD_DIR = 'sys/fs/cgroup/kubepods.slice/kubepods-besteffort.slice/kubepods-besteffort-pod7a6b5c4d_3e2f_4a1b_9c8d_7e6f5a4b3c2d.slice';
export const POD_UID = '7a6b5c4d-3e2f-4a1b-9c8d-7e6f5a4b3c2d';
/** A containerd container of that pod whose runtime files are absent: only the endpoint can name it. */
export const BARE_ID = 'b0'.repeat(32);

/** The documented answer of GET /v1/ksm/getPodInfoByNodeName for node n1 (README, issue 12's schema). */
export const podInfoAnswer = {
  nodeName: 'n1',
  pods: [
    {
      name: 'batch-7',
      namespace: 'jobs',
      uid: POD_UID,
      phase: 'Running',
      podIP: '10.1.0.7',
      hostIP: '192.168.0.1',
      nodeName: 'n1',
      labels: { app: 'batch' },
      ownerKind: 'Job',
      ownerName: 'batch-28000000',
      workloadKind: 'CronJob',
      workloadName: 'batch',
      containers: [{ name: 'worker', image: 'busybox:1', containerId: `containerd://${BARE_ID}`, restartCount: 0, ready: true, state: 'running' }],
    },
  ],
};

/** A server of the documented schema on 127.0.0.1: the endpoint's URL, the queries it got, and a switch to answer 503. */
export interface PodInfoServer {
  readonly url: string;
  readonly queries: string[];
  up: boolean;
  close(): Promise<void>;
}

/** Starts a PodInfoServer answering podInfoAnswer (or 503 with Retry-After while `up` is false). */
export async function startPodInfoServer(): Promise<PodInfoServer> {
  const queries: string[] = [];
  const state = { up: true };
  const server: Server = createServer((req, res) => {
    queries.push(req.url ?? '');
    if (!state.up) res.writeHead(503, { 'retry-after': '1' }).end('{"error":"not synced"}');
    else res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify(podInfoAnswer));
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  return {
    url: `http://127.0.0.1:${(server.address() as { port: number }).port}/v1/ksm/getPodInfoByNodeName`,
    queries,
    get up() {
      return state.up;
    },
    set up(v: boolean) {
      state.up = v;
    },
    close: () => new Promise((r) => server.close(() => r())),
  };
}

/** Returns a scratch copy of fixtures/cgroup/v2 (its root) with a containerd container BARE_ID added to the pod of POD_DIR. */
export function podInfoCgroupTree(): string {
  const root = join(mkdtempSync(join(tmpdir(), 'rxp-podinfo-')), 'v2');
  cpSync(fixture('cgroup', 'v2'), root, { recursive: true, verbatimSymlinks: true });
  cpSync(join(root, POD_DIR, `crio-${'c0ffee00'.repeat(8)}.scope`), join(root, POD_DIR, `cri-containerd-${BARE_ID}.scope`), { recursive: true });
  return root;
}
