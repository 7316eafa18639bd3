import { RxporterError } from '../errors';
import type { MetricFamily } from '../model/family';
import { readProcText } from '../procfs/read';
import { btrfsAllocationRatio, parseBtrfsCommitStats } from '../sysfs/btrfs';
import { parseUint } from '../sysfs/parse';
import { exists, isMissing, listDir, listDirents } from '../sysfs/read';
import { FamilyBuilder } from './familyBuilder';
import { syncCollector } from './syncCollector';
import { simpleDefinition, type CollectorContext } from './types';

const SECTOR = 512;

/** Reads a btrfs attribute as procfs does: '' when missing. */
function readFile(sys: string, rel: string): string {
  try {
    return readProcText(sys, rel).trim();
  } catch (e) {
    if (isMissing(e)) return '';
    throw e;
  }
}

/** Reads a number as procfs does: missing or unparsable reads as 0. */
function readValue(sys: string, rel: string): number {
  const v = parseUint(readFile(sys, rel));
  return Number.isNaN(v) ? 0 : v;
}

/** Adds the families of one filesystem directory (<sysfs>/fs/btrfs/<uuid>). */
function addFilesystem(sys: string, b: FamilyBuilder, dirName: string): void {
  const dir = `fs/btrfs/${dirName}`;
  const devices = listDir(sys, `${dir}/devices`);
  const label = readFile(sys, `${dir}/label`);
  const uuid = readFile(sys, `${dir}/metadata_uuid`) || dirName;
  listDir(sys, `${dir}/features`); // procfs fails the filesystem without it
  const u = { uuid };
  let commit = { commits: 0, lastCommitMs: 0, maxCommitMs: 0, totalCommitMs: 0 };
  try {
    commit = parseBtrfsCommitStats(readProcText(sys, `${dir}/commit_stats`));
  } catch (e) {
    if (!isMissing(e)) throw e;
  }
  b.gauge('node_btrfs_info', 'Filesystem information', { uuid, label }, 1);
  b.gauge('node_btrfs_global_rsv_size_bytes', 'Size of global reserve.', u, readValue(sys, `${dir}/allocation/global_rsv_size`));
  b.counter('node_btrfs_commits_total', 'The total number of commits that have occurred.', u, commit.commits);
  b.gauge('node_btrfs_last_commit_seconds', 'Duration of the most recent commit, in seconds.', u, commit.lastCommitMs / 1000);
  b.gauge('node_btrfs_max_commit_seconds', 'Duration of the slowest commit, in seconds.', u, commit.maxCommitMs / 1000);
  b.counter('node_btrfs_commit_seconds_total', 'Sum of the duration of all commits, in seconds.', u, commit.totalCommitMs / 1000);
  for (const type of ['data', 'metadata', 'system']) {
    const a = `${dir}/allocation/${type}`;
    const layouts = listDirents(sys, a).filter((d) => d.isDirectory());
    b.gauge('node_btrfs_reserved_bytes', 'Amount of space reserved for a data type', { uuid, block_group_type: type }, readValue(sys, `${a}/bytes_reserved`));
    for (const l of layouts) {
      const labels = { uuid, block_group_type: type, mode: l.name };
      b.gauge('node_btrfs_used_bytes', 'Amount of used space by a layout/data type', labels, readValue(sys, `${a}/${l.name}/used_bytes`));
      b.gauge('node_btrfs_size_bytes', 'Amount of space allocated for a layout/data type', labels, readValue(sys, `${a}/${l.name}/total_bytes`));
      b.gauge('node_btrfs_allocation_ratio', 'Data allocation ratio for a layout/data type', labels, btrfsAllocationRatio(l.name, devices.length));
    }
  }
  // Per-device errors and unused bytes need the BTRFS_IOC_* ioctls, which Node cannot issue;
  // node_exporter falls back to this sysfs size when its ioctls fail, and so do we always.
  for (const device of devices) {
    b.gauge('node_btrfs_device_size_bytes', 'Size of a device that is part of the filesystem.', { uuid, device }, SECTOR * readValue(sys, `${dir}/devices/${device}/size`));
  }
}

/** Returns node_exporter's btrfs families from <sysfs>/fs/btrfs (the sysfs part; see above). */
export function btrfsFamilies(ctx: CollectorContext): MetricFamily[] {
  let names: string[];
  try {
    names = listDir(ctx.sysPath, 'fs/btrfs').filter((n) => n.includes('-'));
  } catch (e) {
    if (!isMissing(e)) throw e;
    names = []; // no btrfs module: nothing to report, as node_exporter
  }
  const b = new FamilyBuilder();
  for (const name of names) {
    const one = new FamilyBuilder(true); // scratch: a device is kept whole or not at all
    try {
      addFilesystem(ctx.sysPath, one, name);
    } catch (e) {
      if (isMissing(e) && !exists(ctx.sysPath, `fs/btrfs/${name}`)) {
        ctx.log.debug('btrfs filesystem vanished', { collector: 'btrfs', uuid: name });
        continue;
      }
      throw e instanceof RxporterError ? e : new RxporterError('RXP_PROC_READ', String(e));
    }
    b.addAll(one);
  }
  return b.families();
}

/** The btrfs collector (default on): btrfs statistics from sysfs. */
export const btrfs = syncCollector('btrfs', true, btrfsFamilies);

/** The btrfs collector's registration. */
export const btrfsDefinition = simpleDefinition(btrfs);
