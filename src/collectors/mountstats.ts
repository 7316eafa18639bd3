import { defer, from, Observable } from 'rxjs';
import { type MetricFamily, type Sample } from '../model/family';
import { parseMountInfo } from '../procfs/mountinfo';
import { parseMountStats, type MountStatsEntry, type NfsEvents, type NfsMountStats } from '../procfs/mountstats';
import { readProcText } from '../procfs/read';
import { simpleDefinition, type Collector } from './types';

const P = 'node_mountstats_nfs_';

type Kind = 'counter' | 'gauge';

/** Per-mount families: [suffix, help, type, value]. */
const MOUNT_FAMILIES: readonly [string, string, Kind, (s: NfsMountStats) => number][] = [
  ['age_seconds_total', 'The age of the NFS mount in seconds.', 'counter', (s) => s.ageSeconds],
  ['read_bytes_total', 'Number of bytes read using the read() syscall.', 'counter', (s) => s.bytes.read],
  ['write_bytes_total', 'Number of bytes written using the write() syscall.', 'counter', (s) => s.bytes.write],
  ['direct_read_bytes_total', 'Number of bytes read using the read() syscall in O_DIRECT mode.', 'counter', (s) => s.bytes.directRead],
  ['direct_write_bytes_total', 'Number of bytes written using the write() syscall in O_DIRECT mode.', 'counter', (s) => s.bytes.directWrite],
  ['total_read_bytes_total', 'Number of bytes read from the NFS server, in total.', 'counter', (s) => s.bytes.readTotal],
  ['total_write_bytes_total', 'Number of bytes written to the NFS server, in total.', 'counter', (s) => s.bytes.writeTotal],
  ['read_pages_total', "Number of pages read directly via mmap()'d files.", 'counter', (s) => s.bytes.readPages],
  ['write_pages_total', "Number of pages written directly via mmap()'d files.", 'counter', (s) => s.bytes.writePages],
];

/** Event families: [suffix, help, events field]. Helps repeat upstream's, copy-paste slips included. */
const EVENT_FAMILIES: readonly [string, string, keyof NfsEvents][] = [
  ['event_inode_revalidate_total', 'Number of times cached inode attributes are re-validated from the server.', 'inodeRevalidate'],
  ['event_dnode_revalidate_total', 'Number of times cached dentry nodes are re-validated from the server.', 'dnodeRevalidate'],
  ['event_data_invalidate_total', 'Number of times an inode cache is cleared.', 'dataInvalidate'],
  ['event_attribute_invalidate_total', 'Number of times cached inode attributes are invalidated.', 'attributeInvalidate'],
  ['event_vfs_open_total', 'Number of times cached inode attributes are invalidated.', 'vfsOpen'],
  ['event_vfs_lookup_total', 'Number of times a directory lookup has occurred.', 'vfsLookup'],
  ['event_vfs_access_total', 'Number of times permissions have been checked.', 'vfsAccess'],
  ['event_vfs_update_page_total', 'Number of updates (and potential writes) to pages.', 'vfsUpdatePage'],
  ['event_vfs_read_page_total', "Number of pages read directly via mmap()'d files.", 'vfsReadPage'],
  ['event_vfs_read_pages_total', 'Number of times a group of pages have been read.', 'vfsReadPages'],
  ['event_vfs_write_page_total', "Number of pages written directly via mmap()'d files.", 'vfsWritePage'],
  ['event_vfs_write_pages_total', 'Number of times a group of pages have been written.', 'vfsWritePages'],
  ['event_vfs_getdents_total', 'Number of times directory entries have been read with getdents().', 'vfsGetdents'],
  ['event_vfs_setattr_total', 'Number of times directory entries have been read with getdents().', 'vfsSetattr'],
  ['event_vfs_flush_total', 'Number of pending writes that have been forcefully flushed to the server.', 'vfsFlush'],
  ['event_vfs_fsync_total', 'Number of times fsync() has been called on directories and files.', 'vfsFsync'],
  ['event_vfs_lock_total', 'Number of times locking has been attempted on a file.', 'vfsLock'],
  ['event_vfs_file_release_total', 'Number of times files have been closed and released.', 'vfsFileRelease'],
  ['event_truncation_total', 'Number of times files have been truncated.', 'truncation'],
  ['event_write_extension_total', 'Number of times a file has been grown due to writes beyond its existing end.', 'writeExtension'],
  ['event_silly_rename_total', 'Number of times a file was removed while still open by another process.', 'sillyRename'],
  ['event_short_read_total', 'Number of times the NFS server gave less data than expected while reading.', 'shortRead'],
  ['event_short_write_total', 'Number of times the NFS server wrote less data than expected while writing.', 'shortWrite'],
  ['event_jukebox_delay_total', 'Number of times the NFS server indicated EJUKEBOX; retrieving data from offline storage.', 'jukeboxDelay'],
  ['event_pnfs_read_total', 'Number of NFS v4.1+ pNFS reads.', 'pnfsRead'],
  ['event_pnfs_write_total', 'Number of NFS v4.1+ pNFS writes.', 'pnfsWrite'],
];

type T = NfsMountStats['transports'][number];
const TRANSPORT_FAMILIES: readonly [string, string, Kind, (t: T) => number][] = [
  ['transport_bind_total', 'Number of times the client has had to establish a connection from scratch to the NFS server.', 'counter', (t) => t.bind],
  ['transport_connect_total', 'Number of times the client has made a TCP connection to the NFS server.', 'counter', (t) => t.connect],
  ['transport_idle_time_seconds', 'Duration since the NFS mount last saw any RPC traffic, in seconds.', 'gauge', (t) => t.idleSeconds],
  ['transport_sends_total', 'Number of RPC requests for this mount sent to the NFS server.', 'counter', (t) => t.sends],
  ['transport_receives_total', 'Number of RPC responses for this mount received from the NFS server.', 'counter', (t) => t.receives],
  ['transport_bad_transaction_ids_total', 'Number of times the NFS server sent a response with a transaction ID unknown to this client.', 'counter', (t) => t.badTransactionIds],
  ['transport_backlog_queue_total', 'Total number of items added to the RPC backlog queue.', 'counter', (t) => t.cumulativeBacklog],
  ['transport_maximum_rpc_slots', 'Maximum number of simultaneously active RPC requests ever used.', 'gauge', (t) => t.maximumRpcSlotsUsed],
  ['transport_sending_queue_total', 'Total number of items added to the RPC transmission sending queue.', 'counter', (t) => t.cumulativeSendingQueue],
  ['transport_pending_queue_total', 'Total number of items added to the RPC transmission pending queue.', 'counter', (t) => t.cumulativePendingQueue],
];

type O = NfsMountStats['operations'][number];
const OPERATION_FAMILIES: readonly [string, string, (o: O) => number][] = [
  ['operations_requests_total', 'Number of requests performed for a given operation.', (o) => o.requests],
  ['operations_transmissions_total', 'Number of times an actual RPC request has been transmitted for a given operation.', (o) => o.transmissions],
  ['operations_major_timeouts_total', 'Number of times a request has had a major timeout for a given operation.', (o) => o.majorTimeouts],
  ['operations_sent_bytes_total', 'Number of bytes sent for a given operation, including RPC headers and payload.', (o) => o.bytesSent],
  ['operations_received_bytes_total', 'Number of bytes received for a given operation, including RPC headers and payload.', (o) => o.bytesReceived],
  ['operations_queue_time_seconds_total', 'Duration all requests spent queued for transmission for a given operation before they were sent, in seconds.', (o) => o.queueMs / 1000],
  ['operations_response_time_seconds_total', 'Duration all requests took to get a reply back after a request for a given operation was transmitted, in seconds.', (o) => o.responseMs / 1000],
  ['operations_request_time_seconds_total', 'Duration all requests took from when a request was enqueued to when it was completely handled for a given operation, in seconds.', (o) => o.requestMs / 1000],
];

/** An NFS mount to export: its statistics and labels. */
export interface NfsMountView {
  readonly export: string;
  readonly protocol: string;
  readonly mountaddr: string;
  readonly stats: NfsMountStats;
}

/** Mounts chosen for export: info samples per mount point and stats per unique device. */
export interface MountstatsSelection {
  readonly info: readonly { export: string; protocol: string; mountaddr: string; mountpoint: string }[];
  readonly mounts: readonly NfsMountView[];
}

/**
 * Returns which NFS mounts node_exporter exports: mountstats entries are matched with
 * mountinfo lines by position (the kernel lists both in the same order) for the server
 * address; one info sample per (device, protocol, address, mount point) and one set of
 * statistics per (device, protocol, address), the first seen.
 */
export function selectNfsMounts(mounts: readonly MountStatsEntry[], addrs: readonly (string | undefined)[]): MountstatsSelection {
  const info: MountstatsSelection['info'][number][] = [];
  const out: NfsMountView[] = [];
  const seenInfo = new Set<string>();
  const seenDevice = new Set<string>();
  mounts.forEach((m, idx) => {
    if (!m.nfs) return;
    const mountaddr = addrs[idx] ?? '';
    for (const t of m.nfs.transports) {
      const dev = `${m.device}\u0000${t.protocol}\u0000${mountaddr}`;
      const mp = `${dev}\u0000${m.mountPoint}`;
      if (!seenInfo.has(mp)) {
        seenInfo.add(mp);
        info.push({ export: m.device, protocol: t.protocol, mountaddr, mountpoint: m.mountPoint });
      }
      if (seenDevice.has(dev)) break;
      seenDevice.add(dev);
      out.push({ export: m.device, protocol: t.protocol, mountaddr, stats: m.nfs });
    }
  });
  return { info, mounts: out };
}

/** Returns node_exporter's node_mountstats_nfs_* families for the selected mounts. */
export function mountstatsFamilies(sel: MountstatsSelection): MetricFamily[] {
  const fams: MetricFamily[] = [];
  const add = (suffix: string, help: string, type: Kind, samples: Sample[]) => fams.push({ name: P + suffix, help, type, samples });
  const base = (m: NfsMountView) => ({ export: m.export, protocol: m.protocol, mountaddr: m.mountaddr });
  add('mountpoint_info', 'Info metric for an NFS mountpoint.', 'gauge', sel.info.map((l) => ({ labels: { ...l }, value: 1 })));
  for (const [suffix, help, type, get] of MOUNT_FAMILIES) {
    add(suffix, help, type, sel.mounts.map((m) => ({ labels: base(m), value: get(m.stats) })));
  }
  for (const [suffix, help, type, get] of TRANSPORT_FAMILIES) {
    add(suffix, help, type, sel.mounts.flatMap((m) => m.stats.transports.map((t, i) => ({ labels: { ...base(m), transport: String(i) }, value: get(t) }))));
  }
  for (const [suffix, help, get] of OPERATION_FAMILIES) {
    add(suffix, help, 'counter', sel.mounts.flatMap((m) => m.stats.operations.map((o) => ({ labels: { ...base(m), operation: o.operation }, value: get(o) }))));
  }
  for (const [suffix, help, key] of EVENT_FAMILIES) {
    add(suffix, help, 'counter', sel.mounts.map((m) => ({ labels: base(m), value: m.stats.events[key] })));
  }
  return fams.filter((f) => f.samples.length > 0);
}

/** The mountstats collector: NFS client statistics from <procfs>/self/mountstats and mountinfo. */
export const mountstats: Collector = {
  name: 'mountstats',
  defaultEnabled: false,
  collect: (ctx): Observable<MetricFamily> =>
    defer(() => {
      const mounts = parseMountStats(readProcText(ctx.procPath, 'self/mountstats'));
      const info = parseMountInfo(readProcText(ctx.procPath, 'self/mountinfo'));
      const addrs = info.map((e) => e.superOptions.get('addr'));
      return from(mountstatsFamilies(selectNfsMounts(mounts, addrs)));
    }),
};

/** The mountstats collector's registration (off by default, as in node_exporter). */
export const mountstatsDefinition = simpleDefinition(mountstats);
