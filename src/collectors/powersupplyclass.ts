import { closeSync, openSync, readdirSync, readSync } from 'node:fs';
import { join } from 'node:path';
import { RxporterError } from '../errors';
import type { MetricFamily } from '../model/family';
import { toValidUtf8 } from '../sysfs/hwmon';
import { parseInt64Base0, parseValueOrNone } from '../sysfs/parse';
import { byteOrder } from '../sysfs/read';
import { POWER_SUPPLY_LABELS, POWER_SUPPLY_NUMBERS, POWER_SUPPLY_UNREPORTED_NUMBERS } from '../sysfs/powerSupply';
import { FamilyBuilder } from './familyBuilder';
import { syncCollector } from './syncCollector';
import type { Collector, CollectorContext, CollectorDefinition } from './types';

const buf = Buffer.alloc(128); // procfs reads sysfs attributes with one 128-byte read

/** Reads up to 128 bytes of a sysfs attribute, as procfs; undefined for the errors procfs skips (gone, unsupported). */
function readAttr(path: string): Buffer | undefined {
  let fd: number;
  try {
    fd = openSync(path, 'r');
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    if (code === 'ENOENT' || code === 'ENOTSUP' || code === 'EOPNOTSUPP' || code === 'ENODEV' || code === 'EINVAL') return undefined;
    throw new RxporterError('RXP_PROC_READ', `${path}: ${(e as Error).message}`, false, { cause: e });
  }
  try {
    const n = readSync(fd, buf, 0, buf.length, null);
    return Buffer.from(buf.subarray(0, n));
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    if (code === 'ENOTSUP' || code === 'EOPNOTSUPP' || code === 'ENODEV' || code === 'EINVAL' || code === 'ENODATA') return undefined;
    throw new RxporterError('RXP_PROC_READ', `${path}: ${(e as Error).message}`, false, { cause: e });
  } finally {
    closeSync(fd);
  }
}

/** Returns the bytes with ASCII whitespace trimmed at both ends. */
const trimBytes = (b: Buffer): Buffer => {
  const ws = (c: number) => c === 32 || (c >= 9 && c <= 13);
  let s = 0;
  let e = b.length;
  while (s < e && ws(b[s])) s++;
  while (e > s && ws(b[e - 1])) e--;
  return b.subarray(s, e);
};

/** Adds one power supply's families; throws RXP_PROC_MISSING when it vanished. */
function addSupply(b: FamilyBuilder, dir: string, name: string): void {
  const entries = readdirSync(dir, { withFileTypes: true }).sort((x, y) => byteOrder(x.name, y.name));
  const info: Record<string, string> = { power_supply: name };
  for (const f of entries) {
    if (!f.isFile()) continue;
    const num = POWER_SUPPLY_NUMBERS[f.name];
    const isLabel = POWER_SUPPLY_LABELS.has(f.name);
    if (!num && !isLabel && !POWER_SUPPLY_UNREPORTED_NUMBERS.has(f.name)) continue;
    const raw = readAttr(join(dir, f.name));
    if (raw === undefined) continue;
    const bytes = trimBytes(raw);
    if (isLabel) {
      if (bytes.length > 0) info[f.name] = toValidUtf8(bytes);
      continue;
    }
    const text = bytes.toString('latin1');
    const v = parseValueOrNone(text, parseInt64Base0, `power_supply ${name}/${f.name}`);
    if (!num || v === undefined) continue;
    const [metric, div] = num;
    b.gauge(`node_power_supply_${metric}`, `${metric} value of /sys/class/power_supply/<power_supply>.`, { power_supply: name }, div === 1 ? v : v / div);
  }
  b.gauge('node_power_supply_info', 'info of /sys/class/power_supply/<power_supply>.', info, 1);
}

/** Returns node_exporter's power_supply families for <sysfs>/class/power_supply. */
export function powerSupplyFamilies(ctx: CollectorContext, ignored: RegExp): MetricFamily[] {
  const base = join(ctx.sysPath, 'class', 'power_supply');
  let names: string[];
  try {
    names = readdirSync(base).sort(byteOrder);
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    if (code === 'ENOENT' || code === 'ENOTDIR') throw new RxporterError('RXP_NO_DATA', 'no power_supply class', false, { cause: e });
    throw new RxporterError('RXP_PROC_READ', `${base}: ${(e as Error).message}`, false, { cause: e });
  }
  const b = new FamilyBuilder();
  for (const name of names) {
    if (ignored.test(name)) continue;
    const one = new FamilyBuilder(true); // scratch: a device is kept whole or not at all
    try {
      addSupply(one, join(base, name), name);
    } catch (e) {
      const code = (e as NodeJS.ErrnoException).code;
      if (code === 'ENOENT' || code === 'ENOTDIR') {
        ctx.log.debug('power supply vanished', { collector: 'powersupplyclass', power_supply: name });
        continue;
      }
      throw e instanceof RxporterError ? e : new RxporterError('RXP_PROC_READ', `${name}: ${(e as Error).message}`, false, { cause: e });
    }
    b.addAll(one);
  }
  return b.families();
}

/** Returns the powersupplyclass collector, skipping supplies whose name matches `ignoredSupplies`. */
export function createPowerSupplyClassCollector(ignoredSupplies: string): Collector {
  const ignored = new RegExp(ignoredSupplies);
  return syncCollector('powersupplyclass', true, (ctx) => powerSupplyFamilies(ctx, ignored));
}

/** The powersupplyclass collector's registration, with node_exporter's flag. */
export const powerSupplyClassDefinition: CollectorDefinition = {
  name: 'powersupplyclass',
  defaultEnabled: true,
  options: {
    ignoredSupplies: {
      doc: 'Regexp of power supplies to ignore for powersupplyclass collector.',
      format: 'regexp-source',
      default: '^$',
      arg: 'collector.powersupply.ignored-supplies',
    },
  },
  create: (o) => createPowerSupplyClassCollector(String(o.ignoredSupplies ?? '^$')),
};
