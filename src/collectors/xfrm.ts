import { defer, from, Observable } from 'rxjs';
import { counter, type MetricFamily } from '../model/family';
import { readProcText } from '../procfs/read';
import { parseXfrmStat } from '../procfs/xfrmStat';
import { simpleDefinition, type Collector } from './types';

/** [metric suffix, xfrm_stat name, help], node_exporter's order and words. */
const FAMILIES: readonly [string, string, string][] = [
  ['in_error', 'XfrmInError', 'All errors not matched by other'],
  ['in_buffer_error', 'XfrmInBufferError', 'No buffer is left'],
  ['in_hdr_error', 'XfrmInHdrError', 'Header error'],
  ['in_no_states', 'XfrmInNoStates', 'No state is found i.e. Either inbound SPI, address, or IPsec protocol at SA is wrong'],
  ['in_state_proto_error', 'XfrmInStateProtoError', 'Transformation protocol specific error e.g. SA key is wrong'],
  ['in_state_mode_error', 'XfrmInStateModeError', 'Transformation mode specific error'],
  ['in_state_seq_error', 'XfrmInStateSeqError', 'Sequence error i.e. Sequence number is out of window'],
  ['in_state_expired', 'XfrmInStateExpired', 'State is expired'],
  ['in_state_mismatch', 'XfrmInStateMismatch', 'State has mismatch option e.g. UDP encapsulation type is mismatch'],
  ['in_state_invalid', 'XfrmInStateInvalid', 'State is invalid'],
  ['in_tmpl_mismatch', 'XfrmInTmplMismatch', 'No matching template for states e.g. Inbound SAs are correct but SP rule is wrong'],
  ['in_no_pols', 'XfrmInNoPols', 'No policy is found for states e.g. Inbound SAs are correct but no SP is found'],
  ['in_pol_block', 'XfrmInPolBlock', 'Policy discards'],
  ['in_pol_error', 'XfrmInPolError', 'Policy error'],
  ['out_error', 'XfrmOutError', 'All errors which is not matched others'],
  ['out_bundle_gen_error', 'XfrmOutBundleGenError', 'Bundle generation error'],
  ['out_bundle_check_error', 'XfrmOutBundleCheckError', 'Bundle check error'],
  ['out_no_states', 'XfrmOutNoStates', 'No state is found'],
  ['out_state_proto_error', 'XfrmOutStateProtoError', 'Transformation protocol specific error'],
  ['out_state_mode_error', 'XfrmOutStateModeError', 'Transformation mode specific error'],
  ['out_state_seq_error', 'XfrmOutStateSeqError', 'Sequence error i.e. Sequence number overflow'],
  ['out_state_expired', 'XfrmOutStateExpired', 'State is expired'],
  ['out_pol_block', 'XfrmOutPolBlock', 'Policy discards'],
  ['out_pol_dead', 'XfrmOutPolDead', 'Policy is dead'],
  ['out_pol_error', 'XfrmOutPolError', 'Policy error'],
  ['fwd_hdr_error', 'XfrmFwdHdrError', 'Forward routing of a packet is not allowed'],
  ['out_state_invalid', 'XfrmOutStateInvalid', 'State is invalid, perhaps expired'],
  ['acquire_error', 'XfrmAcquireError', 'State hasn’t been fully acquired before use'],
];

/** Returns node_exporter's 28 node_xfrm_*_packets_total counters; a counter absent from the file reads 0. */
export const xfrmFamilies = (stats: ReadonlyMap<string, number>): MetricFamily[] =>
  FAMILIES.map(([suffix, key, help]) => counter(`node_xfrm_${suffix}_packets_total`, help, [{ labels: {}, value: stats.get(key) ?? 0 }]));

/** The xfrm collector: IPsec transformation error counters from <procfs>/net/xfrm_stat. */
export const xfrm: Collector = {
  name: 'xfrm',
  defaultEnabled: false,
  collect: (ctx): Observable<MetricFamily> => defer(() => from(xfrmFamilies(parseXfrmStat(readProcText(ctx.procPath, 'net/xfrm_stat'))))),
};

/** The xfrm collector's registration (off by default, as in node_exporter). */
export const xfrmDefinition = simpleDefinition(xfrm);
