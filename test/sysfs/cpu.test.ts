import { mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { RxporterError } from '../../src/errors';
import { parseCpuList, readCpufreq, readCpuOnline, readIsolatedCpus, readThermalThrottles } from '../../src/sysfs/cpu';
import { copyNeFixtures, removeNeFixtures } from '../support/neFixtures';
import { thrown } from '../support/thrown';

describe('parseCpuList', () => {
  it.each([
    ['1,3-5,9\n', [1, 3, 4, 5, 9]],
    ['0-3', [0, 1, 2, 3]],
    ['', []],
    ['\n', []],
    ['7', [7]],
  ])('reads %j', (text, want) => expect(parseCpuList(text)).toEqual(want));

  it.each([['1-x'], ['a'], ['1-2-3'], ['1 ,2']])('throws RXP_PROC_PARSE for %j', (text) => {
    const e = thrown(() => parseCpuList(text));
    expect(e).toBeInstanceOf(RxporterError);
    expect(e).toMatchObject({ code: 'RXP_PROC_PARSE' });
  });
});

describe('sysfs cpu readers on a copy of upstream fixtures', () => {
  let root: string;
  let sys: string;
  const cpuDir = (...p: string[]) => join(sys, 'devices/system/cpu', ...p);
  beforeEach(() => {
    root = copyNeFixtures(['sys']);
    sys = join(root, 'sys');
  });
  afterEach(() => removeNeFixtures(root));

  it('reads cpufreq of the four CPUs, kHz, with governors', () => {
    const f = readCpufreq(sys);
    expect(f.map((c) => c.name)).toEqual(['0', '1', '2', '3']);
    expect(f[0]).toMatchObject({ scalingCurFreq: 1699981, scalingMaxFreq: 3700000, scalingMinFreq: 800000, governor: 'powersave', availableGovernors: 'performance powersave' });
    expect(f[0].cpuinfoCurFreq).toBeUndefined();
  });

  it('skips the CPUs listed offline and a CPU without a cpufreq directory', () => {
    writeFileSync(cpuDir('offline'), '1\n');
    rmSync(cpuDir('cpu3', 'cpufreq'), { recursive: true });
    expect(readCpufreq(sys).map((c) => c.name)).toEqual(['0', '2']);
  });

  it.each([
    ['the offline file is missing', () => rmSync(cpuDir('offline')), 'RXP_PROC_MISSING'],
    ['a governor file is missing', () => rmSync(cpuDir('cpu1', 'cpufreq', 'scaling_governor')), 'RXP_PROC_MISSING'],
    ['a frequency is not a number', () => writeFileSync(cpuDir('cpu1', 'cpufreq', 'scaling_cur_freq'), 'fast\n'), 'RXP_PROC_PARSE'],
    ['no CPU directory is left', () => ['cpu0', 'cpu1', 'cpu2', 'cpu3'].forEach((c) => rmSync(cpuDir(c), { recursive: true })), 'RXP_PROC_MISSING'],
  ])('fails when %s', (_n, edit, code) => {
    edit();
    const e = thrown(() => readCpufreq(sys));
    expect(e).toBeInstanceOf(RxporterError);
    expect(e).toMatchObject({ code });
  });

  it('fails on a frequency it cannot read as a file (EISDIR), as procfs does', () => {
    rmSync(cpuDir('cpu0', 'cpufreq', 'scaling_cur_freq'));
    mkdirSync(cpuDir('cpu0', 'cpufreq', 'scaling_cur_freq'));
    const e = thrown(() => readCpufreq(sys));
    expect(e).toBeInstanceOf(RxporterError);
    expect(e).toMatchObject({ code: 'RXP_PROC_READ' });
  });

  it('reads isolated CPUs, and undefined without the file', () => {
    expect(readIsolatedCpus(sys)).toEqual([1, 3, 4, 5, 9]);
    rmSync(cpuDir('isolated'));
    expect(readIsolatedCpus(sys)).toBeUndefined();
  });

  it('reads thermal throttles once per package and core, skipping CPUs without topology', () => {
    const skipped: string[] = [];
    rmSync(cpuDir('cpu3', 'topology', 'core_id'));
    const t = readThermalThrottles(sys, (reason, cpu) => skipped.push(`${cpu}: ${reason}`));
    expect([...t.packages]).toEqual([
      [0, 30],
      [1, 6],
    ]);
    expect(skipped).toEqual(['cpu3: CPU is missing core_id']);
  });

  it('reads no online states when the first CPU has no online file, else every CPU', () => {
    expect(readCpuOnline(sys)).toBeUndefined();
    writeFileSync(cpuDir('cpu0', 'online'), '1\n');
    writeFileSync(cpuDir('cpu1', 'online'), '0\n');
    expect(readCpuOnline(sys)).toEqual([
      { cpu: '0', online: true },
      { cpu: '1', online: false },
      { cpu: '2', online: false },
      { cpu: '3', online: false },
    ]);
  });
});
