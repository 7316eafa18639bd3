import { MAX_DURATION } from './ranges';
import { dur } from './schema';

const str = (doc: string, def: string, env: string, arg: string) => ({ doc, format: String, default: def, env, arg });

/**
 * Returns the `kube` section of the schema: how the agent reaches the Kubernetes API server
 * (the ksm collector's watches, the Lease of the leader election) and the election itself.
 * Durations of the election are client-go's defaults (k8s.io/client-go/tools/leaderelection).
 */
export function kubeSchema() {
  return {
    kube: {
      config: str(
        'kubeconfig file (its current context, that context\'s namespace); empty: $KUBECONFIG, else the in-cluster service account.',
        '',
        'RXPORTER_KUBE_CONFIG',
        'kube.config',
      ),
      requestTimeout: dur(
        'Timeout of one API request (a LIST page, a Lease read or update); a watch is bounded by its own timeoutSeconds.',
        '30s',
        'RXPORTER_KUBE_REQUEST_TIMEOUT',
        'kube.request-timeout',
        ['100ms', '10m'],
      ),
      leaderElect: {
        doc: 'Elect a leader among replicas with a coordination.k8s.io/v1 Lease: only the leader pushes, a standby collects and serves.',
        format: 'bool',
        default: false,
        env: 'RXPORTER_KUBE_LEADER_ELECT',
        arg: 'kube.leader-elect',
      },
      leaderElection: {
        leaseName: str('Name of the Lease.', 'rxporter', 'RXPORTER_KUBE_LEADER_ELECT_LEASE_NAME', 'kube.leader-elect.lease-name'),
        namespace: str(
          'Namespace of the Lease; empty: the kubeconfig context\'s, else $POD_NAMESPACE, else "default".',
          '',
          'RXPORTER_KUBE_LEADER_ELECT_NAMESPACE',
          'kube.leader-elect.namespace',
        ),
        identity: str('Holder identity; empty: $POD_NAME, else host name and pid.', '', 'RXPORTER_KUBE_LEADER_ELECT_IDENTITY', 'kube.leader-elect.identity'),
        leaseDuration: dur(
          'How long a standby waits after the last renewal it saw before it takes the Lease.',
          '15s',
          'RXPORTER_KUBE_LEADER_ELECT_LEASE_DURATION',
          'kube.leader-elect.lease-duration',
          ['1s', MAX_DURATION],
        ),
        renewDeadline: dur(
          'How long the leader keeps trying to renew before it gives up leading (and stops pushing at once).',
          '10s',
          'RXPORTER_KUBE_LEADER_ELECT_RENEW_DEADLINE',
          'kube.leader-elect.renew-deadline',
          ['500ms', MAX_DURATION],
        ),
        retryPeriod: dur(
          'Time between two tries to acquire or renew the Lease.',
          '2s',
          'RXPORTER_KUBE_LEADER_ELECT_RETRY_PERIOD',
          'kube.leader-elect.retry-period',
          ['100ms', MAX_DURATION],
        ),
      },
    },
  };
}
