import { closeSync, openSync, readdirSync, readFileSync, readSync, realpathSync, statSync, lstatSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import { RxporterError } from '../errors';
import type { Labels, MetricFamily } from '../model/family';
import { cleanMetricName, explodeSensorFilename, HWMON_SENSOR_TYPES, toValidUtf8 } from '../sysfs/hwmon';
import { parseFloat64 } from '../sysfs/parse';
import { byteOrder } from '../sysfs/read';
import { FamilyBuilder } from './familyBuilder';
import { syncCollector } from './syncCollector';
import type { Collector, CollectorContext, CollectorDefinition } from './types';

/** Options of the hwmon collector (node_exporter's flags; '' means unset). */
export interface HwmonOptions {
  readonly chipInclude: string;
  readonly chipExclude: string;
  readonly sensorInclude: string;
  readonly sensorExclude: string;
}

const filter = (exclude: string, include: string) => {
  const ex = exclude !== '' ? new RegExp(exclude) : undefined;
  const inc = include !== '' ? new RegExp(include) : undefined;
  return (s: string) => (ex !== undefined && ex.test(s)) || (inc !== undefined && !inc.test(s));
};

const buf = Buffer.alloc(128);

/** Reads at most 128 bytes with one read, as node_exporter does; undefined when unreadable. */
function readAttr(path: string): Buffer | undefined {
  let fd: number;
  try {
    fd = openSync(path, 'r');
  } catch {
    return undefined;
  }
  try {
    const n = readSync(fd, buf, 0, 128, null);
    return Buffer.from(buf.subarray(0, n));
  } catch {
    return undefined;
  } finally {
    closeSync(fd);
  }
}

const trimNewlines = (s: string): string => {
  let a = 0;
  let b = s.length;
  while (a < b && s.charCodeAt(a) === 10) a++;
  while (b > a && s.charCodeAt(b - 1) === 10) b--;
  return s.slice(a, b);
};

type SensorData = Map<string, Map<string, Buffer>>;

/** Adds every sensor attribute file of `dir` to `data` (sensor → property → raw bytes). */
function collectSensorData(dir: string, data: SensorData): void {
  for (const name of readdirSync(dir).sort(byteOrder)) {
    const f = explodeSensorFilename(name);
    if (!f || !HWMON_SENSOR_TYPES.has(f.type)) continue;
    const raw = readAttr(join(dir, name));
    if (raw === undefined) continue;
    const sensor = `${f.type}${f.num}`;
    let props = data.get(sensor);
    if (!props) data.set(sensor, (props = new Map()));
    props.set(f.property, raw);
  }
}

/** Returns node_exporter's base name of an hwmon chip, or undefined when none can be derived. */
export function hwmonName(dir: string): string | undefined {
  try {
    const dev = realpathSync(join(dir, 'device'));
    const name = cleanMetricName(basename(dev));
    const type = cleanMetricName(basename(dirname(dev)));
    if (type !== '' && name !== '') return `${type}_${name}`;
    if (name !== '') return name;
  } catch {
    // no device link: fall back to the name file
  }
  try {
    const raw = readFileSync(join(dir, 'name'), 'utf8');
    if (raw !== '') {
      const clean = cleanMetricName(raw);
      if (clean !== '') return clean;
    }
  } catch {
    // no name file either: use the directory's own name
  }
  try {
    const clean = cleanMetricName(basename(realpathSync(dir)));
    return clean !== '' ? clean : undefined;
  } catch {
    return undefined;
  }
}

const str = (b: Buffer): string => trimNewlines(b.toString('latin1'));

/** Adds the families of one chip. */
function addChip(b: FamilyBuilder, dir: string, chip: string, sensorIgnored: (s: string) => boolean, ctx: CollectorContext): void {
  const data: SensorData = new Map();
  collectSensorData(dir, data);
  try {
    if (statSync(join(dir, 'device'))) collectSensorData(join(dir, 'device'), data);
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    if (code !== 'ENOENT' && code !== 'ENOTDIR') throw e;
  }
  try {
    const raw = readFileSync(join(dir, 'name'), 'utf8');
    const chipName = raw !== '' ? cleanMetricName(raw) : '';
    if (chipName !== '') b.gauge('node_hwmon_chip_names', 'Annotation metric for human-readable chip names', { chip, chip_name: chipName }, 1);
  } catch {
    // no human-readable name
  }
  for (const [sensor, props] of data) {
    if (sensorIgnored(`${chip};${sensor}`)) {
      ctx.log.debug('ignoring sensor', { collector: 'hwmon', chip, sensor });
      continue;
    }
    const type = explodeSensorFilename(sensor)?.type ?? '';
    const labels: Labels = { chip, sensor };
    const labelRaw = props.get('label');
    if (labelRaw !== undefined) {
      const label = trimNewlines(toValidUtf8(labelRaw));
      b.gauge('node_hwmon_sensor_label', 'Label for given chip and sensor', { chip, sensor, label }, 1);
    }
    const plain = props.get('');
    if (type === 'beep_enable') {
      b.gauge('node_hwmon_beep_enabled', 'Hardware beep enabled', labels, plain !== undefined && str(plain) === '1' ? 1 : 0);
      continue;
    }
    if (type === 'vrm' || type === 'update_interval') {
      const v = parseFloat64(plain !== undefined ? str(plain) : '');
      if (Number.isNaN(v)) continue;
      if (type === 'vrm') b.gauge('node_hwmon_voltage_regulator_version', 'Hardware voltage regulator', labels, v);
      else b.gauge('node_hwmon_update_interval_seconds', 'Hardware monitor update interval', labels, v * 0.001);
      continue;
    }
    const prefix = `node_hwmon_${type}`;
    for (const [element, raw] of props) {
      if (element === 'label') continue;
      let name = prefix;
      if (element === 'input') {
        if (plain !== undefined) name += '_input';
      } else if (element !== '') name += `_${cleanMetricName(element)}`;
      const text = str(raw);
      const v = parseFloat64(text);
      if (Number.isNaN(v) && text.toLowerCase() !== 'nan') continue;
      if (element === 'fault' || element === 'alarm') {
        b.gauge(name, `Hardware sensor ${element} status (${type})`, labels, v);
      } else if (element === 'beep') {
        b.gauge(`${name}_enabled`, 'Hardware monitor sensor has beeping enabled', labels, v);
      } else if (type === 'in' || type === 'cpu') {
        b.gauge(`${name}_volts`, `Hardware monitor for voltage (${element})`, labels, v * 0.001);
      } else if (type === 'temp' && element !== 'type') {
        b.gauge(`${name}_celsius`, `Hardware monitor for temperature (${element === '' ? 'input' : element})`, labels, v * 0.001);
      } else if (type === 'curr') {
        b.gauge(`${name}_amps`, `Hardware monitor for current (${element})`, labels, v * 0.001);
      } else if (type === 'energy') {
        b.counter(`${name}_joule_total`, `Hardware monitor for joules used so far (${element})`, labels, v / 1000000);
      } else if (type === 'power' && element === 'accuracy') {
        b.gauge(name, 'Hardware monitor power meter accuracy, as a ratio', labels, v / 1000000);
      } else if (type === 'power' && (element === 'average_interval' || element === 'average_interval_min' || element === 'average_interval_max')) {
        b.gauge(`${name}_seconds`, `Hardware monitor power usage update interval (${element})`, labels, v * 0.001);
      } else if (type === 'power') {
        b.gauge(`${name}_watt`, `Hardware monitor for power usage in watts (${element})`, labels, v / 1000000);
      } else if (type === 'humidity') {
        b.gauge(name, `Hardware monitor for humidity, as a ratio (multiply with 100.0 to get the humidity as a percentage) (${element})`, labels, v / 1000000);
      } else if (type === 'fan' && (element === 'input' || element === 'min' || element === 'max' || element === 'target')) {
        b.gauge(`${name}_rpm`, `Hardware monitor for fan revolutions per minute (${element})`, labels, v);
      } else if (type === 'freq' && element === 'input') {
        if (labelRaw !== undefined) {
          b.gauge(`${name}_freq_mhz`, 'Hardware monitor for GPU frequency in MHz', { chip, sensor: cleanMetricName(labelRaw.toString('latin1')) }, v / 1000000);
        }
      } else {
        b.gauge(name, `Hardware monitor ${type} element ${element}`, labels, v);
      }
    }
  }
}

/** Returns node_exporter's hwmon families for the chips under <sysfs>/class/hwmon. */
export function hwmonFamilies(ctx: CollectorContext, o: HwmonOptions): MetricFamily[] {
  const base = join(ctx.sysPath, 'class', 'hwmon');
  let names: string[];
  try {
    names = readdirSync(base).sort(byteOrder);
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    if (code === 'ENOENT' || code === 'ENOTDIR') throw new RxporterError('RXP_NO_DATA', 'hwmon collector metrics are not available for this system', false, { cause: e });
    throw new RxporterError('RXP_PROC_READ', `${base}: ${(e as Error).message}`, false, { cause: e });
  }
  const entries: { dir: string; base: string; nameFile: string }[] = [];
  const chipCounts = new Map<string, number>();
  const nameCounts = new Map<string, number>();
  for (const n of names) {
    const dir = join(base, n);
    try {
      const st = lstatSync(dir);
      if (!(st.isSymbolicLink() ? statSync(dir) : st).isDirectory()) continue;
    } catch {
      continue;
    }
    const baseName = hwmonName(dir);
    if (baseName === undefined) {
      ctx.log.debug('failed to derive hwmon chip name', { collector: 'hwmon', dir });
      continue;
    }
    let nameFile = '';
    try {
      nameFile = readFileSync(join(dir, 'name'), 'utf8').trim();
    } catch {
      // no name file
    }
    entries.push({ dir, base: baseName, nameFile });
    chipCounts.set(baseName, (chipCounts.get(baseName) ?? 0) + 1);
    const key = `${baseName}\u0000${nameFile}`;
    nameCounts.set(key, (nameCounts.get(key) ?? 0) + 1);
  }
  const chipIgnored = filter(o.chipExclude, o.chipInclude);
  const sensorIgnored = filter(o.sensorExclude, o.sensorInclude);
  const b = new FamilyBuilder();
  for (const e of entries) {
    let chip = e.base;
    if ((chipCounts.get(e.base) ?? 0) > 1) {
      // Several chips share a base name: tell them apart by their name file, else their directory.
      let suffix = cleanMetricName(e.nameFile);
      if (suffix === '' || (nameCounts.get(`${e.base}\u0000${e.nameFile}`) ?? 0) > 1) suffix = cleanMetricName(basename(e.dir));
      chip = `${e.base}_${suffix}`;
    }
    if (chipIgnored(chip)) {
      ctx.log.debug('ignoring hwmon chip', { collector: 'hwmon', chip });
      continue;
    }
    try {
      addChip(b, e.dir, chip, sensorIgnored, ctx);
    } catch (err) {
      const code = (err as NodeJS.ErrnoException).code;
      if (code !== 'ENOENT' && code !== 'ENOTDIR') throw new RxporterError('RXP_PROC_READ', `${e.dir}: ${(err as Error).message}`, false, { cause: err });
      ctx.log.debug('hwmon chip vanished', { collector: 'hwmon', chip });
    }
  }
  return b.families();
}

/** Returns the hwmon collector with its chip and sensor filters. */
export const createHwmonCollector = (o: HwmonOptions): Collector => syncCollector('hwmon', true, (ctx) => hwmonFamilies(ctx, o));

const opt = (doc: string, arg: string) => ({ doc, format: 'regexp-source', default: '', arg });

/** The hwmon collector's registration, with node_exporter's flags. */
export const hwmonDefinition: CollectorDefinition = {
  name: 'hwmon',
  defaultEnabled: true,
  options: {
    chipInclude: opt('Regexp of hwmon chip to include (mutually exclusive to device-exclude).', 'collector.hwmon.chip-include'),
    chipExclude: opt('Regexp of hwmon chip to exclude (mutually exclusive to device-include).', 'collector.hwmon.chip-exclude'),
    sensorInclude: opt('Regexp of hwmon sensor to include (mutually exclusive to sensor-exclude).', 'collector.hwmon.sensor-include'),
    sensorExclude: opt('Regexp of hwmon sensor to exclude (mutually exclusive to sensor-include).', 'collector.hwmon.sensor-exclude'),
  },
  create: (o) =>
    createHwmonCollector({
      chipInclude: String(o.chipInclude ?? ''),
      chipExclude: String(o.chipExclude ?? ''),
      sensorInclude: String(o.sensorInclude ?? ''),
      sensorExclude: String(o.sensorExclude ?? ''),
    }),
};
