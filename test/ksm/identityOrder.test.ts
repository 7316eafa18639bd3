import { encodeText } from '../../src/encode/text';
import { buildFamilies, identityOrder, type FamilySpec } from '../../src/ksm/common';
import type { KsmOptions, KubeObject } from '../../src/ksm/types';

const o: KsmOptions = { labelsAllowlist: new Map(), annotationsAllowlist: new Map(), optIn: new Set(), now: () => 0 };

describe('identityOrder', () => {
  it('orders ids by label values in label-name order, ties keeping their order', () => {
    const ids = [
      { pod: 'b', namespace: 'x' },
      { pod: 'a', namespace: 'y' },
      { pod: 'a', namespace: 'x' },
      { pod: 'b', namespace: 'x' },
      { pod: 'a-1', namespace: 'x' },
    ];
    expect(identityOrder(ids)).toEqual([2, 4, 0, 3, 1]);
  });

  it('keeps the given order when the ids do not share their label names', () => {
    expect(identityOrder([{ node: 'b' }, { node: 'a', extra: '' }, { node: 'c' }])).toEqual([0, 1, 2]);
    expect(identityOrder([{ node: 'b' }, { name: 'a' }])).toEqual([0, 1]);
    expect(identityOrder([])).toEqual([]);
  });
});

describe('buildFamilies in identity order', () => {
  const spec: FamilySpec = { name: 'kube_x_info', help: 'X.', stability: 'ALPHA', samples: (obj) => [{ labels: { phase: String(obj.status?.phase) }, value: 1 }] };
  const obj = (namespace: string, name: string, phase: string): KubeObject => ({ metadata: { namespace, name }, status: { phase } });
  const identity = (x: KubeObject) => ({ namespace: x.metadata.namespace ?? '', x: x.metadata.name });

  it('emits the objects sorted by their identity labels, the encoding unchanged', () => {
    const objects = [obj('b', 'p2', 'Running'), obj('a', 'p9', 'Pending'), obj('b', 'p1', 'Running')];
    const [f] = buildFamilies([spec], objects, identity, o);
    expect(f.samples.map((s) => `${s.labels.namespace}/${s.labels.x}`)).toEqual(['a/p9', 'b/p1', 'b/p2']);
    expect(encodeText([f])).toBe(encodeText([{ ...f, samples: f.samples.slice().reverse() }]));
  });
});
