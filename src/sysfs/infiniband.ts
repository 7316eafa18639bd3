import { join } from 'node:path';
import { RxporterError } from '../errors';
import type { Log } from '../log/types';
import { isUintText, trimSpace, uintBase0OrNaN } from '../procfs/fields';
import { readProcText } from '../procfs/read';
import { isMissing, listDir, listDirents, readOptional } from './read';

/** One port of an InfiniBand device under /sys/class/infiniband/<dev>/ports/<n>. */
export interface InfinibandPort {
  readonly port: number;
  readonly linkLayer: string;
  readonly stateId: number;
  readonly physStateId: number;
  readonly rateBytesPerSecond: number;
  /** counters/* and counters_ext/* by file name; data counters already ×4 (they count 4-byte words). */
  readonly counters: ReadonlyMap<string, number>;
  /** hw_counters/* by file name. */
  readonly hwCounters: ReadonlyMap<string, number>;
}

/** One InfiniBand device. */
export interface InfinibandDevice {
  readonly name: string;
  readonly boardId: string;
  readonly firmwareVersion: string;
  readonly hcaType: string;
  readonly ports: readonly InfinibandPort[];
}

const parseError = (what: string, text: string): RxporterError =>
  new RxporterError('RXP_PROC_PARSE', `infiniband: ${what}: ${JSON.stringify(text)}`);

/** Returns the id of a state file, "4: ACTIVE" → 4. Throws RXP_PROC_PARSE on another shape. */
export function parseInfinibandState(text: string): number {
  const parts = text.split(':');
  const id = parts.length === 2 ? trimSpace(parts[0]) : '';
  if (parts.length !== 2 || !isUintText(id) || Number(id) > 0xffffffff) throw parseError('invalid state', text);
  return Number(id);
}

/**
 * Returns a rate file in bytes per second: "40 Gb/sec (4X QDR)" → 5e9. The number is read
 * as a float32 and the product truncated, as procfs does. Throws RXP_PROC_PARSE otherwise.
 */
export function parseInfinibandRate(text: string): number {
  const sp = text.indexOf(' ');
  const num = sp < 0 ? '' : trimSpace(text.slice(0, sp));
  const v = Number(num);
  if (sp < 0 || num === '' || !Number.isFinite(v) || !/^[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?$/.test(num)) {
    throw parseError('invalid rate', text);
  }
  const r = Math.trunc(Math.fround(v) * 125000000);
  return r < 0 ? 0 : r;
}

/** Files whose value counts 4-byte words (the kernel reports PortXmitData/PortRcvData that way). */
const WORD_COUNTERS = new Set(['port_rcv_data', 'port_xmit_data', 'port_rcv_data_64', 'port_xmit_data_64']);

/** Read errors procfs skips silently for a counter file. */
const SKIPPED_READ_ERRORS = new Set(['ENOENT', 'EACCES', 'EPERM', 'EOPNOTSUPP', 'ENOTSUP', 'EINVAL']);

/**
 * Returns one counter file's value: ×4 for data counters (wrapping at 2^64 as Go's uint64),
 * undefined for "N/A (no PMA)". Throws RXP_PROC_PARSE on anything else not a number.
 */
export function parseInfinibandCounter(file: string, text: string): number | undefined {
  const v = uintBase0OrNaN(text);
  if (Number.isNaN(v)) {
    if (text.includes('N/A (no PMA)')) return undefined;
    throw parseError(`invalid counter ${file}`, text);
  }
  if (!WORD_COUNTERS.has(file)) return v;
  const x4 = v * 4;
  return x4 < 2 ** 64 ? x4 : Number((BigInt(text) * 4n) % 2n ** 64n);
}

function readCounterDir(sysPath: string, dir: string, into: Map<string, number>, required: boolean): void {
  let entries;
  try {
    entries = listDirents(sysPath, dir);
  } catch (e) {
    if (!required && isMissing(e)) return;
    throw e;
  }
  for (const d of entries) {
    if (!d.isFile()) continue;
    let text: string;
    try {
      text = trimSpace(readProcText(sysPath, join(dir, d.name)));
    } catch (e) {
      const code = ((e as RxporterError).cause as NodeJS.ErrnoException | undefined)?.code;
      if (isMissing(e) || (code !== undefined && SKIPPED_READ_ERRORS.has(code))) continue;
      throw e;
    }
    const v = parseInfinibandCounter(d.name, text);
    if (v !== undefined) into.set(d.name, v);
  }
}

/** Returns one port's attributes and counters. Throws RXP_PROC_* on a missing or garbled file. */
export function readInfinibandPort(sysPath: string, device: string, port: string): InfinibandPort {
  if (!isUintText(port) || Number(port) > 0xffffffff) throw parseError('invalid port directory', port);
  const dir = join('class/infiniband', device, 'ports', port);
  const linkLayer = trimSpace(readProcText(sysPath, join(dir, 'link_layer')));
  const stateId = parseInfinibandState(readProcText(sysPath, join(dir, 'state')));
  const physStateId = parseInfinibandState(readProcText(sysPath, join(dir, 'phys_state')));
  const rateBytesPerSecond = parseInfinibandRate(readProcText(sysPath, join(dir, 'rate')));
  const counters = new Map<string, number>();
  const hwCounters = new Map<string, number>();
  if (readOptionalDir(sysPath, join(dir, 'counters'))) {
    readCounterDir(sysPath, join(dir, 'counters'), counters, true);
    readCounterDir(sysPath, join(dir, 'counters_ext'), counters, false);
  }
  if (readOptionalDir(sysPath, join(dir, 'hw_counters'))) readCounterDir(sysPath, join(dir, 'hw_counters'), hwCounters, true);
  return { port: Number(port), linkLayer, stateId, physStateId, rateBytesPerSecond, counters, hwCounters };
}

function readOptionalDir(root: string, rel: string): boolean {
  try {
    listDir(root, rel);
    return true;
  } catch (e) {
    if (isMissing(e)) return false;
    throw e;
  }
}

/** Returns one device: fw_ver (required), board_id, hca_type and its ports. */
export function readInfinibandDevice(sysPath: string, name: string): InfinibandDevice {
  const dir = join('class/infiniband', name);
  const firmwareVersion = trimSpace(readProcText(sysPath, join(dir, 'fw_ver')));
  const boardId = readOptional(sysPath, join(dir, 'board_id')) ?? '';
  const hcaType = readOptional(sysPath, join(dir, 'hca_type')) ?? '';
  const ports = listDir(sysPath, join(dir, 'ports')).map((p) => readInfinibandPort(sysPath, name, p));
  return { name, boardId, firmwareVersion, hcaType, ports };
}

/**
 * Returns the InfiniBand devices of <sysfs>/class/infiniband that `keep` accepts. A device
 * that vanishes between listing and reading is skipped with a debug line. Throws
 * RXP_PROC_MISSING when the class directory itself is absent.
 */
export function readInfinibandClass(sysPath: string, keep: (name: string) => boolean, log: Log): InfinibandDevice[] {
  const out: InfinibandDevice[] = [];
  for (const name of listDir(sysPath, 'class/infiniband')) {
    if (!keep(name)) continue;
    try {
      out.push(readInfinibandDevice(sysPath, name));
    } catch (e) {
      if (!isMissing(e)) throw e;
      log.debug('device vanished while being read', { collector: 'infiniband', device: name, error: (e as Error).message });
    }
  }
  return out;
}
