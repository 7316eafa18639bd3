import { podInfoAnswer, podInfoOf, workloadOf, ownerOf, type PodInfoCaches } from '../../src/ksm/podInfo';
import type { KubeObject } from '../../src/ksm/types';

const owned = (name: string, kind?: string, ownerName?: string, extra: Partial<KubeObject['metadata']> = {}): KubeObject => ({
  metadata: { name, namespace: 'ns', ownerReferences: kind ? [{ kind, name: ownerName!, controller: true }] : undefined, ...extra },
});
const cacheOf = (...objs: KubeObject[]) => new Map(objs.map((o) => [`${o.metadata.namespace}/${o.metadata.name}`, o]));

describe('workloadOf', () => {
  const rs = owned('web-abc', 'Deployment', 'web');
  const job = owned('nightly-1', 'CronJob', 'nightly');
  const caches: PodInfoCaches = { pods: new Map(), replicasets: cacheOf(rs, owned('lone-rs')), jobs: cacheOf(job, owned('lone-job')) };
  it.each([
    ['a ReplicaSet to its Deployment', owned('p', 'ReplicaSet', 'web-abc'), caches, 'Deployment/web'],
    ['a Job to its CronJob', owned('p', 'Job', 'nightly-1'), caches, 'CronJob/nightly'],
    ['a ReplicaSet without a Deployment to itself', owned('p', 'ReplicaSet', 'lone-rs'), caches, 'ReplicaSet/lone-rs'],
    ['a Job without a CronJob to itself', owned('p', 'Job', 'lone-job'), caches, 'Job/lone-job'],
    ['a StatefulSet to itself', owned('p', 'StatefulSet', 'db'), caches, 'StatefulSet/db'],
    ['a ReplicaSet not in the watched cache to itself', owned('p', 'ReplicaSet', 'gone-xyz', { labels: { 'pod-template-hash': 'xyz' } }), caches, 'ReplicaSet/gone-xyz'],
    ['a ReplicaSet by its pod-template-hash when replicasets are not watched', owned('p', 'ReplicaSet', 'api-7f9c', { labels: { 'pod-template-hash': '7f9c' } }), { pods: new Map() }, 'Deployment/api'],
    ['a ReplicaSet whose name lacks the hash to itself', owned('p', 'ReplicaSet', 'api', { labels: { 'pod-template-hash': '7f9c' } }), { pods: new Map() }, 'ReplicaSet/api'],
    ['a bare pod to nothing', owned('p'), caches, '/'],
  ])('resolves %s', (_what, pod, c, want) => {
    const w = workloadOf(pod, ownerOf(pod), c);
    expect(`${w.kind}/${w.name}`).toBe(want);
  });

  it('takes the controlling owner, else the first', () => {
    const refs = [{ kind: 'A', name: 'a' }, { kind: 'B', name: 'b', controller: true }];
    expect(ownerOf({ metadata: { name: 'p', ownerReferences: refs } })?.kind).toBe('B');
    expect(ownerOf({ metadata: { name: 'p', ownerReferences: [refs[0]] } })?.kind).toBe('A');
  });
});

describe('podInfoOf', () => {
  it('lists every container of the spec, with empty status fields before the kubelet reported them', () => {
    const pod: KubeObject = {
      metadata: { name: 'p', namespace: 'ns' },
      spec: { nodeName: 'n1', containers: [{ name: 'a', image: 'a:1' }, { name: 'b', image: 'b:1' }] },
      status: {
        phase: 'Pending',
        containerStatuses: [{ name: 'b', containerID: 'cri-o://b', restartCount: 3, ready: false, state: { waiting: { reason: 'CrashLoopBackOff' } } }],
      },
    };
    expect(podInfoOf(pod, { pods: new Map() })).toEqual({
      name: 'p', namespace: 'ns', uid: '', phase: 'Pending', podIP: '', hostIP: '', nodeName: 'n1', labels: {},
      ownerKind: '', ownerName: '', workloadKind: '', workloadName: '',
      containers: [
        { name: 'a', image: 'a:1', containerId: '', restartCount: 0, ready: false, state: '' },
        { name: 'b', image: 'b:1', containerId: 'cri-o://b', restartCount: 3, ready: false, state: 'waiting' },
      ],
    });
  });
});

describe('podInfoAnswer', () => {
  const pods = cacheOf({ metadata: { name: 'z', namespace: 'b' }, spec: { nodeName: 'n1' } }, { metadata: { name: 'y', namespace: 'a' }, spec: { nodeName: 'n1' } }, { metadata: { name: 'x', namespace: 'a' }, spec: { nodeName: 'n2' } });
  const q = (s: string) => new URLSearchParams(s);
  it('answers the pods of a node sorted by namespace and name', () => {
    const a = podInfoAnswer(q('nodeName=n1'), { pods });
    expect(a.status).toBe(200);
    const body = JSON.parse(a.body) as { nodeName: string; pods: { namespace: string; name: string }[] };
    expect(body.nodeName).toBe('n1');
    expect(body.pods.map((p) => `${p.namespace}/${p.name}`)).toEqual(['a/y', 'b/z']);
  });
  it('answers [] for an unknown node, 400 without or with an empty nodeName, 503 with Retry-After before the pods are listed', () => {
    expect(JSON.parse(podInfoAnswer(q('nodeName=n9'), { pods }).body)).toEqual({ nodeName: 'n9', pods: [] });
    for (const s of ['', 'nodeName=']) expect(podInfoAnswer(q(s), { pods })).toMatchObject({ status: 400, body: '{"error":"missing query parameter nodeName"}\n' });
    expect(podInfoAnswer(q('nodeName=n1'), {})).toMatchObject({ status: 503, headers: { 'Retry-After': '5', 'Content-Type': 'application/json' } });
  });
});
