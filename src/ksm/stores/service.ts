import type { Labels } from '../../model/family';
import { asArray, asString, buildFamilies, metadataFamilySpecs, sample, type FamilySpec } from '../common';
import type { KsmStore, KubeObject } from '../types';
import { createdSpec, deletionSpec } from './objectMeta';

interface LoadBalancerIngress {
  readonly ip?: unknown;
  readonly hostname?: unknown;
}

const FAMILIES: readonly FamilySpec[] = [
  {
    name: 'kube_service_info',
    help: 'Information about service.',
    stability: 'STABLE',
    samples: (s) => [
      sample(
        {
          cluster_ip: asString(s.spec?.clusterIP),
          external_name: asString(s.spec?.externalName),
          load_balancer_ip: asString(s.spec?.loadBalancerIP),
          external_traffic_policy: asString(s.spec?.externalTrafficPolicy),
        },
        1,
      ),
    ],
  },
  createdSpec('service'),
  { name: 'kube_service_spec_type', help: 'Type about service.', stability: 'STABLE', samples: (s) => [sample({ type: asString(s.spec?.type) }, 1)] },
  ...metadataFamilySpecs('service', 'services'),
  {
    name: 'kube_service_spec_external_ip',
    help: 'Service external ips. One series for each ip',
    stability: 'STABLE',
    samples: (s) => asArray(s.spec?.externalIPs).map((ip) => sample({ external_ip: asString(ip) }, 1)),
  },
  {
    name: 'kube_service_status_load_balancer_ingress',
    help: 'Service load balancer ingress status',
    stability: 'STABLE',
    samples: (s) =>
      (asArray(s.status?.loadBalancer?.ingress) as LoadBalancerIngress[]).map((i) => sample({ ip: asString(i.ip), hostname: asString(i.hostname) }, 1)),
  },
  deletionSpec('service'),
];

/** Returns a service's identity: namespace, service and uid ('' when unset). */
const serviceIdentity = (s: KubeObject): Labels => ({ namespace: s.metadata.namespace ?? '', service: s.metadata.name, uid: s.metadata.uid ?? '' });

/**
 * kube-state-metrics' service store (internal/store/service.go): cluster IP, external name,
 * load-balancer IP and external traffic policy (each '' when unset), the service type, one
 * series per external IP and per load-balancer ingress (`ip`, `hostname`), times, labels
 * and annotations. Every series carries `namespace`, `service` and `uid`.
 */
export const serviceStore: KsmStore = {
  resource: 'services',
  families: (objects, o) => buildFamilies(FAMILIES, objects, serviceIdentity, o),
};
