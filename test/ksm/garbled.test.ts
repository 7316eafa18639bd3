import { cronjobStore } from '../../src/ksm/stores/cronjob';
import { daemonsetStore } from '../../src/ksm/stores/daemonset';
import { deploymentStore } from '../../src/ksm/stores/deployment';
import { jobStore } from '../../src/ksm/stores/job';
import { persistentvolumeclaimStore } from '../../src/ksm/stores/persistentvolumeclaim';
import { replicasetStore } from '../../src/ksm/stores/replicaset';
import { serviceStore } from '../../src/ksm/stores/service';
import { statefulsetStore } from '../../src/ksm/stores/statefulset';
import type { KsmStore, KubeObject } from '../../src/ksm/types';
import { ksmOptions } from './storeSupport';

// Objects the API server would never send (nulls and wrong types where the stores read
// lists, maps, numbers and strings): a store still renders them, with Go's zero values
// or without the series, and never throws, so one bad object cannot cost the collector.
const GARBLED = [null, 'x', 7, [null], [7, 'x', null], { a: null }];

const objectsWith = (v: unknown): KubeObject[] => [
  { metadata: { name: 'g', namespace: 'n', ownerReferences: [] }, spec: v, status: v },
  {
    metadata: { name: 'h', namespace: 'n', creationTimestamp: 'yesterday', resourceVersion: 'x', ownerReferences: v },
    spec: { replicas: v, strategy: { rollingUpdate: v }, schedule: v, timeZone: v, accessModes: v, ordinals: v, resources: { requests: v } },
    status: { conditions: v, active: v, loadBalancer: { ingress: v }, lastScheduleTime: v, failed: 2 },
  } as unknown as KubeObject,
];

describe.each<[string, KsmStore]>([
  ['deployments', deploymentStore],
  ['daemonsets', daemonsetStore],
  ['statefulsets', statefulsetStore],
  ['replicasets', replicasetStore],
  ['jobs', jobStore],
  ['cronjobs', cronjobStore],
  ['services', serviceStore],
  ['persistentvolumeclaims', persistentvolumeclaimStore],
])('%s store on garbled objects', (_, store) => {
  it.each(GARBLED.map((v) => [JSON.stringify(v), v]))('renders %s without throwing', (_s, v) => {
    const families = store.families(objectsWith(v), ksmOptions());
    expect(families.length).toBeGreaterThan(0);
    for (const f of families) for (const s of f.samples) expect(typeof s.value).toBe('number');
  });
});
