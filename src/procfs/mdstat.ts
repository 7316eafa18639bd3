import { RxporterError } from '../errors';
import { fields, parseInt64 } from '../sysfs/parse';

/** One md device of /proc/mdstat, as procfs reads it. */
export interface MdStat {
  readonly name: string;
  /** active, inactive, recovering, resyncing, checking or reshaping. */
  readonly state: string;
  readonly disksActive: number;
  readonly disksTotal: number;
  readonly disksFailed: number;
  readonly disksSpare: number;
  readonly blocksTotal: number;
  readonly blocksSynced: number;
}

const bad = (msg: string): RxporterError => new RxporterError('RXP_PROC_PARSE', `mdstat: ${msg}`);

const count = (s: string, sub: string): number => {
  let n = 0;
  for (let at = s.indexOf(sub); at >= 0; at = s.indexOf(sub, at + sub.length)) n++;
  return n;
};

const STATUS = /(\d+) blocks .*\[(\d+)\/(\d+)\] \[([U_]+)\]/;
const RECOVERY_BLOCKS = /\((\d+\/\d+)\)/;
const RECOVERY_PCT = /= (.+)%/;
const RECOVERY_FINISH = /finish=(.+)min/;
const RECOVERY_SPEED = /speed=(.+)[A-Z]/;

function statusLine(deviceLine: string, status: string): [active: number, total: number, size: number] {
  const f = fields(status);
  const size = f.length > 0 ? parseInt64(f[0]) : NaN;
  if (Number.isNaN(size)) throw bad(`unexpected status line ${JSON.stringify(status)}`);
  if (deviceLine.includes('raid0') || deviceLine.includes('linear')) {
    const total = count(deviceLine, '[');
    return [total, total, size];
  }
  if (deviceLine.includes('inactive')) return [0, 0, size];
  const m = STATUS.exec(status);
  if (!m) throw bad(`unexpected status line ${JSON.stringify(status)}`);
  const total = parseInt64(m[2]);
  const active = parseInt64(m[3]);
  if (Number.isNaN(total) || Number.isNaN(active)) throw bad(`unexpected status line ${JSON.stringify(status)}`);
  return [active, total, size];
}

function recoveryLine(line: string): number {
  const m = RECOVERY_BLOCKS.exec(line);
  if (!m) throw bad(`unexpected recovery line ${JSON.stringify(line)}`);
  const [synced, toSync] = m[1].split('/').map(parseInt64);
  if (Number.isNaN(synced) || Number.isNaN(toSync)) throw bad(`unexpected recovery line ${JSON.stringify(line)}`);
  // procfs also requires the percentage, finish time and speed to parse.
  const pct = RECOVERY_PCT.exec(line);
  const finish = RECOVERY_FINISH.exec(line);
  const speed = RECOVERY_SPEED.exec(line);
  if (!pct || !finish || !speed || [pct[1].trim(), finish[1], speed[1]].some((v) => Number.isNaN(Number(v)) || v.trim() === '')) {
    throw bad(`unexpected recovery line ${JSON.stringify(line)}`);
  }
  return synced;
}

/**
 * Returns the md devices of /proc/mdstat, as procfs's parseMDStat does.
 *   "md6 : active raid1 sdb2[2](F) sdc[1](S) sda2[0]"
 *   "      195310144 blocks [2/1] [U_]"
 *   "      [=>...]  recovery =  8.5% (16775552/195310144) finish=17.0min speed=259783K/sec"
 *   → { name: 'md6', state: 'recovering', disksActive: 1, disksTotal: 2, disksFailed: 1,
 *       disksSpare: 1, blocksTotal: 195310144, blocksSynced: 16775552 }
 * Throws RXP_PROC_PARSE for a device line without its status lines (truncated) or a garbled one.
 */
export function parseMdstat(text: string): MdStat[] {
  const out: MdStat[] = [];
  const ls = text.split('\n');
  let personalities = false;
  for (let i = 0; i < ls.length; i++) {
    const line = ls[i];
    if (line.trim() === '' || line[0] === ' ' || line.startsWith('unused')) continue;
    if (!personalities && line.startsWith('Personalities : ')) {
      personalities = true;
      continue;
    }
    const f = fields(line);
    if (f.length < 3) throw bad(`expected 3+ fields, got ${JSON.stringify(line)}`);
    const name = f[0];
    let state = f[2];
    if (ls.length <= i + 3) throw bad(`too few lines for md device ${name}`);
    const disksFailed = count(line, '(F)');
    const disksSpare = count(line, '(S)');
    const [disksActive, disksTotal, size] = statusLine(line, ls[i + 1]);
    const sync = ls[i + 2].includes('bitmap') ? ls[i + 3] : ls[i + 2];
    let blocksSynced = size;
    const recovering = sync.includes('recovery');
    const reshaping = sync.includes('reshape');
    const resyncing = sync.includes('resync');
    const checking = sync.includes('check');
    if (recovering || reshaping || resyncing || checking) {
      state = recovering ? 'recovering' : reshaping ? 'reshaping' : checking ? 'checking' : 'resyncing';
      blocksSynced = sync.includes('PENDING') || sync.includes('DELAYED') ? 0 : recoveryLine(sync);
    }
    out.push({ name, state, disksActive, disksTotal, disksFailed, disksSpare, blocksTotal: size, blocksSynced });
  }
  return out;
}
