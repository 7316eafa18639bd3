import { RxporterError } from '../errors';
import type { MetricFamily } from '../model/family';
import { drbdNumber, parseDrbd } from '../procfs/drbd';
import { readProcText } from '../procfs/read';
import { isMissing } from '../sysfs/read';
import { FamilyBuilder } from './familyBuilder';
import { syncCollector } from './syncCollector';
import { simpleDefinition, type CollectorContext } from './types';

/** /proc/drbd counters: key → metric name, help, type, multiplier (KiB counts become bytes). */
const NUMERICAL: Readonly<Record<string, readonly [string, string, 'counter' | 'gauge', number]>> = {
  ns: ['network_sent_bytes_total', 'Total number of bytes sent via the network.', 'counter', 1024],
  nr: ['network_received_bytes_total', 'Total number of bytes received via the network.', 'counter', 1],
  dw: ['disk_written_bytes_total', 'Net data written on local hard disk; in bytes.', 'counter', 1024],
  dr: ['disk_read_bytes_total', 'Net data read from local hard disk; in bytes.', 'counter', 1024],
  al: ['activitylog_writes_total', 'Number of updates of the activity log area of the meta data.', 'counter', 1],
  bm: ['bitmap_writes_total', 'Number of updates of the bitmap area of the meta data.', 'counter', 1],
  lo: ['local_pending', 'Number of open requests to the local I/O sub-system.', 'gauge', 1],
  pe: ['remote_pending', 'Number of requests sent to the peer, but that have not yet been answered by the latter.', 'gauge', 1],
  ua: ['remote_unacknowledged', 'Number of requests received by the peer via the network connection, but that have not yet been answered.', 'gauge', 1],
  ap: ['application_pending', 'Number of block I/O requests forwarded to DRBD, but not yet answered by DRBD.', 'gauge', 1],
  ep: ['epochs', 'Number of Epochs currently on the fly.', 'gauge', 1],
  oos: ['out_of_sync_bytes', 'Amount of data known to be out of sync; in bytes.', 'gauge', 1024],
};

/** local/remote pairs: key → metric name, help, the value that means OK. */
const PAIRS: Readonly<Record<string, readonly [string, string, string]>> = {
  ro: ['node_role_is_primary', 'Whether the role of the node is in the primary state.', 'Primary'],
  ds: ['disk_state_is_up_to_date', 'Whether the disk of the node is up to date.', 'UpToDate'],
};

/** Returns node_exporter's drbd families from <procfs>/drbd; RXP_NO_DATA without it. */
export function drbdFamilies(ctx: CollectorContext): MetricFamily[] {
  let text: string;
  try {
    text = readProcText(ctx.procPath, 'drbd');
  } catch (e) {
    if (isMissing(e)) throw new RxporterError('RXP_NO_DATA', 'drbd stats file does not exist', false, { cause: e });
    throw e;
  }
  const b = new FamilyBuilder();
  for (const f of parseDrbd(text)) {
    const num = NUMERICAL[f.key];
    if (num) {
      b.add(`node_drbd_${num[0]}`, num[1], num[2], { device: f.device }, drbdNumber(f) * num[3]);
      continue;
    }
    const pair = PAIRS[f.key];
    if (pair) {
      const [local, remote = ''] = f.value.split('/');
      b.gauge(`node_drbd_${pair[0]}`, pair[1], { device: f.device, node: 'local' }, local === pair[2] ? 1 : 0);
      b.gauge(`node_drbd_${pair[0]}`, pair[1], { device: f.device, node: 'remote' }, remote === pair[2] ? 1 : 0);
      continue;
    }
    if (f.key === 'cs') b.gauge('node_drbd_connected', 'Whether DRBD is connected to the peer.', { device: f.device }, f.value === 'Connected' ? 1 : 0);
  }
  return b.families();
}

/** The drbd collector (off by default, as in node_exporter): DRBD 8 statistics. */
export const drbd = syncCollector('drbd', false, drbdFamilies);

/** The drbd collector's registration. */
export const drbdDefinition = simpleDefinition(drbd);
