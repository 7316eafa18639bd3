import type { Sample } from '../../model/family';
import { nextRunSeconds, parseCronSchedule, type CronParse } from '../cron';
import {
  asArray,
  asString,
  boolValue,
  buildFamilies,
  metadataFamilySpecs,
  sample,
  timeSeconds,
  type FamilySpec,
} from '../common';
import type { KsmOptions, KsmStore, KubeObject } from '../types';
import { createdSpec, gaugeSpec, namespaced, ptr, single } from './objectMeta';

/**
 * Returns a resourceVersion as Go's strconv.ParseFloat reads it (decimal, exponent, Inf, NaN),
 * undefined when it does not parse (KSM then writes no sample).
 */
export function resourceVersionValue(rv: unknown): number | undefined {
  if (typeof rv !== 'string') return undefined;
  if (/^[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?$/.test(rv)) return Number(rv);
  const special = /^([+-]?)(inf|infinity|nan)$/i.exec(rv);
  if (!special) return undefined;
  if (special[2].toLowerCase() === 'nan') return special[1] === '' ? NaN : undefined;
  return special[1] === '-' ? -Infinity : Infinity;
}

const spec = (j: KubeObject): { schedule?: unknown; timeZone?: unknown; suspend?: unknown } => j.spec ?? {};

/** Returns spec.timeZone when set (a string), else undefined (the "local" zone). */
const timeZoneOf = (j: KubeObject): string | undefined => (typeof spec(j).timeZone === 'string' ? (spec(j).timeZone as string) : undefined);

/** Returns the parsed schedule of a CronJob, in its spec.timeZone or else the collector's zone. */
const scheduleOf = (j: KubeObject, o: KsmOptions): CronParse => parseCronSchedule(asString(spec(j).schedule), timeZoneOf(j), o.timeZone);

/**
 * Returns kube_cronjob_next_schedule_time's sample as KSM computes it: the schedule's first
 * run after status.lastScheduleTime, else after metadata.creationTimestamp; none while the
 * CronJob is suspended, when its schedule (or zone) does not parse, or without either time.
 */
export function nextScheduleSamples(j: KubeObject, o: KsmOptions): Sample[] {
  if (spec(j).suspend === true) return [];
  const parsed = scheduleOf(j, o);
  if (!parsed.ok) return [];
  const after = timeSeconds(j.status?.lastScheduleTime) ?? timeSeconds(j.metadata.creationTimestamp);
  return after === undefined ? [] : [sample({}, nextRunSeconds(parsed.schedule, after * 1000))];
}

const FAMILIES: readonly FamilySpec[] = [
  ...metadataFamilySpecs('cronjob', 'cronjobs'),
  {
    name: 'kube_cronjob_info',
    help: 'Info about cronjob.',
    stability: 'STABLE',
    samples: (j) => [
      sample({ schedule: asString(spec(j).schedule), concurrency_policy: asString(j.spec?.concurrencyPolicy), timezone: timeZoneOf(j) ?? 'local' }, 1),
    ],
  },
  createdSpec('cronjob'),
  gaugeSpec('kube_cronjob_status_active', 'Active holds pointers to currently running jobs.', 'STABLE', (j) => asArray(j.status?.active).length),
  gaugeSpec(
    'kube_cronjob_status_last_schedule_time',
    'LastScheduleTime keeps information of when was the last time the job was successfully scheduled.',
    'STABLE',
    (j) => timeSeconds(j.status?.lastScheduleTime),
  ),
  gaugeSpec(
    'kube_cronjob_status_last_successful_time',
    'LastSuccessfulTime keeps information of when was the last time the job was completed successfully.',
    'STABLE',
    (j) => timeSeconds(j.status?.lastSuccessfulTime),
  ),
  gaugeSpec('kube_cronjob_spec_suspend', 'Suspend flag tells the controller to suspend subsequent executions.', 'STABLE', (j) =>
    boolValue(spec(j).suspend),
  ),
  gaugeSpec(
    'kube_cronjob_spec_starting_deadline_seconds',
    'Deadline in seconds for starting the job if it misses scheduled time for any reason.',
    'STABLE',
    (j) => ptr(j.spec?.startingDeadlineSeconds),
  ),
  {
    name: 'kube_cronjob_next_schedule_time',
    help:
      "Next time the cronjob should be scheduled. The time after lastScheduleTime, or after the cron job's creation time if it's never been scheduled. Use this to determine if the job is delayed.",
    stability: 'STABLE',
    samples: nextScheduleSamples,
  },
  {
    name: 'kube_cronjob_schedule_invalid',
    help: 'Emitted with value 1 for cronjobs whose schedule, in its configured timezone, cannot be parsed.',
    stability: 'ALPHA',
    samples: (j, o) => (scheduleOf(j, o).ok ? [] : [sample({}, 1)]),
  },
  {
    name: 'kube_cronjob_metadata_resource_version',
    help: 'Resource version representing a specific version of the cronjob.',
    stability: 'STABLE',
    samples: (j) => single(resourceVersionValue(j.metadata.resourceVersion)),
  },
  gaugeSpec(
    'kube_cronjob_spec_successful_job_history_limit',
    'Successful job history limit tells the controller how many completed jobs should be preserved.',
    'ALPHA',
    (j) => ptr(j.spec?.successfulJobsHistoryLimit),
  ),
  gaugeSpec(
    'kube_cronjob_spec_failed_job_history_limit',
    'Failed job history limit tells the controller how many failed jobs should be preserved.',
    'ALPHA',
    (j) => ptr(j.spec?.failedJobsHistoryLimit),
  ),
];

/**
 * kube-state-metrics' cronjob store (internal/store/cronjob.go): schedule, concurrency
 * policy and time zone (`timezone="local"` without spec.timeZone), active jobs, last schedule
 * and success times, suspension, deadlines and history limits (none when unset), the next
 * run computed from the schedule (src/ksm/cron.ts; KsmOptions.timeZone stands for the
 * process zone KSM uses when spec.timeZone is unset), schedules that do not parse, the
 * resource version, labels and annotations. Every series carries `namespace` and `cronjob`.
 */
export const cronjobStore: KsmStore = {
  resource: 'cronjobs',
  families: (objects, o) => buildFamilies(FAMILIES, objects, namespaced('cronjob'), o),
};
