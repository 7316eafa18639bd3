import { RxporterError } from '../errors';
import type { MetricFamily } from '../model/family';
import { readProcText } from '../procfs/read';
import {
  parseBcachefsBtreeWrites,
  parseBcachefsCompression,
  parseBcachefsCounter,
  parseBcachefsErrors,
  parseBcachefsIoDone,
  parseBcachefsIoErrors,
  parseHumanBytes,
} from '../sysfs/bcachefs';
import { parseUint } from '../sysfs/parse';
import { isMissing, listDirents } from '../sysfs/read';
import { FamilyBuilder } from './familyBuilder';
import { syncCollector } from './syncCollector';
import { simpleDefinition, type CollectorContext } from './types';

const BASE = 'fs/bcachefs';

/** node_exporter's SanitizeMetricName: each run of invalid characters (with adjacent '_') becomes one '_'. */
export const sanitizeMetricName = (s: string): string => s.replace(/_*[^0-9A-Za-z_]+_*/g, '_');

/** Returns the file's text, or '' when it does not exist (bcachefs files are optional). */
function readIfExists(root: string, rel: string): string {
  try {
    return readProcText(root, rel);
  } catch (e) {
    if (isMissing(e)) return '';
    throw e;
  }
}

/** Returns the trimmed text of a file, '' when it cannot be read at all (label, state). */
function readLoose(root: string, rel: string): string {
  try {
    return readProcText(root, rel).trim();
  } catch {
    return '';
  }
}

/** Returns a uint file's value; 0 when the file is missing, RXP_PROC_PARSE when it is not a number. */
function readUintFile(root: string, rel: string): number {
  let t: string;
  try {
    t = readProcText(root, rel).trim();
  } catch (e) {
    if (isMissing(e)) return 0;
    throw e;
  }
  const v = parseUint(t);
  if (Number.isNaN(v)) throw new RxporterError('RXP_PROC_PARSE', `bcachefs ${rel}: invalid value ${JSON.stringify(t)}`);
  return v;
}

/** Adds the families of one filesystem (directory `uuid`). */
function addFilesystem(ctx: CollectorContext, b: FamilyBuilder, uuid: string): void {
  const sys = ctx.sysPath;
  const dir = `${BASE}/${uuid}`;
  const u = { uuid };
  const cache = readIfExists(sys, `${dir}/btree_cache_size`).trim();
  let cacheBytes = 0;
  if (cache !== '') {
    cacheBytes = parseHumanBytes(cache);
    if (Number.isNaN(cacheBytes)) throw new RxporterError('RXP_PROC_PARSE', `bcachefs btree_cache_size: ${JSON.stringify(cache)}`);
  }
  const compression = new Map(parseBcachefsCompression(readIfExists(sys, `${dir}/compression_stats`)).map((c) => [c.algorithm, c]));
  const errors = new Map(parseBcachefsErrors(readIfExists(sys, `${dir}/errors`)));
  const counters: [string, number][] = [];
  let counterFiles: string[] = [];
  try {
    counterFiles = listDirents(sys, `${dir}/counters`)
      .filter((d) => !d.isDirectory())
      .map((d) => d.name);
  } catch (e) {
    if (!isMissing(e)) throw e;
  }
  for (const name of counterFiles) {
    let text: string;
    try {
      text = readProcText(sys, `${dir}/counters/${name}`);
    } catch (e) {
      if (!isMissing(e)) throw e;
      ctx.log.debug('bcachefs counter vanished', { collector: 'bcachefs', uuid, counter: name });
      continue;
    }
    counters.push([name, parseBcachefsCounter(text, name)]);
  }
  const writes = new Map(parseBcachefsBtreeWrites(readIfExists(sys, `${dir}/btree_write_stats`)).map((w) => [w.type, w]));

  b.gauge('node_bcachefs_info', 'Filesystem information.', u, 1);
  b.gauge('node_bcachefs_btree_cache_size_bytes', 'Btree cache memory usage in bytes.', u, cacheBytes);
  for (const [algorithm, c] of compression) {
    b.gauge('node_bcachefs_compression_compressed_bytes', 'Compressed size by algorithm.', { uuid, algorithm }, c.compressed);
    b.gauge('node_bcachefs_compression_uncompressed_bytes', 'Uncompressed size by algorithm.', { uuid, algorithm }, c.uncompressed);
  }
  for (const [type, count] of errors) b.counter('node_bcachefs_errors_total', 'Error count by error type.', { uuid, error_type: type }, count);
  for (const [name, value] of counters) {
    b.counter(`node_bcachefs_${sanitizeMetricName(name)}_total`, `Bcachefs counter ${name} since filesystem creation.`, u, value);
  }
  for (const [type, w] of writes) {
    b.counter('node_bcachefs_btree_writes_total', 'Number of btree writes by type.', { uuid, type }, w.count);
    b.gauge('node_bcachefs_btree_write_average_size_bytes', 'Average btree write size by type.', { uuid, type }, w.sizeBytes);
  }

  for (const d of listDirents(sys, dir)) {
    if (!d.isDirectory() || !d.name.startsWith('dev-')) continue;
    const device = d.name.slice(4);
    const dev = `${dir}/${d.name}`;
    try {
      listDirents(sys, dev);
    } catch (e) {
      if (!isMissing(e)) throw e;
      ctx.log.debug('bcachefs device vanished', { collector: 'bcachefs', uuid, device });
      continue;
    }
    const label = readLoose(sys, `${dev}/label`);
    const state = readLoose(sys, `${dev}/state`);
    const bucketRaw = readLoose(sys, `${dev}/bucket_size`);
    let bucketSize = 0;
    if (bucketRaw !== '') {
      bucketSize = parseHumanBytes(bucketRaw);
      if (Number.isNaN(bucketSize)) throw new RxporterError('RXP_PROC_PARSE', `bcachefs ${dev}/bucket_size: ${JSON.stringify(bucketRaw)}`);
    }
    const buckets = readUintFile(sys, `${dev}/nbuckets`);
    const durability = readUintFile(sys, `${dev}/durability`);
    const ioDone = parseBcachefsIoDone(readIfExists(sys, `${dev}/io_done`));
    const ioErrors = parseBcachefsIoErrors(readIfExists(sys, `${dev}/io_errors`));
    const du = { uuid, device };
    b.gauge('node_bcachefs_device_info', 'Device information.', { uuid, device, label, state }, 1);
    b.gauge('node_bcachefs_device_bucket_size_bytes', 'Bucket size in bytes.', du, bucketSize);
    b.gauge('node_bcachefs_device_buckets', 'Total number of buckets.', du, buckets);
    b.gauge('node_bcachefs_device_durability', 'Device durability setting.', du, durability);
    for (const [operation, dataType, v] of ioDone) {
      b.counter('node_bcachefs_device_io_done_bytes_total', 'IO bytes by operation type and data type.', { uuid, device, operation, data_type: dataType }, v);
    }
    for (const [type, v] of ioErrors) b.counter('node_bcachefs_device_io_errors_total', 'IO errors by error type.', { uuid, device, type }, v);
  }
}

/**
 * Returns node_exporter's bcachefs families from <sysfs>/fs/bcachefs/<uuid>; throws
 * RXP_NO_DATA when there is no bcachefs filesystem.
 */
export function bcachefsFamilies(ctx: CollectorContext): MetricFamily[] {
  let entries;
  try {
    entries = listDirents(ctx.sysPath, BASE);
  } catch (e) {
    if (isMissing(e)) throw new RxporterError('RXP_NO_DATA', 'bcachefs sysfs path does not exist', false, { cause: e });
    throw e;
  }
  const uuids = entries.filter((d) => d.isDirectory()).map((d) => d.name);
  if (uuids.length === 0) throw new RxporterError('RXP_NO_DATA', 'no bcachefs filesystem');
  const b = new FamilyBuilder();
  for (const uuid of uuids) addFilesystem(ctx, b, uuid);
  return b.families();
}

/** The bcachefs collector (default on): filesystem and device statistics from sysfs. */
export const bcachefs = syncCollector('bcachefs', true, bcachefsFamilies);

/** The bcachefs collector's registration. */
export const bcachefsDefinition = simpleDefinition(bcachefs);
