import { RxporterError } from '../errors';
import { hexOrNaN, splitFields, splitLines, uintBase0OrNaN } from './fields';

/** Totals of a /proc/net/{tcp,udp}[6] socket table. */
export interface NetIpSocketSummary {
  readonly txQueueLength: number;
  readonly rxQueueLength: number;
  readonly usedSockets: number;
  /** Summed drops (UDP tables only). */
  readonly drops?: number;
}

const isHexAddr = (s: string): boolean => (s.length === 8 || s.length === 32) && !Number.isNaN(hexOrNaN(s.slice(0, 8))) && /^[0-9a-fA-F]+$/.test(s);

/**
 * Returns the queue totals of a socket table after its header line:
 *   "   0: 00000000:0016 00000000:0000 0A 00000015:00000000 00:00000000 00000000     0        0 2740 1 …"
 * `udp` tables also sum the drops column (the 13th). Throws RXP_PROC_PARSE quoting the
 * line when a column procfs checks (slot, addresses, state, queues, uid, inode, drops)
 * is malformed or missing.
 */
export function parseNetIpSocketSummary(text: string, file: string, udp: boolean): NetIpSocketSummary {
  let tx = 0;
  let rx = 0;
  let used = 0;
  let drops = 0;
  const lines = splitLines(text);
  for (let i = 1; i < lines.length; i++) {
    const line = lines[i];
    const f = splitFields(line);
    const bad = (what: string) => new RxporterError('RXP_PROC_PARSE', `${file}: ${what}: ${JSON.stringify(line)}`);
    if (f.length < (udp ? 13 : 10)) throw bad('too few columns');
    const sl = f[0].split(':');
    if (sl.length !== 2 || Number.isNaN(uintBase0OrNaN(sl[0]))) throw bad('invalid sl');
    for (const addr of [f[1], f[2]]) {
      const p = addr.split(':');
      if (p.length !== 2 || !isHexAddr(p[0]) || Number.isNaN(hexOrNaN(p[1]))) throw bad('invalid address');
    }
    if (Number.isNaN(hexOrNaN(f[3]))) throw bad('invalid st');
    const q = f[4].split(':');
    const t = q.length === 2 ? hexOrNaN(q[0]) : NaN;
    const r = q.length === 2 ? hexOrNaN(q[1]) : NaN;
    if (Number.isNaN(t) || Number.isNaN(r)) throw bad('invalid tx/rx queues');
    if (Number.isNaN(uintBase0OrNaN(f[7])) || Number.isNaN(uintBase0OrNaN(f[9]))) throw bad('invalid uid or inode');
    if (udp) {
      const d = uintBase0OrNaN(f[12]);
      if (Number.isNaN(d)) throw bad('invalid drops');
      drops += d;
    }
    tx += t;
    rx += r;
    used++;
  }
  return { txQueueLength: tx, rxQueueLength: rx, usedSockets: used, ...(udp && used > 0 ? { drops } : {}) };
}
