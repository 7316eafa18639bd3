import { RxporterError } from '../errors';
import { fields, goUint, scanLines } from './goStrconv';

/** The softirq types node_exporter exports, in its order. */
export const SOFTIRQ_TYPES = ['HI', 'TIMER', 'NET_TX', 'NET_RX', 'BLOCK', 'IRQ_POLL', 'TASKLET', 'SCHED', 'HRTIMER', 'RCU'] as const;

/**
 * Returns the per-CPU counts of each known softirq type in /proc/softirqs; other rows are
 * ignored, a missing row is absent.
 *   "      TIMER:     424191     108342" → TIMER → [424191, 108342]
 * Throws RXP_PROC_PARSE for an empty file and, quoting the line, for a non-number.
 */
export function parseSoftirqs(text: string): Map<string, number[]> {
  const lines = scanLines(text);
  if (lines.length === 0) throw new RxporterError('RXP_PROC_PARSE', 'softirqs: empty file');
  const out = new Map<string, number[]>();
  const known = new Set<string>(SOFTIRQ_TYPES);
  for (let i = 1; i < lines.length; i++) {
    const parts = fields(lines[i]);
    if (parts.length < 2 || !parts[0].endsWith(':')) continue;
    const type = parts[0].slice(0, -1);
    if (!known.has(type)) continue;
    const values: number[] = [];
    for (let c = 1; c < parts.length; c++) {
      const v = goUint(parts[c]);
      if (Number.isNaN(v)) throw new RxporterError('RXP_PROC_PARSE', `softirqs: invalid count ${JSON.stringify(parts[c])} in line ${JSON.stringify(lines[i])}`);
      values.push(v);
    }
    out.set(type, values);
  }
  return out;
}
