import { defer, of } from 'rxjs';
import { RxporterError } from '../errors';
import { counter, type MetricFamily } from '../model/family';
import { isMissingError, readUintFile } from '../sysfs/sysAttr';
import { simpleDefinition, type Collector } from './types';

/** Returns node_kernel_hung_tasks_total. */
export const kernelHungFamily = (count: number): MetricFamily =>
  counter('node_kernel_hung_tasks_total', 'Total number of tasks that have been detected as hung since the system booted.', [{ labels: {}, value: count }]);

/** The kernel_hung collector: hung task detections from <procfs>/sys/kernel/hung_task_detect_count (no data without it). */
export const kernelHung: Collector = {
  name: 'kernel_hung',
  defaultEnabled: true,
  collect: (ctx) =>
    defer(() => {
      try {
        return of(kernelHungFamily(readUintFile(ctx.procPath, 'sys/kernel/hung_task_detect_count')));
      } catch (e) {
        if (isMissingError(e)) throw new RxporterError('RXP_NO_DATA', 'hung_task_detect_count does not exist', false, { cause: e });
        throw e;
      }
    }),
};

/** The kernel_hung collector's registration. */
export const kernelHungDefinition = simpleDefinition(kernelHung);
