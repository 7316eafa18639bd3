import { classifyCgroup, podUidOf } from '../../src/cgroup/classify';

const ID = '0123456789abcdef'.repeat(4);
const UID = '1f2e3d4c-5b6a-4978-8695-a4b3c2d1e0f9';
const UID_ = UID.replace(/-/g, '_');

describe('classifyCgroup', () => {
  it.each([
    ['docker, cgroupfs driver', `/docker/${ID}`, undefined, { kind: 'container', runtime: 'docker', id: ID }],
    ['docker, systemd driver', `/system.slice/docker-${ID}.scope`, undefined, { kind: 'container', runtime: 'docker', id: ID }],
    ['containerd in a pod, systemd driver', `/kubepods.slice/kubepods-burstable.slice/kubepods-burstable-pod${UID_}.slice/cri-containerd-${ID}.scope`, UID, { kind: 'container', runtime: 'containerd', id: ID, podUid: UID }],
    ['CRI-O in a pod, systemd driver', `/kubepods.slice/kubepods-pod${UID_}.slice/crio-${ID}.scope`, UID, { kind: 'container', runtime: 'crio', id: ID, podUid: UID }],
    ['CRI-O in a pod, cgroupfs driver', `/kubepods/besteffort/pod${UID}/crio-${ID}`, UID, { kind: 'container', runtime: 'crio', id: ID, podUid: UID }],
    ['a pod container, cgroupfs driver (runtime not in the name)', `/kubepods/burstable/pod${UID}/${ID}`, UID, { kind: 'container', runtime: '', id: ID, podUid: UID }],
    ['containerd without Kubernetes (nerdctl, cgroupfs)', `/default/${ID}`, undefined, { kind: 'container', runtime: 'containerd', id: ID }],
    ['podman, systemd driver', `/machine.slice/libpod-${ID}.scope`, undefined, { kind: 'container', runtime: 'podman', id: ID }],
    ['a burstable pod, cgroupfs driver', `/kubepods/burstable/pod${UID}`, undefined, { kind: 'pod', runtime: '', id: '', podUid: UID }],
    ['a guaranteed pod, systemd driver', `/kubepods.slice/kubepods-pod${UID_}.slice`, undefined, { kind: 'pod', runtime: '', id: '', podUid: UID }],
  ])('recognises %s', (_n, path, podUid, want) => {
    expect(classifyCgroup(path, podUid)).toEqual({ path, ...want });
  });

  it.each([
    ['a QoS class slice', '/kubepods.slice/kubepods-burstable.slice'],
    ['the kubepods root', '/kubepods'],
    ["CRI-O's conmon scope", `/kubepods.slice/kubepods-pod${UID_}.slice/crio-conmon-${ID}.scope`],
    ['a systemd service', '/system.slice/docker.service'],
    ['a 32-hex name', '/process_api/fd5c8873c5bf4ab10124a16d1a98f61b'],
    ['an id with upper case', `/docker/${ID.toUpperCase()}`],
    ['a "pod" outside kubepods', `/user.slice/pod${UID}`],
  ])('ignores %s', (_n, path) => {
    expect(classifyCgroup(path)).toBeUndefined();
  });

  it('reads pod uids from both drivers', () => {
    expect(podUidOf(`pod${UID}`)).toBe(UID);
    expect(podUidOf(`kubepods-besteffort-pod${UID_}.slice`)).toBe(UID);
    expect(podUidOf('kubepods-besteffort.slice')).toBeUndefined();
  });
});
