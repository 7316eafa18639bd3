import type { Sample } from '../../model/family';
import { asArray, asString, boolValue, buildFamilies, conditionSamples, metadataFamilySpecs, type FamilySpec } from '../common';
import type { KsmStore } from '../types';
import {
  createdSpec,
  deletionSpec,
  gaugeSpec,
  generationSpec,
  namespaced,
  ownerSpec,
  ptr,
  single,
  statusSpecs,
} from './objectMeta';

/** Condition reasons KSM keeps as they are (kubernetes pkg/controller/deployment/util); others become "unknown". */
const DEPLOYMENT_REASONS = new Set([
  'ReplicaSetUpdated',
  'ReplicaSetCreateError',
  'NewReplicaSetCreated',
  'FoundNewReplicaSet',
  'NewReplicaSetAvailable',
  'ProgressDeadlineExceeded',
  'DeploymentPaused',
  'DeploymentResumed',
  'MinimumReplicasAvailable',
  'MinimumReplicasUnavailable',
  '',
]);

/**
 * Returns an IntOrString (`10` or `"25%"`) scaled against `total` as
 * k8s.io/apimachinery intstr.GetScaledValueFromIntOrPercent: an int as it is, a percentage
 * of `total` rounded up (`roundUp`) or down; undefined when absent, a string without `%`,
 * or a percentage whose number is not an integer (KSM then omits the sample).
 */
export function scaledIntOrPercent(v: unknown, total: number, roundUp: boolean): number | undefined {
  if (typeof v === 'number') return Number.isInteger(v) ? v : undefined;
  if (typeof v !== 'string' || !v.endsWith('%')) return undefined;
  const digits = v.slice(0, -1);
  if (!/^[+-]?\d+$/.test(digits)) return undefined;
  const scaled = (Number(digits) * total) / 100;
  return roundUp ? Math.ceil(scaled) : Math.floor(scaled);
}

/** Returns KSM's rolling-update sample: needs spec.strategy.rollingUpdate and spec.replicas. */
function rollingUpdate(
  spec: { replicas?: unknown; strategy?: { rollingUpdate?: Record<string, unknown> } } | undefined,
  field: string,
  roundUp: boolean,
): Sample[] {
  const ru = spec?.strategy?.rollingUpdate;
  const replicas = ptr(spec?.replicas);
  if (ru === undefined || ru === null || replicas === undefined) return [];
  return single(scaledIntOrPercent(ru[field], replicas, roundUp));
}

const status = statusSpecs('deployment');

const FAMILIES: readonly FamilySpec[] = [
  ownerSpec('deployment', "Information about the Deployment's owner.", 'ALPHA', false),
  createdSpec('deployment'),
  status('replicas', 'The number of replicas per deployment.', 'replicas'),
  status('replicas_ready', 'The number of ready replicas per deployment.', 'readyReplicas'),
  status('replicas_available', 'The number of available replicas per deployment.', 'availableReplicas'),
  status('replicas_unavailable', 'The number of unavailable replicas per deployment.', 'unavailableReplicas'),
  status('replicas_updated', 'The number of updated replicas per deployment.', 'updatedReplicas'),
  gaugeSpec('kube_deployment_status_terminating_replicas', 'The number of terminating replicas per deployment.', 'ALPHA', (d) =>
    ptr(d.status?.terminatingReplicas),
  ),
  status('observed_generation', 'The generation observed by the deployment controller.', 'observedGeneration'),
  {
    name: 'kube_deployment_status_condition',
    help: 'The current status conditions of a deployment.',
    stability: 'STABLE',
    samples: (d) =>
      asArray(d.status?.conditions).flatMap((c) => {
        const cond = c as { type?: unknown; status?: unknown; reason?: unknown };
        const reason = asString(cond.reason);
        return conditionSamples(cond.status, 'status', { reason: DEPLOYMENT_REASONS.has(reason) ? reason : 'unknown', condition: asString(cond.type) });
      }),
  },
  gaugeSpec('kube_deployment_spec_replicas', 'Number of desired pods for a deployment.', 'STABLE', (d) => ptr(d.spec?.replicas)),
  gaugeSpec(
    'kube_deployment_spec_paused',
    'Whether the deployment is paused and will not be processed by the deployment controller.',
    'STABLE',
    (d) => boolValue(d.spec?.paused),
  ),
  {
    name: 'kube_deployment_spec_strategy_rollingupdate_max_unavailable',
    help: 'Maximum number of unavailable replicas during a rolling update of a deployment.',
    stability: 'STABLE',
    samples: (d) => rollingUpdate(d.spec, 'maxUnavailable', false),
  },
  {
    name: 'kube_deployment_spec_strategy_rollingupdate_max_surge',
    help: 'Maximum number of replicas that can be scheduled above the desired number of replicas during a rolling update of a deployment.',
    stability: 'STABLE',
    samples: (d) => rollingUpdate(d.spec, 'maxSurge', true),
  },
  generationSpec('deployment'),
  deletionSpec('deployment'),
  ...metadataFamilySpecs('deployment', 'deployments'),
];

/**
 * kube-state-metrics' deployment store (internal/store/deployment.go): replicas by state,
 * conditions (reasons outside the controller's own become "unknown"), paused, rolling-update
 * limits with percentages resolved against spec.replicas (max_unavailable rounded down,
 * max_surge up; none without spec.replicas or a rollingUpdate), owners, times, labels and
 * annotations. Every series carries `namespace` and `deployment`.
 */
export const deploymentStore: KsmStore = {
  resource: 'deployments',
  families: (objects, o) => buildFamilies(FAMILIES, objects, namespaced('deployment'), o),
};
