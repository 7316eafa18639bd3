import { defer, throwError } from 'rxjs';
import { RxporterError } from '../errors';
import { simpleDefinition, type Collector } from './types';

/**
 * The timex collector. node_exporter's node_timex_* metrics all come from the adjtimex(2)
 * system call, which Node.js cannot make (no FFI; no procfs or sysfs file carries the kernel
 * clock discipline state), and rxporter ships no native addon. Rather than export made-up
 * values it reports no data: node_scrape_collector_success{collector="timex"} 0 and a debug
 * line per scrape. It is registered, default on as in node_exporter, so that the
 * --collector.timex / --no-collector.timex flags work.
 */
export const timex: Collector = {
  name: 'timex',
  defaultEnabled: true,
  collect: () => defer(() => throwError(() => new RxporterError('RXP_NO_DATA', 'timex: adjtimex(2) cannot be called from Node.js; node_timex_* are not exported'))),
};

/** The timex collector's registration. */
export const timexDefinition = simpleDefinition(timex);
