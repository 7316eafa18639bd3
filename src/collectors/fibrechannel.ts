import { defer, from, Observable } from 'rxjs';
import type { MetricFamily, Sample } from '../model/family';
import { readFibreChannelClass, type FcHost } from '../sysfs/fibrechannel';
import { orNoData } from './networkFilters';
import { simpleDefinition, type Collector } from './types';

/** [metric suffix, statistics file, help], node_exporter's order. */
const COUNTERS: readonly [string, string, string][] = [
  ['dumped_frames_total', 'dumped_frames', 'Number of dumped frames'],
  ['error_frames_total', 'error_frames', 'Number of errors in frames'],
  ['invalid_crc_total', 'invalid_crc_count', 'Invalid Cyclic Redundancy Check count'],
  ['rx_frames_total', 'rx_frames', 'Number of frames received'],
  ['rx_words_total', 'rx_words', 'Number of words received by host port'],
  ['tx_frames_total', 'tx_frames', 'Number of frames transmitted by host port'],
  ['tx_words_total', 'tx_words', 'Number of words transmitted by host port'],
  ['seconds_since_last_reset_total', 'seconds_since_last_reset', 'Number of seconds since last host port reset'],
  ['invalid_tx_words_total', 'invalid_tx_word_count', 'Number of invalid words transmitted by host port'],
  ['link_failure_total', 'link_failure_count', 'Number of times the host port link has failed'],
  ['loss_of_sync_total', 'loss_of_sync_count', 'Number of failures on either bit or transmission word boundaries'],
  ['loss_of_signal_total', 'loss_of_signal_count', 'Number of times signal has been lost'],
  ['nos_total', 'nos_count', 'Number Not_Operational Primitive Sequence received by host port'],
  ['fcp_packet_aborts_total', 'fcp_packet_aborts', 'Number of aborted packets'],
];

/**
 * Returns node_exporter's node_fibrechannel_* families: an info gauge per host and its
 * counters; a host whose port state is unknown reports zeros, unimplemented counters
 * (all bits set) are left out. A counter file that is missing is left out too (node_exporter
 * would crash on it).
 */
export function fibrechannelFamilies(hosts: readonly FcHost[]): MetricFamily[] {
  const info: Sample[] = [];
  const counters = new Map<string, Sample[]>(COUNTERS.map(([s]) => [s, []]));
  for (const h of hosts) {
    const a = (k: string) => h.attrs.get(k) ?? '';
    info.push({
      labels: {
        fc_host: h.name,
        speed: a('speed'),
        port_state: a('port_state'),
        port_type: a('port_type'),
        port_id: a('port_id'),
        port_name: a('port_name'),
        fabric_name: a('fabric_name'),
        symbolic_name: a('symbolic_name'),
        supported_classes: a('supported_classes'),
        supported_speeds: a('supported_speeds'),
        dev_loss_tmo: a('dev_loss_tmo'),
      },
      value: 1,
    });
    const state = h.attrs.get('port_state');
    const unknown = state === undefined || state === 'Unknown';
    for (const [suffix, file] of COUNTERS) {
      const v = unknown ? 0 : h.counters.get(file);
      if (v === undefined || v === 'unimplemented') continue;
      counters.get(suffix)!.push({ labels: { fc_host: h.name }, value: v });
    }
  }
  const fams: MetricFamily[] = [{ name: 'node_fibrechannel_info', help: 'Non-numeric data from /sys/class/fc_host/<host>, value is always 1.', type: 'gauge', samples: info }];
  for (const [suffix, , help] of COUNTERS) fams.push({ name: `node_fibrechannel_${suffix}`, help, type: 'counter', samples: counters.get(suffix)! });
  return fams.filter((f) => f.samples.length > 0);
}

/**
 * The fibrechannel collector: <sysfs>/class/fc_host. Without that directory the cycle
 * reports RXP_NO_DATA, as node_exporter does.
 */
export const fibrechannel: Collector = {
  name: 'fibrechannel',
  defaultEnabled: true,
  collect: (ctx): Observable<MetricFamily> => defer(() => from(fibrechannelFamilies(orNoData(() => readFibreChannelClass(ctx.sysPath, ctx.log), 'fibrechannel statistics not found')))),
};

/** The fibrechannel collector's registration (on by default, as in node_exporter). */
export const fibrechannelDefinition = simpleDefinition(fibrechannel);
