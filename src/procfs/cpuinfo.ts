import { RxporterError } from '../errors';
import { fields, goFloat, goUint, scanLines, trimSpace } from './goStrconv';

/** One processor of /proc/cpuinfo, with the fields node_exporter's cpu collector uses. */
export interface CpuInfo {
  readonly processor: number;
  readonly vendorId: string;
  readonly cpuFamily: string;
  readonly model: string;
  readonly modelName: string;
  readonly stepping: string;
  readonly microcode: string;
  readonly cpuMHz: number;
  readonly cacheSize: string;
  readonly physicalId: string;
  readonly coreId: string;
  readonly flags: readonly string[];
  readonly bugs: readonly string[];
}

type Mutable<T> = { -readonly [K in keyof T]: T[K] };

const blank = (processor: number): Mutable<CpuInfo> => ({
  processor,
  vendorId: '',
  cpuFamily: '',
  model: '',
  modelName: '',
  stepping: '',
  microcode: '',
  cpuMHz: 0,
  cacheSize: '',
  physicalId: '',
  coreId: '',
  flags: [],
  bugs: [],
});

const bad = (what: string, line: string): RxporterError =>
  new RxporterError('RXP_PROC_PARSE', `cpuinfo: ${what}: ${JSON.stringify(line)}`);

/** Returns a processor number as ParseUint(s, 0, 32) reads it, or throws. */
function processorNumber(value: string, line: string): number {
  const v = goUint(value);
  if (!(v <= 0xffffffff)) throw bad('invalid processor number', line);
  return v;
}

/**
 * Returns the processors of an x86 /proc/cpuinfo, as procfs' x86 parser reads it: blocks
 * starting with "processor : N", "key : value" lines, values kept verbatim.
 *   "model name\t: Intel(R) Core(TM) i7-8650U CPU @ 1.90GHz" → modelName "Intel(R) Core(TM) …"
 *   "cpu MHz\t\t: 799.998" → cpuMHz 799.998
 * Throws RXP_PROC_PARSE quoting the line when the first line is not a processor line (empty
 * or foreign file) or a processor number or MHz is not a number.
 */
export function parseCpuinfoX86(text: string): CpuInfo[] {
  const lines = scanLines(text);
  let i = 0;
  while (i < lines.length && trimSpace(lines[i]) === '') i++;
  const first = i < lines.length ? lines[i] : '';
  if (!first.startsWith('processor') || !first.includes(':')) throw bad('cannot parse first line', first);
  const sep = first.indexOf(': ');
  if (sep < 0) throw bad('cannot parse first line', first);
  const out: Mutable<CpuInfo>[] = [blank(processorNumber(first.slice(sep + 2), first))];
  for (i++; i < lines.length; i++) {
    const line = lines[i];
    const colon = line.indexOf(':');
    if (colon < 0) continue;
    // "key\t: value": procfs splits on ": ", so "flags\t\t:" without a value has none.
    const sp = line.indexOf(': ');
    const key = trimSpace(sp < 0 ? line : line.slice(0, sp));
    const value = sp < 0 ? undefined : line.slice(sp + 2);
    const cur = out[out.length - 1];
    if (key === 'processor') {
      if (value === undefined) throw bad('invalid processor line', line);
      out.push(blank(processorNumber(value, line)));
      continue;
    }
    if (value === undefined) continue; // "power management:" — its key keeps the colon, as in procfs
    switch (key) {
      case 'vendor':
      case 'vendor_id':
        cur.vendorId = value;
        break;
      case 'cpu family':
        cur.cpuFamily = value;
        break;
      case 'model':
        cur.model = value;
        break;
      case 'model name':
        cur.modelName = value;
        break;
      case 'stepping':
        cur.stepping = value;
        break;
      case 'microcode':
        cur.microcode = value;
        break;
      case 'cpu MHz': {
        const v = goFloat(value);
        if (!v.ok) throw bad('invalid cpu MHz', line);
        cur.cpuMHz = v.value;
        break;
      }
      case 'cache size':
        cur.cacheSize = value;
        break;
      case 'physical id':
        cur.physicalId = value;
        break;
      case 'core id':
        cur.coreId = value;
        break;
      case 'flags':
        cur.flags = fields(value);
        break;
      case 'bugs':
        cur.bugs = fields(value);
        break;
    }
  }
  return out;
}
