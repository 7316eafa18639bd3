import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { encodeText } from '../../src/encode/text';
import { parseAllowlist, parseOptInList } from '../../src/ksm/common';
import { namespaceStore } from '../../src/ksm/stores/namespace';
import { nodeStore } from '../../src/ksm/stores/node';
import { ipFamily, podStore, POD_FAMILY_SPECS } from '../../src/ksm/stores/pod';
import type { KsmOptions, KsmStore, KubeObject } from '../../src/ksm/types';
import { expectGolden, fixture } from '../support/paths';

// Golden tests of the pod, node and namespace stores: the objects of fixtures/ksm/*.json
// rendered with the text encoder against fixtures/ksm/golden/*.prom (UPDATE_GOLDEN=1
// rewrites them). fixtures/ksm/README.md says which kube-state-metrics test case each
// object mirrors and how the goldens were checked against KSM's expectations.

const items = (file: string): KubeObject[] => (JSON.parse(readFileSync(fixture('ksm', file), 'utf8')) as { items: KubeObject[] }).items;

const options = (labels = '', annotations = '', optIn = ''): KsmOptions => ({
  labelsAllowlist: parseAllowlist(labels),
  annotationsAllowlist: parseAllowlist(annotations, '--metric-annotations-allowlist'),
  optIn: parseOptInList(optIn),
  now: () => 1_700_000_000_000,
});

const DEFAULTS = options();
const ALLOWLISTED = options(
  'pods=[app,app.kubernetes.io/*],nodes=[team,missing],namespaces=[*]',
  'pods=[prometheus.io/scrape,owner],nodes=[*],namespaces=[app]',
  'kube_pod_nodeselectors',
);

const golden = (name: string, text: string) => expectGolden(join('..', 'ksm', 'golden', name), text);

describe.each<[string, KsmStore]>([
  ['pods', podStore],
  ['nodes', nodeStore],
  ['namespaces', namespaceStore],
])('%s store', (resource, store) => {
  const objects = items(`${resource}.json`);

  it('matches its golden exposition with the default options', () => {
    golden(`${resource}.prom`, encodeText(store.families(objects, DEFAULTS)));
  });

  it('matches its golden exposition with allow-listed labels, annotations and opt-ins', () => {
    golden(`${resource}-allowlisted.prom`, encodeText(store.families(objects, ALLOWLISTED)));
  });

  it('writes no family at all without objects, and HELP/TYPE for every family with one', () => {
    expect(store.families([], DEFAULTS)).toEqual([]);
    const fams = store.families(objects.slice(-1), DEFAULTS);
    const text = encodeText(fams);
    for (const f of fams) {
      expect(text).toContain(`# HELP ${f.name} `);
      expect(text).toContain(`# TYPE ${f.name} ${f.type}\n`);
    }
  });

  it('puts the object identity labels on every sample', () => {
    const id = resource === 'pods' ? ['namespace', 'pod', 'uid'] : resource === 'nodes' ? ['node'] : ['namespace'];
    for (const f of store.families(objects, ALLOWLISTED)) for (const s of f.samples) for (const l of id) expect(s.labels).toHaveProperty(l);
  });
});

describe('pod store', () => {
  it.each([
    ['1.2.3.4', '4'],
    ['::ffff:1.2.3.4', '4'], // IPv4-mapped: Go's netip Unmap makes it 4
    ['::ffff:0102:0304', '4'],
    ['fc00:1234:5678:90ab:cdef:cafe:f00d:d00d', '6'],
    ['fe80::1%eth0', '6'],
    ['01.2.3.4', undefined], // netip refuses leading zeros
    ['not-an-ip', undefined],
    ['', undefined],
  ])('gives %j the IP family %s (kube_pod_ips)', (ip, family) => expect(ipFamily(ip)).toBe(family));

  it('emits kube_pod_nodeselectors only when the opt-in list matches it', () => {
    const pods = items('pods.json');
    const names = (o: KsmOptions) => podStore.families(pods, o).map((f) => f.name);
    expect(names(DEFAULTS)).not.toContain('kube_pod_nodeselectors');
    expect(names(options('', '', 'kube_pod_node.*'))).toContain('kube_pod_nodeselectors');
    expect(names(DEFAULTS)).toHaveLength(POD_FAMILY_SPECS.length - 1);
  });

  it("treats Go's zero time as KSM does: absent where KSM checks IsZero, written where it only checks nil", () => {
    const zero = '0001-01-01T00:00:00Z';
    const pod: KubeObject = {
      metadata: { name: 'p', namespace: 'n', uid: 'u', creationTimestamp: zero, deletionTimestamp: zero },
      status: { startTime: zero, containerStatuses: [{ name: 'c', state: { running: {} } }] },
    };
    const values = (name: string) => podStore.families([pod], DEFAULTS).find((f) => f.name === name)?.samples.map((s) => s.value);
    expect(values('kube_pod_created')).toEqual([]);
    expect(values('kube_pod_deletion_timestamp')).toEqual([]);
    expect(values('kube_pod_start_time')).toEqual([-62135596800]);
    expect(values('kube_pod_container_state_started')).toEqual([-62135596800]); // running without startedAt
  });

  it('leaves out a garbled quantity and keeps the rest of the pod', () => {
    const pod: KubeObject = {
      metadata: { name: 'p', namespace: 'n', uid: 'u' },
      spec: { containers: [{ name: 'c', resources: { requests: { cpu: 'lots', memory: '1Ki' } } }], overhead: { cpu: '??' } },
    };
    const fams = podStore.families([pod], DEFAULTS);
    const requests = fams.find((f) => f.name === 'kube_pod_container_resource_requests');
    expect(requests?.samples).toEqual([
      { labels: { namespace: 'n', pod: 'p', uid: 'u', container: 'c', node: '', resource: 'memory', unit: 'byte' }, value: 1024 },
    ]);
    expect(fams.find((f) => f.name === 'kube_pod_overhead_cpu_cores')?.samples).toEqual([]);
    expect(fams.find((f) => f.name === 'kube_pod_info')?.samples).toHaveLength(1);
  });
});
