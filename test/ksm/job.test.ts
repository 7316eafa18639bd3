import { jobStore } from '../../src/ksm/stores/job';
import { ksmOptions, storeSuite, type UpstreamCase } from './storeSupport';

// Expectations of kube-state-metrics' internal/store/job_test.go (TestJobStore),
// case by case, for the same objects in fixtures/ksm/jobs.json; each case checks the
// families upstream's MetricNames lists, with the allowlists upstream gives it.
const CASES: readonly UpstreamCase[] = [
  {
    name: 'RunningJob1',
    want: `
      kube_job_owner{job_name="RunningJob1",namespace="ns1",owner_is_controller="true",owner_kind="CronJob",owner_name="cronjob-name"} 1
      kube_job_created{job_name="RunningJob1",namespace="ns1"} 1.5e+09
      kube_job_info{job_name="RunningJob1",namespace="ns1"} 1
      kube_job_spec_active_deadline_seconds{job_name="RunningJob1",namespace="ns1"} 900
      kube_job_spec_completions{job_name="RunningJob1",namespace="ns1"} 1
      kube_job_spec_parallelism{job_name="RunningJob1",namespace="ns1"} 1
      kube_job_status_active{job_name="RunningJob1",namespace="ns1"} 1
      kube_job_status_failed{job_name="RunningJob1",namespace="ns1"} 0
      kube_job_status_ready{job_name="RunningJob1",namespace="ns1"} 0
      kube_job_status_start_time{job_name="RunningJob1",namespace="ns1"} 1.495800007e+09
      kube_job_status_succeeded{job_name="RunningJob1",namespace="ns1"} 0
    `,
  },
  {
    name: 'SuccessfulJob1',
    want: `
      kube_job_owner{job_name="SuccessfulJob1",namespace="ns1",owner_is_controller="",owner_kind="",owner_name=""} 1
      kube_job_complete{condition="false",job_name="SuccessfulJob1",namespace="ns1"} 0
      kube_job_complete{condition="true",job_name="SuccessfulJob1",namespace="ns1"} 1
      kube_job_complete{condition="unknown",job_name="SuccessfulJob1",namespace="ns1"} 0
      kube_job_info{job_name="SuccessfulJob1",namespace="ns1"} 1
      kube_job_spec_active_deadline_seconds{job_name="SuccessfulJob1",namespace="ns1"} 900
      kube_job_spec_completions{job_name="SuccessfulJob1",namespace="ns1"} 1
      kube_job_spec_parallelism{job_name="SuccessfulJob1",namespace="ns1"} 1
      kube_job_status_active{job_name="SuccessfulJob1",namespace="ns1"} 0
      kube_job_status_completion_time{job_name="SuccessfulJob1",namespace="ns1"} 1.495803607e+09
      kube_job_status_failed{job_name="SuccessfulJob1",namespace="ns1"} 0
      kube_job_status_ready{job_name="SuccessfulJob1",namespace="ns1"} 0
      kube_job_status_start_time{job_name="SuccessfulJob1",namespace="ns1"} 1.495800007e+09
      kube_job_status_succeeded{job_name="SuccessfulJob1",namespace="ns1"} 1
    `,
  },
  {
    name: 'FailedJob1',
    want: `
      kube_job_owner{job_name="FailedJob1",namespace="ns1",owner_is_controller="",owner_kind="",owner_name=""} 1
      kube_job_failed{condition="false",job_name="FailedJob1",namespace="ns1"} 0
      kube_job_failed{condition="true",job_name="FailedJob1",namespace="ns1"} 1
      kube_job_failed{condition="unknown",job_name="FailedJob1",namespace="ns1"} 0
      kube_job_info{job_name="FailedJob1",namespace="ns1"} 1
      kube_job_spec_active_deadline_seconds{job_name="FailedJob1",namespace="ns1"} 900
      kube_job_spec_completions{job_name="FailedJob1",namespace="ns1"} 1
      kube_job_spec_parallelism{job_name="FailedJob1",namespace="ns1"} 1
      kube_job_status_active{job_name="FailedJob1",namespace="ns1"} 0
      kube_job_status_completion_time{job_name="FailedJob1",namespace="ns1"} 1.495810807e+09
      kube_job_status_failed{job_name="FailedJob1",namespace="ns1",reason="BackoffLimitExceeded"} 1
      kube_job_status_failed{job_name="FailedJob1",namespace="ns1",reason="DeadlineExceeded"} 0
      kube_job_status_failed{job_name="FailedJob1",namespace="ns1",reason="Evicted"} 0
      kube_job_status_ready{job_name="FailedJob1",namespace="ns1"} 0
      kube_job_status_start_time{job_name="FailedJob1",namespace="ns1"} 1.495807207e+09
      kube_job_status_succeeded{job_name="FailedJob1",namespace="ns1"} 0
    `,
  },
  {
    name: 'FailedJobWithNoConditions',
    want: `
      kube_job_owner{job_name="FailedJobWithNoConditions",namespace="ns1",owner_is_controller="",owner_kind="",owner_name=""} 1
      kube_job_info{job_name="FailedJobWithNoConditions",namespace="ns1"} 1
      kube_job_spec_active_deadline_seconds{job_name="FailedJobWithNoConditions",namespace="ns1"} 900
      kube_job_status_active{job_name="FailedJobWithNoConditions",namespace="ns1"} 0
      kube_job_status_failed{job_name="FailedJobWithNoConditions",namespace="ns1",reason=""} 1
      kube_job_status_ready{job_name="FailedJobWithNoConditions",namespace="ns1"} 0
      kube_job_status_succeeded{job_name="FailedJobWithNoConditions",namespace="ns1"} 0
    `,
  },
  {
    name: 'SuccessfulJob2NoActiveDeadlineSeconds',
    want: `
      kube_job_owner{job_name="SuccessfulJob2NoActiveDeadlineSeconds",namespace="ns1",owner_is_controller="",owner_kind="",owner_name=""} 1
      kube_job_complete{condition="false",job_name="SuccessfulJob2NoActiveDeadlineSeconds",namespace="ns1"} 0
      kube_job_complete{condition="true",job_name="SuccessfulJob2NoActiveDeadlineSeconds",namespace="ns1"} 1
      kube_job_complete{condition="unknown",job_name="SuccessfulJob2NoActiveDeadlineSeconds",namespace="ns1"} 0
      kube_job_info{job_name="SuccessfulJob2NoActiveDeadlineSeconds",namespace="ns1"} 1
      kube_job_spec_completions{job_name="SuccessfulJob2NoActiveDeadlineSeconds",namespace="ns1"} 1
      kube_job_spec_parallelism{job_name="SuccessfulJob2NoActiveDeadlineSeconds",namespace="ns1"} 1
      kube_job_status_active{job_name="SuccessfulJob2NoActiveDeadlineSeconds",namespace="ns1"} 0
      kube_job_status_completion_time{job_name="SuccessfulJob2NoActiveDeadlineSeconds",namespace="ns1"} 1.495804207e+09
      kube_job_status_failed{job_name="SuccessfulJob2NoActiveDeadlineSeconds",namespace="ns1"} 0
      kube_job_status_ready{job_name="SuccessfulJob2NoActiveDeadlineSeconds",namespace="ns1"} 0
      kube_job_status_start_time{job_name="SuccessfulJob2NoActiveDeadlineSeconds",namespace="ns1"} 1.495800607e+09
      kube_job_status_succeeded{job_name="SuccessfulJob2NoActiveDeadlineSeconds",namespace="ns1"} 1
    `,
  },
  {
    name: 'SuspendedNoActiveDeadlineSeconds',
    want: `
      kube_job_owner{job_name="SuspendedNoActiveDeadlineSeconds",namespace="ns1",owner_is_controller="",owner_kind="",owner_name=""} 1
      kube_job_info{job_name="SuspendedNoActiveDeadlineSeconds",namespace="ns1"} 1
      kube_job_spec_completions{job_name="SuspendedNoActiveDeadlineSeconds",namespace="ns1"} 1
      kube_job_spec_parallelism{job_name="SuspendedNoActiveDeadlineSeconds",namespace="ns1"} 1
      kube_job_status_active{job_name="SuspendedNoActiveDeadlineSeconds",namespace="ns1"} 0
      kube_job_status_failed{job_name="SuspendedNoActiveDeadlineSeconds",namespace="ns1"} 0
      kube_job_status_ready{job_name="SuspendedNoActiveDeadlineSeconds",namespace="ns1"} 0
      kube_job_status_start_time{job_name="SuspendedNoActiveDeadlineSeconds",namespace="ns1"} 1.495800607e+09
      kube_job_status_succeeded{job_name="SuspendedNoActiveDeadlineSeconds",namespace="ns1"} 0
      kube_job_status_suspended{job_name="SuspendedNoActiveDeadlineSeconds",namespace="ns1"} 1
    `,
  },
  {
    name: 'UnsuspendedNoActiveDeadlineSeconds',
    want: `
      kube_job_owner{job_name="UnsuspendedNoActiveDeadlineSeconds",namespace="ns1",owner_is_controller="",owner_kind="",owner_name=""} 1
      kube_job_info{job_name="UnsuspendedNoActiveDeadlineSeconds",namespace="ns1"} 1
      kube_job_spec_completions{job_name="UnsuspendedNoActiveDeadlineSeconds",namespace="ns1"} 1
      kube_job_spec_parallelism{job_name="UnsuspendedNoActiveDeadlineSeconds",namespace="ns1"} 1
      kube_job_status_active{job_name="UnsuspendedNoActiveDeadlineSeconds",namespace="ns1"} 0
      kube_job_status_failed{job_name="UnsuspendedNoActiveDeadlineSeconds",namespace="ns1"} 0
      kube_job_status_start_time{job_name="UnsuspendedNoActiveDeadlineSeconds",namespace="ns1"} 1.495800607e+09
      kube_job_status_succeeded{job_name="UnsuspendedNoActiveDeadlineSeconds",namespace="ns1"} 0
      kube_job_status_suspended{job_name="UnsuspendedNoActiveDeadlineSeconds",namespace="ns1"} 0
      kube_job_status_ready{job_name="UnsuspendedNoActiveDeadlineSeconds",namespace="ns1"} 0
    `,
  },
  {
    name: 'job-with-ready-pods',
    want: `
      kube_job_owner{job_name="job-with-ready-pods",namespace="ns1",owner_is_controller="",owner_kind="",owner_name=""} 1
      kube_job_info{job_name="job-with-ready-pods",namespace="ns1"} 1
      kube_job_status_active{job_name="job-with-ready-pods",namespace="ns1"} 2
      kube_job_status_failed{job_name="job-with-ready-pods",namespace="ns1"} 0
      kube_job_status_succeeded{job_name="job-with-ready-pods",namespace="ns1"} 0
      kube_job_status_ready{job_name="job-with-ready-pods",namespace="ns1"} 1
    `,
  },
];

// The HELP and TYPE lines upstream's metric generator writes for every job family.
const UPSTREAM_HEADERS = `
# HELP kube_job_annotations Kubernetes annotations converted to Prometheus labels.
# TYPE kube_job_annotations gauge
# HELP kube_job_labels [STABLE] Kubernetes labels converted to Prometheus labels.
# TYPE kube_job_labels gauge
# HELP kube_job_info [STABLE] Information about job.
# TYPE kube_job_info gauge
# HELP kube_job_created [STABLE] Unix creation timestamp
# TYPE kube_job_created gauge
# HELP kube_job_spec_parallelism [STABLE] The maximum desired number of pods the job should run at any given time.
# TYPE kube_job_spec_parallelism gauge
# HELP kube_job_spec_completions [STABLE] The desired number of successfully finished pods the job should be run with.
# TYPE kube_job_spec_completions gauge
# HELP kube_job_spec_active_deadline_seconds [STABLE] The duration in seconds relative to the startTime that the job may be active before the system tries to terminate it.
# TYPE kube_job_spec_active_deadline_seconds gauge
# HELP kube_job_status_succeeded [STABLE] The number of pods which reached Phase Succeeded.
# TYPE kube_job_status_succeeded gauge
# HELP kube_job_status_failed [STABLE] The number of pods which reached Phase Failed and the reason for failure.
# TYPE kube_job_status_failed gauge
# HELP kube_job_status_active [STABLE] The number of actively running pods.
# TYPE kube_job_status_active gauge
# HELP kube_job_status_ready The number of ready pods that belong to this Job.
# TYPE kube_job_status_ready gauge
# HELP kube_job_complete [STABLE] The job has completed its execution.
# TYPE kube_job_complete gauge
# HELP kube_job_failed [STABLE] The job has failed its execution.
# TYPE kube_job_failed gauge
# HELP kube_job_status_start_time [STABLE] StartTime represents time when the job was acknowledged by the Job Manager.
# TYPE kube_job_status_start_time gauge
# HELP kube_job_status_completion_time [STABLE] CompletionTime represents time when the job was completed.
# TYPE kube_job_status_completion_time gauge
# HELP kube_job_status_suspended The number of pods which reached Phase Suspended.
# TYPE kube_job_status_suspended gauge
# HELP kube_job_owner [STABLE] Information about the Job's owner.
# TYPE kube_job_owner gauge
`;

describe('job store', () => {
  storeSuite(
    jobStore,
    'job_name',
    ksmOptions({
      labelsAllowlist: new Map([['jobs', ['app']]]),
      annotationsAllowlist: new Map([['jobs', '*']]),
    }),
    CASES,
    UPSTREAM_HEADERS,
  );
});
