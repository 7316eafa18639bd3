import { cronjobStore, nextScheduleSamples, resourceVersionValue } from '../../src/ksm/stores/cronjob';
import { ksmOptions, loadObjects, renderStore, seriesOf, storeSuite, type UpstreamCase } from './storeSupport';

// Expectations of kube-state-metrics' internal/store/cronjob_test.go, case by case, for the
// same objects in fixtures/ksm/cronjobs.json; each case checks the families upstream's
// MetricNames lists, with the allowlists upstream gives it.
// A MetricNames list several upstream cases share.
const FAMILIES_0 = [
  'kube_cronjob_next_schedule_time',
  'kube_cronjob_spec_starting_deadline_seconds',
  'kube_cronjob_status_active',
  'kube_cronjob_metadata_resource_version',
  'kube_cronjob_spec_suspend',
  'kube_cronjob_info',
  'kube_cronjob_created',
  'kube_cronjob_annotations',
  'kube_cronjob_labels',
  'kube_cronjob_status_last_schedule_time',
  'kube_cronjob_spec_successful_job_history_limit',
  'kube_cronjob_spec_failed_job_history_limit',
];

// A MetricNames list several upstream cases share.
const FAMILIES_1 = [
  'kube_cronjob_status_last_successful_time',
  'kube_cronjob_spec_starting_deadline_seconds',
  'kube_cronjob_status_active',
  'kube_cronjob_metadata_resource_version',
  'kube_cronjob_spec_suspend',
  'kube_cronjob_info',
  'kube_cronjob_created',
  'kube_cronjob_labels',
  'kube_cronjob_status_last_schedule_time',
  'kube_cronjob_spec_successful_job_history_limit',
  'kube_cronjob_spec_failed_job_history_limit',
];

// A MetricNames list several upstream cases share.
const FAMILIES_2 = [
  'kube_cronjob_status_last_successful_time',
  'kube_cronjob_next_schedule_time',
  'kube_cronjob_spec_starting_deadline_seconds',
  'kube_cronjob_status_active',
  'kube_cronjob_metadata_resource_version',
  'kube_cronjob_spec_suspend',
  'kube_cronjob_info',
  'kube_cronjob_created',
  'kube_cronjob_labels',
  'kube_cronjob_spec_successful_job_history_limit',
  'kube_cronjob_spec_failed_job_history_limit',
];

// TestCronJobStore. Upstream computes the next runs of schedules without a time zone in the
// machine's zone ("Local"); these tests fix that zone to UTC (ksmOptions), so 0 */6 after
// 04:34:56Z is 06:00Z, and 25 * * * * after 11:04:56Z is 11:25Z. The second SuspendedCronJob1
// (no time zone, a last successful time) lives in cronjobs-upstream-variants.json.
// The MetricNames of TestCronJobStoreScheduleParsing.
const PARSING = ['kube_cronjob_next_schedule_time', 'kube_cronjob_schedule_invalid', 'kube_cronjob_status_last_schedule_time'];

const CASES: readonly UpstreamCase[] = [
  {
    name: 'ActiveRunningCronJobWithTZ1',
    options: ksmOptions({ annotationsAllowlist: new Map([['cronjobs', ['app.k8s.io/owner']]]) }),
    families: FAMILIES_0,
    want: `
      kube_cronjob_info{concurrency_policy="Forbid",cronjob="ActiveRunningCronJobWithTZ1",namespace="ns1",schedule="0 */6 * * *",timezone="Asia/Shanghai"} 1
      kube_cronjob_annotations{annotation_app_k8s_io_owner="@foo",cronjob="ActiveRunningCronJobWithTZ1",namespace="ns1"} 1
      kube_cronjob_spec_failed_job_history_limit{cronjob="ActiveRunningCronJobWithTZ1",namespace="ns1"} 1
      kube_cronjob_spec_starting_deadline_seconds{cronjob="ActiveRunningCronJobWithTZ1",namespace="ns1"} 300
      kube_cronjob_spec_successful_job_history_limit{cronjob="ActiveRunningCronJobWithTZ1",namespace="ns1"} 3
      kube_cronjob_spec_suspend{cronjob="ActiveRunningCronJobWithTZ1",namespace="ns1"} 0
      kube_cronjob_status_active{cronjob="ActiveRunningCronJobWithTZ1",namespace="ns1"} 2
      kube_cronjob_metadata_resource_version{cronjob="ActiveRunningCronJobWithTZ1",namespace="ns1"} 11111
      kube_cronjob_status_last_schedule_time{cronjob="ActiveRunningCronJobWithTZ1",namespace="ns1"} 1.520742896e+09
      kube_cronjob_next_schedule_time{cronjob="ActiveRunningCronJobWithTZ1",namespace="ns1"} 1.5207624e+09
    `,
  },
  {
    name: 'ActiveRunningCronJob1',
    options: ksmOptions({ annotationsAllowlist: new Map([['cronjobs', ['app.k8s.io/owner']]]) }),
    families: FAMILIES_0,
    want: `
      kube_cronjob_info{concurrency_policy="Forbid",cronjob="ActiveRunningCronJob1",namespace="ns1",schedule="0 */6 * * *",timezone="local"} 1
      kube_cronjob_annotations{annotation_app_k8s_io_owner="@foo",cronjob="ActiveRunningCronJob1",namespace="ns1"} 1
      kube_cronjob_spec_failed_job_history_limit{cronjob="ActiveRunningCronJob1",namespace="ns1"} 1
      kube_cronjob_spec_starting_deadline_seconds{cronjob="ActiveRunningCronJob1",namespace="ns1"} 300
      kube_cronjob_spec_successful_job_history_limit{cronjob="ActiveRunningCronJob1",namespace="ns1"} 3
      kube_cronjob_spec_suspend{cronjob="ActiveRunningCronJob1",namespace="ns1"} 0
      kube_cronjob_status_active{cronjob="ActiveRunningCronJob1",namespace="ns1"} 2
      kube_cronjob_metadata_resource_version{cronjob="ActiveRunningCronJob1",namespace="ns1"} 11111
      kube_cronjob_status_last_schedule_time{cronjob="ActiveRunningCronJob1",namespace="ns1"} 1.520742896e+09
      kube_cronjob_next_schedule_time{cronjob="ActiveRunningCronJob1",namespace="ns1"} 1.520748e+09
    `,
  },
  {
    name: 'SuspendedCronJob1',
    families: FAMILIES_1,
    want: `
      kube_cronjob_info{concurrency_policy="Forbid",cronjob="SuspendedCronJob1",namespace="ns1",schedule="0 */3 * * *",timezone="Asia/Shanghai"} 1
      kube_cronjob_spec_failed_job_history_limit{cronjob="SuspendedCronJob1",namespace="ns1"} 1
      kube_cronjob_spec_starting_deadline_seconds{cronjob="SuspendedCronJob1",namespace="ns1"} 300
      kube_cronjob_spec_successful_job_history_limit{cronjob="SuspendedCronJob1",namespace="ns1"} 3
      kube_cronjob_spec_suspend{cronjob="SuspendedCronJob1",namespace="ns1"} 1
      kube_cronjob_status_active{cronjob="SuspendedCronJob1",namespace="ns1"} 0
      kube_cronjob_metadata_resource_version{cronjob="SuspendedCronJob1",namespace="ns1"} 22222
      kube_cronjob_status_last_schedule_time{cronjob="SuspendedCronJob1",namespace="ns1"} 1.520762696e+09
    `,
  },
  {
    name: 'SuspendedCronJob1',
    fixture: 'cronjobs-upstream-variants',
    families: FAMILIES_1,
    want: `
      kube_cronjob_info{concurrency_policy="Forbid",cronjob="SuspendedCronJob1",namespace="ns1",schedule="0 */3 * * *",timezone="local"} 1
      kube_cronjob_spec_failed_job_history_limit{cronjob="SuspendedCronJob1",namespace="ns1"} 1
      kube_cronjob_spec_starting_deadline_seconds{cronjob="SuspendedCronJob1",namespace="ns1"} 300
      kube_cronjob_spec_successful_job_history_limit{cronjob="SuspendedCronJob1",namespace="ns1"} 3
      kube_cronjob_spec_suspend{cronjob="SuspendedCronJob1",namespace="ns1"} 1
      kube_cronjob_status_active{cronjob="SuspendedCronJob1",namespace="ns1"} 0
      kube_cronjob_metadata_resource_version{cronjob="SuspendedCronJob1",namespace="ns1"} 22222
      kube_cronjob_status_last_schedule_time{cronjob="SuspendedCronJob1",namespace="ns1"} 1.520762696e+09
      kube_cronjob_status_last_successful_time{cronjob="SuspendedCronJob1",namespace="ns1"} 1.520762696e+09
    `,
  },
  {
    name: 'ActiveCronJob1NoLastScheduled',
    families: FAMILIES_2,
    want: `
      kube_cronjob_spec_starting_deadline_seconds{cronjob="ActiveCronJob1NoLastScheduled",namespace="ns1"} 300
      kube_cronjob_status_active{cronjob="ActiveCronJob1NoLastScheduled",namespace="ns1"} 0
      kube_cronjob_metadata_resource_version{cronjob="ActiveCronJob1NoLastScheduled",namespace="ns1"} 33333
      kube_cronjob_spec_failed_job_history_limit{cronjob="ActiveCronJob1NoLastScheduled",namespace="ns1"} 1
      kube_cronjob_spec_successful_job_history_limit{cronjob="ActiveCronJob1NoLastScheduled",namespace="ns1"} 3
      kube_cronjob_spec_suspend{cronjob="ActiveCronJob1NoLastScheduled",namespace="ns1"} 0
      kube_cronjob_info{concurrency_policy="Forbid",cronjob="ActiveCronJob1NoLastScheduled",namespace="ns1",schedule="25 * * * *",timezone="local"} 1
      kube_cronjob_created{cronjob="ActiveCronJob1NoLastScheduled",namespace="ns1"} 1.520766296e+09
      kube_cronjob_next_schedule_time{cronjob="ActiveCronJob1NoLastScheduled",namespace="ns1"} 1.5207675e+09
    `,
  },
  {
    name: 'ActiveCronJobNilSuspend',
    families: FAMILIES_2,
    want: `
      kube_cronjob_spec_starting_deadline_seconds{cronjob="ActiveCronJobNilSuspend",namespace="ns1"} 300
      kube_cronjob_status_active{cronjob="ActiveCronJobNilSuspend",namespace="ns1"} 0
      kube_cronjob_metadata_resource_version{cronjob="ActiveCronJobNilSuspend",namespace="ns1"} 44444
      kube_cronjob_spec_failed_job_history_limit{cronjob="ActiveCronJobNilSuspend",namespace="ns1"} 1
      kube_cronjob_spec_successful_job_history_limit{cronjob="ActiveCronJobNilSuspend",namespace="ns1"} 3
      kube_cronjob_spec_suspend{cronjob="ActiveCronJobNilSuspend",namespace="ns1"} 0
      kube_cronjob_info{concurrency_policy="Forbid",cronjob="ActiveCronJobNilSuspend",namespace="ns1",schedule="25 * * * *",timezone="local"} 1
      kube_cronjob_created{cronjob="ActiveCronJobNilSuspend",namespace="ns1"} 1.520766296e+09
      kube_cronjob_next_schedule_time{cronjob="ActiveCronJobNilSuspend",namespace="ns1"} 1.5207675e+09
    `,
  },
  // TestCronJobStoreScheduleParsing (the second UnparseableScheduleCronJob is in the variants file).
  {
    name: 'ValidScheduleCronJob',
    families: PARSING,
    want: `
      kube_cronjob_status_last_schedule_time{cronjob="ValidScheduleCronJob",namespace="ns1"} 1.520742896e+09
      kube_cronjob_next_schedule_time{cronjob="ValidScheduleCronJob",namespace="ns1"} 1.520748e+09
    `,
  },
  {
    name: 'UnparseableScheduleCronJob',
    families: PARSING,
    want: `
      kube_cronjob_status_last_schedule_time{cronjob="UnparseableScheduleCronJob",namespace="ns1"} 1.520742896e+09
      kube_cronjob_schedule_invalid{cronjob="UnparseableScheduleCronJob",namespace="ns1"} 1
    `,
  },
  {
    name: 'UnparseableScheduleCronJob',
    fixture: 'cronjobs-upstream-variants',
    families: PARSING,
    want: `
      kube_cronjob_status_last_schedule_time{cronjob="UnparseableScheduleCronJob",namespace="ns1"} 1.520742896e+09
      kube_cronjob_schedule_invalid{cronjob="UnparseableScheduleCronJob",namespace="ns1"} 1
    `,
  },
  {
    name: 'InvalidTimeZoneCronJob',
    families: PARSING,
    want: `
      kube_cronjob_status_last_schedule_time{cronjob="InvalidTimeZoneCronJob",namespace="ns1"} 1.520742896e+09
      kube_cronjob_schedule_invalid{cronjob="InvalidTimeZoneCronJob",namespace="ns1"} 1
    `,
  },
  {
    name: 'NamedTimeZoneCronJob',
    families: PARSING,
    want: `
      kube_cronjob_status_last_schedule_time{cronjob="NamedTimeZoneCronJob",namespace="ns1"} 1.520742896e+09
      kube_cronjob_next_schedule_time{cronjob="NamedTimeZoneCronJob",namespace="ns1"} 1.5207624e+09
    `,
  },
];

// The HELP and TYPE lines upstream's metric generator writes for every cronjob family.
const UPSTREAM_HEADERS = `
# HELP kube_cronjob_annotations Kubernetes annotations converted to Prometheus labels.
# TYPE kube_cronjob_annotations gauge
# HELP kube_cronjob_labels [STABLE] Kubernetes labels converted to Prometheus labels.
# TYPE kube_cronjob_labels gauge
# HELP kube_cronjob_info [STABLE] Info about cronjob.
# TYPE kube_cronjob_info gauge
# HELP kube_cronjob_created [STABLE] Unix creation timestamp
# TYPE kube_cronjob_created gauge
# HELP kube_cronjob_status_active [STABLE] Active holds pointers to currently running jobs.
# TYPE kube_cronjob_status_active gauge
# HELP kube_cronjob_status_last_schedule_time [STABLE] LastScheduleTime keeps information of when was the last time the job was successfully scheduled.
# TYPE kube_cronjob_status_last_schedule_time gauge
# HELP kube_cronjob_status_last_successful_time [STABLE] LastSuccessfulTime keeps information of when was the last time the job was completed successfully.
# TYPE kube_cronjob_status_last_successful_time gauge
# HELP kube_cronjob_spec_suspend [STABLE] Suspend flag tells the controller to suspend subsequent executions.
# TYPE kube_cronjob_spec_suspend gauge
# HELP kube_cronjob_spec_starting_deadline_seconds [STABLE] Deadline in seconds for starting the job if it misses scheduled time for any reason.
# TYPE kube_cronjob_spec_starting_deadline_seconds gauge
# HELP kube_cronjob_next_schedule_time [STABLE] Next time the cronjob should be scheduled. The time after lastScheduleTime, or after the cron job's creation time if it's never been scheduled. Use this to determine if the job is delayed.
# TYPE kube_cronjob_next_schedule_time gauge
# HELP kube_cronjob_schedule_invalid Emitted with value 1 for cronjobs whose schedule, in its configured timezone, cannot be parsed.
# TYPE kube_cronjob_schedule_invalid gauge
# HELP kube_cronjob_metadata_resource_version [STABLE] Resource version representing a specific version of the cronjob.
# TYPE kube_cronjob_metadata_resource_version gauge
# HELP kube_cronjob_spec_successful_job_history_limit Successful job history limit tells the controller how many completed jobs should be preserved.
# TYPE kube_cronjob_spec_successful_job_history_limit gauge
# HELP kube_cronjob_spec_failed_job_history_limit Failed job history limit tells the controller how many failed jobs should be preserved.
# TYPE kube_cronjob_spec_failed_job_history_limit gauge
`;

describe('cronjob store', () => {
  storeSuite(
    cronjobStore,
    'cronjob',
    ksmOptions({
      labelsAllowlist: new Map([['cronjobs', ['app', 'team']]]),
      annotationsAllowlist: new Map([['cronjobs', ['app.k8s.io/owner', 'owner.example.com/*']]]),
    }),
    CASES,
    UPSTREAM_HEADERS,
  );

  const byName = (name: string) => {
    const obj = loadObjects('cronjobs').find((j) => j.metadata.name === name);
    if (!obj) throw new Error(`no fixture cronjob ${name}`);
    return obj;
  };
  const next = (name: string, timeZone = 'UTC') => nextScheduleSamples(byName(name), ksmOptions({ timeZone })).map((s) => s.value);

  it('computes a schedule without spec.timeZone in the collector zone (KsmOptions.timeZone)', () => {
    // 0 */6 after 2018-03-11T04:34:56Z: 06:00 UTC, or 18:00 in Tokyo (09:00Z), or 00:00 in New York (05:00Z).
    expect(next('ActiveRunningCronJob1', 'UTC')).toEqual([Date.UTC(2018, 2, 11, 6) / 1000]);
    expect(next('ActiveRunningCronJob1', 'Asia/Tokyo')).toEqual([Date.UTC(2018, 2, 11, 9) / 1000]);
    expect(next('ActiveRunningCronJob1', 'America/New_York')).toEqual([Date.UTC(2018, 2, 11, 5) / 1000]);
  });

  it('keeps spec.timeZone whatever the collector zone', () => {
    expect(next('ActiveRunningCronJobWithTZ1', 'America/New_York')).toEqual([1520762400]);
  });

  it('writes no next run while suspended, with or without a time zone, and for a schedule with a seconds field', () => {
    expect(next('SuspendedCronJob1')).toEqual([]);
    expect(nextScheduleSamples(loadObjects('cronjobs-upstream-variants')[0], ksmOptions())).toEqual([]);
    expect(next('seconds-field')).toEqual([]);
  });

  it("writes Go's zero time when a schedule never fires (Feb 30), as KSM", () => {
    expect(next('never-feb-30')).toEqual([-62135596800]);
  });

  it('runs @every after the last schedule time and descriptors in the collector zone', () => {
    expect(next('every-90m')).toEqual([Date.UTC(2026, 10, 30, 0, 40) / 1000]);
    // @weekly = 0 0 * * 0; created Sunday 2026-11-29 23:00Z, so midnight of Sunday 2026-12-06.
    expect(next('weekly-local')).toEqual([Date.UTC(2026, 11, 6) / 1000]);
  });

  it('flags a six-field schedule as invalid, as go-cron standard parser', () => {
    const text = renderStore(cronjobStore, ksmOptions());
    expect(seriesOf(text, 'cronjob', 'seconds-field', ['kube_cronjob_schedule_invalid'])).toEqual([
      'kube_cronjob_schedule_invalid{cronjob="seconds-field",namespace="ops"} 1',
    ]);
  });

  it.each([
    ['11111', 11111],
    ['1e3', 1000],
    ['+Inf', Infinity],
    ['not-a-number', undefined],
    ['', undefined],
    [undefined, undefined],
  ])('reads resourceVersion %p as %p', (rv, want) => {
    expect(resourceVersionValue(rv)).toBe(want);
  });
});
