import type { Sample } from '../../model/family';
import {
  asArray,
  asString,
  buildFamilies,
  conditionSamples,
  metadataFamilySpecs,
  sample,
  timeSeconds,
  type FamilySpec,
} from '../common';
import type { KsmStore, KubeObject } from '../types';
import { createdSpec, gaugeSpec, int, namespaced, ownerSpec, ptr } from './objectMeta';

/** The failure reasons KSM reports one by one on kube_job_status_failed (job.go jobFailureReasons). */
const FAILURE_REASONS = ['BackoffLimitExceeded', 'DeadlineExceeded', 'Evicted'] as const;

interface JobCondition {
  readonly type?: unknown;
  readonly status?: unknown;
  readonly reason?: unknown;
}

const conditions = (j: KubeObject): JobCondition[] => asArray(j.status?.conditions) as JobCondition[];

/**
 * Returns KSM's kube_job_status_failed series: one unlabelled 0 while status.failed is 0;
 * else, for each Failed condition, one series per known reason (1 on the condition's own),
 * plus `reason=""` with the failed count when no Failed condition has a known reason.
 */
export function jobFailedSamples(j: KubeObject): Sample[] {
  const failed = int(j.status?.failed);
  if (failed === 0) return [sample({}, 0)];
  const out: Sample[] = [];
  let known = false;
  for (const c of conditions(j)) {
    if (c.type !== 'Failed') continue;
    for (const reason of FAILURE_REASONS) {
      const match = c.reason === reason;
      known ||= match;
      out.push(sample({ reason }, match ? 1 : 0));
    }
  }
  if (!known) out.push(sample({ reason: '' }, failed));
  return out;
}

/** Returns the three `condition` series of every condition of `type` (none without one). */
const conditionOf = (j: KubeObject, type: string): Sample[] =>
  conditions(j).flatMap((c) => (c.type === type ? conditionSamples(c.status, 'condition') : []));

const FAMILIES: readonly FamilySpec[] = [
  ...metadataFamilySpecs('job', 'jobs'),
  gaugeSpec('kube_job_info', 'Information about job.', 'STABLE', () => 1),
  createdSpec('job'),
  gaugeSpec('kube_job_spec_parallelism', 'The maximum desired number of pods the job should run at any given time.', 'STABLE', (j) =>
    ptr(j.spec?.parallelism),
  ),
  gaugeSpec('kube_job_spec_completions', 'The desired number of successfully finished pods the job should be run with.', 'STABLE', (j) =>
    ptr(j.spec?.completions),
  ),
  gaugeSpec(
    'kube_job_spec_active_deadline_seconds',
    'The duration in seconds relative to the startTime that the job may be active before the system tries to terminate it.',
    'STABLE',
    (j) => ptr(j.spec?.activeDeadlineSeconds),
  ),
  gaugeSpec('kube_job_status_succeeded', 'The number of pods which reached Phase Succeeded.', 'STABLE', (j) => int(j.status?.succeeded)),
  {
    name: 'kube_job_status_failed',
    help: 'The number of pods which reached Phase Failed and the reason for failure.',
    stability: 'STABLE',
    samples: jobFailedSamples,
  },
  gaugeSpec('kube_job_status_active', 'The number of actively running pods.', 'STABLE', (j) => int(j.status?.active)),
  gaugeSpec('kube_job_status_ready', 'The number of ready pods that belong to this Job.', 'ALPHA', (j) => int(j.status?.ready)),
  { name: 'kube_job_complete', help: 'The job has completed its execution.', stability: 'STABLE', samples: (j) => conditionOf(j, 'Complete') },
  { name: 'kube_job_failed', help: 'The job has failed its execution.', stability: 'STABLE', samples: (j) => conditionOf(j, 'Failed') },
  gaugeSpec(
    'kube_job_status_start_time',
    'StartTime represents time when the job was acknowledged by the Job Manager.',
    'STABLE',
    (j) => timeSeconds(j.status?.startTime),
  ),
  gaugeSpec('kube_job_status_completion_time', 'CompletionTime represents time when the job was completed.', 'STABLE', (j) =>
    timeSeconds(j.status?.completionTime),
  ),
  {
    name: 'kube_job_status_suspended',
    help: 'The number of pods which reached Phase Suspended.',
    stability: 'ALPHA',
    samples: (j) => conditions(j).flatMap((c) => (c.type === 'Suspended' ? [sample({}, asString(c.status) === 'True' ? 1 : 0)] : [])),
  },
  ownerSpec('job', "Information about the Job's owner.", 'STABLE', true),
];

/**
 * kube-state-metrics' job store (internal/store/job.go): parallelism, completions and
 * deadline (none when unset), pods succeeded, active, ready (0 when unset) and failed with
 * the failure reason of a Failed condition, the Complete and Failed conditions, start and
 * completion times, suspension, owners, labels and annotations. Every series carries
 * `namespace` and `job_name`.
 */
export const jobStore: KsmStore = {
  resource: 'jobs',
  families: (objects, o) => buildFamilies(FAMILIES, objects, namespaced('job_name'), o),
};
