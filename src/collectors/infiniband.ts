import { defer, from, Observable } from 'rxjs';
import type { MetricFamily, Sample } from '../model/family';
import { readInfinibandClass, type InfinibandDevice } from '../sysfs/infiniband';
import { createDeviceFilter, deviceFilterOptions, orNoData } from './networkFilters';
import type { Collector, CollectorDefinition } from './types';

/** Port counters: [metric suffix, counters/ or counters_ext/ file, help]. */
const COUNTERS: readonly [string, string, string][] = [
  ['legacy_multicast_packets_received_total', 'port_multicast_rcv_packets', 'Number of multicast packets received'],
  ['legacy_multicast_packets_transmitted_total', 'port_multicast_xmit_packets', 'Number of multicast packets transmitted'],
  ['legacy_data_received_bytes_total', 'port_rcv_data_64', 'Number of data octets received on all links'],
  ['legacy_packets_received_total', 'port_rcv_packets_64', 'Number of data packets received on all links'],
  ['legacy_unicast_packets_received_total', 'port_unicast_rcv_packets', 'Number of unicast packets received'],
  ['legacy_unicast_packets_transmitted_total', 'port_unicast_xmit_packets', 'Number of unicast packets transmitted'],
  ['legacy_data_transmitted_bytes_total', 'port_xmit_data_64', 'Number of data octets transmitted on all links'],
  ['legacy_packets_transmitted_total', 'port_xmit_packets_64', 'Number of data packets received on all links'],
  ['excessive_buffer_overrun_errors_total', 'excessive_buffer_overrun_errors', 'Number of times that OverrunErrors consecutive flow control update periods occurred, each having at least one overrun error.'],
  ['link_downed_total', 'link_downed', 'Number of times the link failed to recover from an error state and went down'],
  ['link_error_recovery_total', 'link_error_recovery', 'Number of times the link successfully recovered from an error state'],
  ['local_link_integrity_errors_total', 'local_link_integrity_errors', 'Number of times that the count of local physical errors exceeded the threshold specified by LocalPhyErrors.'],
  ['multicast_packets_received_total', 'multicast_rcv_packets', 'Number of multicast packets received (including errors)'],
  ['multicast_packets_transmitted_total', 'multicast_xmit_packets', 'Number of multicast packets transmitted (including errors)'],
  ['port_constraint_errors_received_total', 'port_rcv_constraint_errors', 'Number of packets received on the switch physical port that are discarded'],
  ['port_constraint_errors_transmitted_total', 'port_xmit_constraint_errors', 'Number of packets not transmitted from the switch physical port'],
  ['port_data_received_bytes_total', 'port_rcv_data', 'Number of data octets received on all links'],
  ['port_data_transmitted_bytes_total', 'port_xmit_data', 'Number of data octets transmitted on all links'],
  ['port_discards_received_total', 'port_rcv_discards', 'Number of inbound packets discarded by the port because the port is down or congested'],
  ['port_discards_transmitted_total', 'port_xmit_discards', 'Number of outbound packets discarded by the port because the port is down or congested'],
  ['port_errors_received_total', 'port_rcv_errors', 'Number of packets containing an error that were received on this port'],
  ['port_packets_received_total', 'port_rcv_packets', 'Number of packets received on all VLs by this port (including errors)'],
  ['port_packets_transmitted_total', 'port_xmit_packets', 'Number of packets transmitted on all VLs from this port (including errors)'],
  ['port_transmit_wait_total', 'port_xmit_wait', 'Number of ticks during which the port had data to transmit but no data was sent during the entire tick'],
  ['unicast_packets_received_total', 'unicast_rcv_packets', 'Number of unicast packets received (including errors)'],
  ['unicast_packets_transmitted_total', 'unicast_xmit_packets', 'Number of unicast packets transmitted (including errors)'],
  ['port_receive_remote_physical_errors_total', 'port_rcv_remote_physical_errors', 'Number of packets marked with the EBP (End of Bad Packet) delimiter received on the port.'],
  ['port_receive_switch_relay_errors_total', 'port_rcv_switch_relay_errors', 'Number of packets that could not be forwarded by the switch.'],
  ['symbol_error_total', 'symbol_error', 'Number of minor link errors detected on one or more physical lanes.'],
  ['vl15_dropped_total', 'VL15_dropped', 'Number of incoming VL15 packets dropped due to resource limitations.'],
];

const OFED41 = 'The counters was added in MLNX_OFED 4.1';
const OFED50 = 'The counter was added in MLNX_OFED rev 5.0-1.0.0.0 and kernel v5.6.0';

/** Port hw_counters (mlx5): [metric suffix, hw_counters/ file, help]. */
const HW_COUNTERS: readonly [string, string, string][] = [
  ['duplicate_requests_packets_total', 'duplicate_request', 'The number of received packets. A duplicate request is a request that had been previously executed.'],
  ['implied_nak_seq_errors_total', 'implied_nak_seq_err', 'The number of time the requested decided an ACK. with a PSN larger than the expected PSN for an RDMA read or response.'],
  ['local_ack_timeout_errors_total', 'local_ack_timeout_err', "The number of times QP's ack timer expired for RC, XRC, DCT QPs at the sender side. The QP retry limit was not exceed, therefore it is still recoverable error."],
  ['np_cnp_packets_sent_total', 'np_cnp_sent', `The number of CNP packets sent by the Notification Point when it noticed congestion experienced in the RoCEv2 IP header (ECN bits). ${OFED41}`],
  ['np_ecn_marked_roce_packets_received_total', 'np_ecn_marked_roce_packets', `The number of RoCEv2 packets received by the notification point which were marked for experiencing the congestion (ECN bits where '11' on the ingress RoCE traffic) . ${OFED41}`],
  ['out_of_buffer_drops_total', 'out_of_buffer', 'The number of drops occurred due to lack of WQE for the associated QPs.'],
  ['out_of_sequence_packets_received_total', 'out_of_sequence', 'The number of out of sequence packets received.'],
  ['packet_sequence_errors_total', 'packet_seq_err', 'The number of received NAK sequence error packets. The QP retry limit was not exceeded.'],
  ['req_cqes_errors_total', 'req_cqe_error', `The number of times requester detected CQEs completed with errors. ${OFED41}`],
  ['req_cqes_flush_errors_total', 'req_cqe_flush_error', `The number of times requester detected CQEs completed with flushed errors. ${OFED41}`],
  ['req_remote_access_errors_total', 'req_remote_access_errors', `The number of times requester detected remote access errors. ${OFED41}`],
  ['req_remote_invalid_request_errors_total', 'req_remote_invalid_request', `The number of times requester detected remote invalid request errors. ${OFED41}`],
  ['resp_cqes_errors_total', 'resp_cqe_error', `The number of times responder detected CQEs completed with errors. ${OFED41}`],
  ['resp_cqes_flush_errors_total', 'resp_cqe_flush_error', `The number of times responder detected CQEs completed with flushed errors. ${OFED41}`],
  ['resp_local_length_errors_total', 'resp_local_length_error', `The number of times responder detected local length errors. ${OFED41}`],
  ['resp_remote_access_errors_total', 'resp_remote_access_errors', `The number of times responder detected remote access errors. ${OFED41}`],
  ['rnr_nak_retry_packets_received_total', 'rnr_nak_retry_err', 'The number of received RNR NAK packets. The QP retry limit was not exceeded.'],
  ['roce_adp_retransmits_total', 'roce_adp_retrans', `The number of adaptive retransmissions for RoCE traffic. ${OFED50}`],
  ['roce_adp_retransmits_timeout_total', 'roce_adp_retrans_to', `The number of times RoCE traffic reached timeout due to adaptive retransmission. ${OFED50}`],
  ['roce_slow_restart_used_total', 'roce_slow_restart', `The number of times RoCE slow restart was used. ${OFED50}`],
  ['roce_slow_restart_cnps_total', 'roce_slow_restart_cnps', `The number of times RoCE slow restart generated CNP packets. ${OFED50}`],
  ['roce_slow_restart_total', 'roce_slow_restart_trans', `The number of times RoCE slow restart changed state to slow restart. ${OFED50}`],
  ['rp_cnp_packets_handled_total', 'rp_cnp_handled', `The number of CNP packets handled by the Reaction Point HCA to throttle the transmission rate. ${OFED41}`],
  ['rp_cnp_ignored_packets_received_total', 'rp_cnp_ignored', 'The number of CNP packets received and ignored by the Reaction Point HCA. This counter should not raise if RoCE Congestion Control was enabled in the network. If this counter raise, verify that ECN was enabled on the adapter.'],
  ['rx_atomic_requests_total', 'rx_atomic_requests', 'The number of received ATOMIC request for the associated QPs.'],
  ['rx_dct_connect_requests_total', 'rx_dct_connect', 'The number of received connection requests for the associated DCTs.'],
  ['rx_read_requests_total', 'rx_read_requests', 'The number of received READ requests for the associated QPs.'],
  ['rx_write_requests_total', 'rx_write_requests', 'The number of received WRITE requests for the associated QPs.'],
  ['rx_icrc_encapsulated_errors_total', 'rx_icrc_encapsulated', 'The number of RoCE packets with ICRC errors. This counter was added in MLNX_OFED 4.4 and kernel 4.19'],
];

const P = 'node_infiniband_';

/** Returns node_exporter's node_infiniband_* families for the devices. */
export function infinibandFamilies(devices: readonly InfinibandDevice[]): MetricFamily[] {
  const fams = new Map<string, { help: string; type: 'counter' | 'gauge'; samples: Sample[] }>();
  const push = (suffix: string, help: string, type: 'counter' | 'gauge', labels: Record<string, string>, value: number) => {
    let f = fams.get(suffix);
    if (!f) fams.set(suffix, (f = { help, type, samples: [] }));
    f.samples.push({ labels, value });
  };
  for (const d of devices) {
    push('info', 'Non-numeric data from /sys/class/infiniband/<device>, value is always 1.', 'gauge', {
      device: d.name,
      board_id: d.boardId,
      firmware_version: d.firmwareVersion,
      hca_type: d.hcaType,
    }, 1);
    for (const p of d.ports) {
      const labels = { device: d.name, port: String(p.port) };
      push('state_id', 'State of the InfiniBand port (0: no change, 1: down, 2: init, 3: armed, 4: active, 5: act defer)', 'gauge', labels, p.stateId);
      push('physical_state_id', 'Physical state of the InfiniBand port (0: no change, 1: sleep, 2: polling, 3: disable, 4: shift, 5: link up, 6: link error recover, 7: phytest)', 'gauge', labels, p.physStateId);
      push('rate_bytes_per_second', 'Maximum signal transfer rate', 'gauge', labels, p.rateBytesPerSecond);
      for (const [suffix, file, help] of COUNTERS) {
        const v = p.counters.get(file);
        if (v !== undefined) push(suffix, help, 'counter', labels, v);
      }
      const lifespan = p.hwCounters.get('lifespan');
      if (lifespan !== undefined) {
        push('lifespan_seconds', 'The maximum period in ms which defines the aging of the counter reads. Two consecutive reads within this period might return the same values.', 'gauge', labels, Math.floor(lifespan / 1000));
      }
      for (const [suffix, file, help] of HW_COUNTERS) {
        const v = p.hwCounters.get(file);
        if (v !== undefined) push(suffix, help, 'counter', labels, v);
      }
    }
  }
  return [...fams].map(([suffix, f]) => ({ name: P + suffix, help: f.help, type: f.type, samples: f.samples }));
}

/** Options of the infiniband collector (node_exporter's flags). */
export interface InfinibandOptions {
  readonly deviceInclude: string;
  readonly deviceExclude: string;
}

/**
 * Returns the infiniband collector: per-port state, rate and counters from
 * <sysfs>/class/infiniband. Without that directory the cycle reports RXP_NO_DATA, as
 * node_exporter does.
 */
export function createInfinibandCollector(o: InfinibandOptions): Collector {
  const filter = createDeviceFilter(o.deviceExclude, o.deviceInclude);
  return {
    name: 'infiniband',
    defaultEnabled: true,
    collect: (ctx): Observable<MetricFamily> =>
      defer(() =>
        from(infinibandFamilies(orNoData(() => readInfinibandClass(ctx.sysPath, (n) => !filter.ignored(n), ctx.log), 'infiniband statistics not found'))),
      ),
  };
}

/** The infiniband collector's registration, with node_exporter's flags. */
export const infinibandDefinition: CollectorDefinition = {
  name: 'infiniband',
  defaultEnabled: true,
  options: deviceFilterOptions('infiniband', 'infiniband devices'),
  create: (o) => createInfinibandCollector({ deviceInclude: String(o.deviceInclude ?? ''), deviceExclude: String(o.deviceExclude ?? '') }),
};
