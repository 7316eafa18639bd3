import { serviceStore } from '../../src/ksm/stores/service';
import { ksmOptions, storeSuite, type UpstreamCase } from './storeSupport';

// Expectations of kube-state-metrics' internal/store/service_test.go (TestServiceStore),
// case by case, for the same objects in fixtures/ksm/services.json; each case checks the
// families upstream's MetricNames lists, with the allowlists upstream gives it.
const CASES: readonly UpstreamCase[] = [
  {
    name: 'test-service1',
    families: [
      'kube_service_annotations',
      'kube_service_created',
      'kube_service_info',
      'kube_service_labels',
      'kube_service_spec_type',
    ],
    want: `
      kube_service_created{namespace="default",service="test-service1",uid="uid1"} 1.5e+09
      kube_service_info{cluster_ip="1.2.3.4",external_name="",external_traffic_policy="",load_balancer_ip="",namespace="default",service="test-service1",uid="uid1"} 1
      kube_service_spec_type{namespace="default",service="test-service1",type="ClusterIP",uid="uid1"} 1
    `,
  },
  {
    name: 'test-service2',
    want: `
      kube_service_created{namespace="default",service="test-service2",uid="uid2"} 1.5e+09
      kube_service_info{cluster_ip="1.2.3.5",external_name="",external_traffic_policy="",load_balancer_ip="",namespace="default",service="test-service2",uid="uid2"} 1
      kube_service_spec_type{namespace="default",service="test-service2",uid="uid2",type="NodePort"} 1
    `,
  },
  {
    name: 'test-service3',
    want: `
      kube_service_created{namespace="default",service="test-service3",uid="uid3"} 1.5e+09
      kube_service_info{cluster_ip="1.2.3.6",external_name="",external_traffic_policy="",load_balancer_ip="1.2.3.7",namespace="default",service="test-service3",uid="uid3"} 1
      kube_service_spec_type{namespace="default",service="test-service3",type="LoadBalancer",uid="uid3"} 1
    `,
  },
  {
    name: 'test-service4',
    want: `
      kube_service_created{namespace="default",service="test-service4",uid="uid4"} 1.5e+09
      kube_service_info{cluster_ip="",external_name="www.example.com",external_traffic_policy="",load_balancer_ip="",namespace="default",service="test-service4",uid="uid4"} 1
      kube_service_spec_type{namespace="default",service="test-service4",uid="uid4",type="ExternalName"} 1
    `,
  },
  {
    name: 'test-service5',
    want: `
      kube_service_created{namespace="default",service="test-service5",uid="uid5"} 1.5e+09
      kube_service_info{cluster_ip="",external_name="",external_traffic_policy="",load_balancer_ip="",namespace="default",service="test-service5",uid="uid5"} 1
      kube_service_spec_type{namespace="default",service="test-service5",type="LoadBalancer",uid="uid5"} 1
      kube_service_status_load_balancer_ingress{hostname="www.example.com",ip="1.2.3.8",namespace="default",service="test-service5",uid="uid5"} 1
    `,
  },
  {
    name: 'test-service6',
    want: `
      kube_service_created{namespace="default",service="test-service6",uid="uid6"} 1.5e+09
      kube_service_info{cluster_ip="",external_name="",external_traffic_policy="",load_balancer_ip="",namespace="default",service="test-service6",uid="uid6"} 1
      kube_service_spec_type{namespace="default",service="test-service6",uid="uid6",type="ClusterIP"} 1
      kube_service_spec_external_ip{external_ip="1.2.3.9",namespace="default",service="test-service6",uid="uid6"} 1
      kube_service_spec_external_ip{external_ip="1.2.3.10",namespace="default",service="test-service6",uid="uid6"} 1
    `,
  },
  {
    name: 'test-service7',
    want: `
      kube_service_created{namespace="default",service="test-service7",uid="uid7"} 1.5e+09
      kube_service_info{cluster_ip="1.2.3.11",external_name="",external_traffic_policy="Cluster",load_balancer_ip="",namespace="default",service="test-service7",uid="uid7"} 1
      kube_service_spec_type{namespace="default",service="test-service7",uid="uid7",type="ClusterIP"} 1
    `,
  },
  {
    name: 'test-service8',
    want: `
      kube_service_created{namespace="default",service="test-service8",uid="uid8"} 1.5e+09
      kube_service_info{cluster_ip="1.2.3.12",external_name="",external_traffic_policy="Local",load_balancer_ip="1.2.3.13",namespace="default",service="test-service8",uid="uid8"} 1
      kube_service_spec_type{namespace="default",service="test-service8",uid="uid8",type="LoadBalancer"} 1
    `,
  },
  {
    name: 'test-service9',
    families: ['kube_service_deletion_timestamp'],
    want: `
      kube_service_deletion_timestamp{namespace="default",service="test-service9",uid="uid9"} 1.8e+09
    `,
  },
];

// The HELP and TYPE lines upstream's metric generator writes for every service family.
const UPSTREAM_HEADERS = `
# HELP kube_service_info [STABLE] Information about service.
# TYPE kube_service_info gauge
# HELP kube_service_created [STABLE] Unix creation timestamp
# TYPE kube_service_created gauge
# HELP kube_service_spec_type [STABLE] Type about service.
# TYPE kube_service_spec_type gauge
# HELP kube_service_annotations Kubernetes annotations converted to Prometheus labels.
# TYPE kube_service_annotations gauge
# HELP kube_service_labels [STABLE] Kubernetes labels converted to Prometheus labels.
# TYPE kube_service_labels gauge
# HELP kube_service_spec_external_ip [STABLE] Service external ips. One series for each ip
# TYPE kube_service_spec_external_ip gauge
# HELP kube_service_status_load_balancer_ingress [STABLE] Service load balancer ingress status
# TYPE kube_service_status_load_balancer_ingress gauge
# HELP kube_service_deletion_timestamp Unix deletion timestamp
# TYPE kube_service_deletion_timestamp gauge
`;

describe('service store', () => {
  storeSuite(
    serviceStore,
    'service',
    ksmOptions({
      labelsAllowlist: new Map([['services', '*']]),
      annotationsAllowlist: new Map([['services', ['service.beta.kubernetes.io/*']]]),
    }),
    CASES,
    UPSTREAM_HEADERS,
  );
});
