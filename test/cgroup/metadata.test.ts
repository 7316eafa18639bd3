import { parseDockerConfig, parseOciConfig } from '../../src/cgroup/metadata';
import { thrownCode } from '../support/edge';

describe('runtime metadata', () => {
  it('reads docker name, image, start time, dockershim pod labels and container network mode', () => {
    const cfg = JSON.stringify({
      Name: '/k8s_api_shop-api_shop_1f2e_0',
      State: { StartedAt: '2026-11-20T10:00:01.5Z' },
      Config: { Image: 'nginx:1.27', Labels: { 'io.kubernetes.pod.name': 'shop-api', 'io.kubernetes.pod.namespace': 'shop', 'io.kubernetes.container.name': 'api' } },
    });
    expect(parseDockerConfig(cfg, JSON.stringify({ NetworkMode: 'container:5b0e' }))).toEqual({
      name: 'k8s_api_shop-api_shop_1f2e_0',
      image: 'nginx:1.27',
      pod: 'shop-api',
      namespace: 'shop',
      container: 'api',
      ownNetwork: false,
      startTime: 1795168801, // whole seconds, as cAdvisor's Unix()
    });
    expect(parseDockerConfig('{"Name":"/web","State":{"StartedAt":"0001-01-01T00:00:00Z"}}', undefined)).toMatchObject({ name: 'web', ownNetwork: true, startTime: undefined });
  });

  it('reads containerd CRI annotations (the sandbox is container "POD" with the network)', () => {
    const a = { 'io.kubernetes.cri.sandbox-name': 'p', 'io.kubernetes.cri.sandbox-namespace': 'ns' };
    expect(parseOciConfig(JSON.stringify({ annotations: { ...a, 'io.kubernetes.cri.container-type': 'sandbox' } }))).toEqual({
      name: undefined,
      image: undefined,
      pod: 'p',
      namespace: 'ns',
      container: 'POD',
      ownNetwork: true,
    });
    expect(
      parseOciConfig(JSON.stringify({ annotations: { ...a, 'io.kubernetes.cri.container-type': 'container', 'io.kubernetes.cri.container-name': 'api', 'io.kubernetes.cri.image-name': 'api:1' } })),
    ).toMatchObject({ container: 'api', image: 'api:1', ownNetwork: false });
  });

  it('reads CRI-O annotations and gives nothing for a bundle without Kubernetes annotations', () => {
    const crio = { 'io.kubernetes.cri-o.ContainerType': 'container', 'io.kubernetes.cri-o.Name': 'k8s_cache', 'io.kubernetes.cri-o.ImageName': 'redis:7', 'io.kubernetes.container.name': 'cache', 'io.kubernetes.pod.name': 'cache-0', 'io.kubernetes.pod.namespace': 'jobs' };
    expect(parseOciConfig(JSON.stringify({ annotations: crio }))).toEqual({ name: 'k8s_cache', image: 'redis:7', pod: 'cache-0', namespace: 'jobs', container: 'cache', ownNetwork: false });
    expect(parseOciConfig('{"ociVersion":"1.1.0"}')).toEqual({});
  });

  it('rejects a file that is not JSON with RXP_PROC_PARSE', () => {
    expect(thrownCode(() => parseOciConfig('{"annotations":'))).toBe('RXP_PROC_PARSE');
    expect(thrownCode(() => parseDockerConfig('{}', 'not json'))).toBe('RXP_PROC_PARSE');
  });
});
