import type { Dirent } from 'node:fs';
import { join } from 'node:path';
import { RxporterError } from '../errors';
import type { Log } from '../log/types';
import { uintBase0OrNaN } from '../procfs/fields';
import { isNoValue } from '../procfs/noValue';
import { readAttribute } from './netClass';
import { isMissing, listDir, listDirents } from './read';

/** Text attributes of an fc_host read by procfs; the *_name and port_id ones lose their "0x". */
export const FC_HOST_ATTRS = [
  'speed', 'port_state', 'port_type', 'node_name', 'port_id', 'port_name', 'fabric_name', 'dev_loss_tmo', 'symbolic_name',
  'supported_classes', 'supported_speeds',
] as const;

const STRIP_0X = new Set(['node_name', 'port_id', 'port_name', 'fabric_name']);

/** A statistics counter: its value, or 'unimplemented' for 0xffffffffffffffff (what HBA firmware writes for "not counted"). */
export type FcCounter = number | 'unimplemented';

/** One host of /sys/class/fc_host. */
export interface FcHost {
  readonly name: string;
  /** Attributes present, by file name (prefix already stripped). */
  readonly attrs: ReadonlyMap<string, string>;
  /** statistics/* by file name. */
  readonly counters: ReadonlyMap<string, FcCounter>;
}

/**
 * Returns a statistics file's value (ParseUint base 0), 'unimplemented' also for the
 * kernel's "no value" marker (procfs/noValue.ts: the counter is left out). Throws
 * RXP_PROC_PARSE when it is neither.
 */
export function parseFcCounter(file: string, text: string): FcCounter {
  const v = uintBase0OrNaN(text);
  if (Number.isNaN(v) && isNoValue(text)) return 'unimplemented';
  if (Number.isNaN(v)) throw new RxporterError('RXP_PROC_PARSE', `fc_host: invalid counter ${file}: ${JSON.stringify(text)}`);
  // 2^64-1 rounds to 2^64 as a float; anything that high is the firmware's "unimplemented".
  return v >= 18446744073709551615 && BigInt(text) === 0xffffffffffffffffn ? 'unimplemented' : v;
}

/** Returns one fc_host's attributes and statistics. Throws RXP_PROC_* on an unreadable or garbled file. */
export function readFcHost(sysPath: string, name: string): FcHost {
  const dir = join('class/fc_host', name);
  listDir(sysPath, dir); // a host that vanished fails here, as RXP_PROC_MISSING
  const attrs = new Map<string, string>();
  for (const a of FC_HOST_ATTRS) {
    const v = readAttribute(sysPath, join(dir, a));
    if (v === undefined) continue;
    attrs.set(a, STRIP_0X.has(a) && v.length > 2 ? v.slice(2) : v);
  }
  const counters = new Map<string, FcCounter>();
  let files: Dirent[];
  try {
    files = listDirents(sysPath, join(dir, 'statistics'));
  } catch (e) {
    if (!isMissing(e)) throw e;
    files = [];
  }
  for (const f of files) {
    if (!f.isFile() || f.name === 'reset_statistics') continue;
    const text = readAttribute(sysPath, join(dir, 'statistics', f.name));
    if (text !== undefined) counters.set(f.name, parseFcCounter(f.name, text));
  }
  return { name, attrs, counters };
}

/**
 * Returns the hosts of <sysfs>/class/fc_host; one that vanishes meanwhile is skipped with
 * a debug line. Throws RXP_PROC_MISSING when the class directory is absent.
 */
export function readFibreChannelClass(sysPath: string, log: Log): FcHost[] {
  const out: FcHost[] = [];
  for (const name of listDir(sysPath, 'class/fc_host')) {
    try {
      out.push(readFcHost(sysPath, name));
    } catch (e) {
      if (!isMissing(e)) throw e;
      log.debug('device vanished while being read', { collector: 'fibrechannel', fc_host: name });
    }
  }
  return out;
}
