import { RxporterError } from '../errors';
import type { MetricFamily } from '../model/family';
import { readProcText } from '../procfs/read';
import { parseUint, parseValueOrNone } from '../sysfs/parse';
import { isMissing, listDir } from '../sysfs/read';
import { FamilyBuilder } from './familyBuilder';
import { syncCollector } from './syncCollector';
import type { Collector, CollectorContext, CollectorDefinition } from './types';

const NS = 0.000000001;

/** Tape counters: stats file → metric, help, type, scale. */
const TAPE: readonly (readonly [string, string, string, 'counter' | 'gauge', number])[] = [
  ['in_flight', 'io_now', 'The number of I/Os currently outstanding to this device.', 'gauge', 1],
  [
    'io_ns',
    'io_time_seconds_total',
    'The amount of time spent waiting for all I/O to complete (including read and write). This includes tape movement commands such as seeking between file or set marks and implicit tape movement such as when rewind on close tape devices are used.',
    'counter',
    NS,
  ],
  [
    'other_cnt',
    'io_others_total',
    'The number of I/Os issued to the tape drive other than read or write commands. The time taken to complete these commands uses the following calculation io_time_seconds_total-read_time_seconds_total-write_time_seconds_total',
    'counter',
    1,
  ],
  ['read_byte_cnt', 'read_bytes_total', 'The number of bytes read from the tape drive.', 'counter', 1],
  ['read_cnt', 'reads_completed_total', 'The number of read requests issued to the tape drive.', 'counter', 1],
  ['read_ns', 'read_time_seconds_total', 'The amount of time spent waiting for read requests to complete.', 'counter', NS],
  [
    'resid_cnt',
    'residual_total',
    'The number of times during a read or write we found the residual amount to be non-zero. This should mean that a program is issuing a read larger thean the block size on tape. For write not all data made it to tape.',
    'counter',
    1,
  ],
  ['write_byte_cnt', 'written_bytes_total', 'The number of bytes written to the tape drive.', 'counter', 1],
  ['write_cnt', 'writes_completed_total', 'The number of write requests issued to the tape drive.', 'counter', 1],
  ['write_ns', 'write_time_seconds_total', 'The amount of time spent waiting for write requests to complete.', 'counter', NS],
];

const isTape = (name: string): boolean => name.length > 2 && name.startsWith('st') && [...name.slice(2)].every((c) => c >= '0' && c <= '9');

/** Returns the counters of one tape's stats directory (missing files count 0; a "no value" marker is undefined). */
function tapeCounters(sys: string, tape: string): Map<string, number | undefined> {
  const dir = `class/scsi_tape/${tape}/stats`;
  const out = new Map<string, number | undefined>();
  for (const f of listDir(sys, dir)) {
    const raw = readProcText(sys, `${dir}/${f}`).trim();
    if (!TAPE.some((t) => t[0] === f)) continue;
    const v = parseValueOrNone(raw, (t) => (t.startsWith('0x') ? parseInt(t.slice(2), 16) : parseUint(t)), `tapestats ${tape}/${f}`);
    out.set(f, v); // undefined: the kernel's "no value", left out below
  }
  return out;
}

/** Returns node_exporter's tape families for the st<N> devices of <sysfs>/class/scsi_tape. */
export function tapestatsFamilies(ctx: CollectorContext, ignored: RegExp): MetricFamily[] {
  let tapes: string[];
  try {
    tapes = listDir(ctx.sysPath, 'class/scsi_tape').filter(isTape);
  } catch (e) {
    if (isMissing(e)) throw new RxporterError('RXP_NO_DATA', 'scsi_tape stats not found, skipping', false, { cause: e });
    throw e;
  }
  const b = new FamilyBuilder();
  for (const device of tapes) {
    if (ignored.test(device)) {
      ctx.log.debug('Ignoring device', { collector: 'tapestats', device });
      continue;
    }
    let c: Map<string, number | undefined>;
    try {
      c = tapeCounters(ctx.sysPath, device);
    } catch (e) {
      if (!isMissing(e)) throw e;
      ctx.log.debug('tape device vanished', { collector: 'tapestats', device });
      continue;
    }
    for (const [file, name, help, type, scale] of TAPE) {
      const v = c.has(file) ? c.get(file) : 0;
      b.add(`node_tape_${name}`, help, type, { device }, v === undefined ? undefined : v * scale);
    }
  }
  return b.families();
}

/** Returns the tapestats collector, skipping devices matching `ignoredDevices`. */
export function createTapestatsCollector(ignoredDevices: string): Collector {
  const ignored = new RegExp(ignoredDevices);
  return syncCollector('tapestats', true, (ctx) => tapestatsFamilies(ctx, ignored));
}

/** The tapestats collector's registration, with node_exporter's flag. */
export const tapestatsDefinition: CollectorDefinition = {
  name: 'tapestats',
  defaultEnabled: true,
  options: {
    ignoredDevices: { doc: 'Regexp of devices to ignore for tapestats.', format: 'regexp-source', default: '^$', arg: 'collector.tapestats.ignored-devices' },
  },
  create: (o) => createTapestatsCollector(String(o.ignoredDevices ?? '^$')),
};
