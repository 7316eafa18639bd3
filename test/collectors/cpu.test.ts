import { rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { cpuDefinition, createCpuCollector, mergeCpuTimes, type CpuOptions } from '../../src/collectors/cpu';
import { RxporterError } from '../../src/errors';
import type { CpuTimes } from '../../src/procfs/stat';
import { collectAll, collectOnEditedCopy, copyNeFixtures, expectUpstreamConformance, fixtureContext, recordingLog, removeNeFixtures } from '../support/neFixtures';

const NAMES = /^node_cpu_(seconds_total|guest_seconds_total|info|frequency_hertz|flag_info|bug_info|isolated|package_throttles_total|core_throttles_total|online)$/;
const UPSTREAM: CpuOptions = {
  guest: true,
  info: true,
  flagsInclude: '^(aes|avx.?|constant_tsc)$',
  bugsInclude: '^(cpu_meltdown|spectre_.*|mds)$',
  cpufreqEnabled: true,
};

const times = (idle: number, user = 1): CpuTimes => ({ user, nice: 0, system: 0, idle, iowait: 0, irq: 0, softirq: 0, steal: 0, guest: 0, guestNice: 0 });

describe('cpu collector', () => {
  let root: string;
  beforeAll(() => {
    root = copyNeFixtures(['proc', 'sys']);
  });
  afterAll(() => removeNeFixtures(root));

  it("matches node_exporter's e2e output on upstream's fixtures with the upstream cpu.info flags", async () => {
    await expectUpstreamConformance(createCpuCollector(UPSTREAM), root, NAMES, 115);
  });

  it('exports no cpuinfo families without --collector.cpu.info and filters (the 64k-page run)', async () => {
    const fams = await collectAll(createCpuCollector({ ...UPSTREAM, info: false, flagsInclude: '', bugsInclude: '' }), fixtureContext(root));
    expect(fams.map((f) => f.name).sort()).toEqual([
      'node_cpu_core_throttles_total',
      'node_cpu_guest_seconds_total',
      'node_cpu_isolated',
      'node_cpu_package_throttles_total',
      'node_cpu_seconds_total',
    ]);
  });

  it('turns cpu.info on when a filter is set, and exports cpuinfo MHz only with cpufreq on', async () => {
    const fams = await collectAll(createCpuCollector({ ...UPSTREAM, info: false, cpufreqEnabled: false, bugsInclude: '' }), fixtureContext(root));
    const names = fams.map((f) => f.name);
    expect(names).toEqual(expect.arrayContaining(['node_cpu_info', 'node_cpu_flag_info']));
    expect(names).not.toContain('node_cpu_frequency_hertz');
    expect(names).not.toContain('node_cpu_bug_info');
  });

  it('drops guest seconds with --no-collector.cpu.guest', async () => {
    const fams = await collectAll(createCpuCollector({ ...UPSTREAM, guest: false }), fixtureContext(root));
    expect(fams.map((f) => f.name)).not.toContain('node_cpu_guest_seconds_total');
  });

  it('reads cpufreq enablement from the environment of its definition', async () => {
    const on = cpuDefinition.create({ guest: true, info: true, infoFlagsInclude: '', infoBugsInclude: '' }, { isEnabled: (n) => n === 'cpufreq' });
    const off = cpuDefinition.create({ guest: true, info: true, infoFlagsInclude: '', infoBugsInclude: '' }, { isEnabled: () => false });
    expect((await collectAll(on, fixtureContext(root))).map((f) => f.name)).toContain('node_cpu_frequency_hertz');
    expect((await collectAll(off, fixtureContext(root))).map((f) => f.name)).not.toContain('node_cpu_frequency_hertz');
  });

  it.each([
    ['/proc/stat is missing', 'proc/stat', null, 'RXP_PROC_MISSING'],
    ['/proc/stat is empty', 'proc/stat', '', 'RXP_PROC_PARSE'],
    ['/proc/stat has a non-number', 'proc/stat', 'cpu0 1 2 three 4\n', 'RXP_PROC_PARSE'],
    ['/proc/cpuinfo is missing', 'proc/cpuinfo', null, 'RXP_PROC_MISSING'],
    ['/proc/cpuinfo is truncated to nothing', 'proc/cpuinfo', '', 'RXP_PROC_PARSE'],
    ['isolated is garbled', 'sys/devices/system/cpu/isolated', '1-x\n', 'RXP_PROC_PARSE'],
  ])('fails the cycle with an RxporterError when %s', async (_n, file, content, code) => {
    const r = await collectOnEditedCopy(createCpuCollector(UPSTREAM), ['proc', 'sys'], (dir) => {
      if (content === null) rmSync(join(dir, file));
      else writeFileSync(join(dir, file), content);
    });
    expect(r.error).toBeInstanceOf(RxporterError);
    expect(r.error).toMatchObject({ code });
  });

  it('skips a CPU whose topology vanished, with a debug line', async () => {
    const log = recordingLog();
    const r = await collectOnEditedCopy(createCpuCollector(UPSTREAM), ['proc', 'sys'], (dir) => rmSync(join(dir, 'sys/devices/system/cpu/cpu1/topology'), { recursive: true }), log);
    const cores = r.families!.find((f) => f.name === 'node_cpu_core_throttles_total')!;
    expect(cores.samples).toHaveLength(3);
    expect(log.lines).toContainEqual(expect.objectContaining({ level: 'debug', message: 'CPU is missing physical_package_id' }));
  });
});

describe('mergeCpuTimes', () => {
  it('keeps a counter that went backwards at its old value', () => {
    const cache = new Map([[0, times(100, 50)]]);
    mergeCpuTimes(cache, new Map([[0, times(101, 49)]]), recordingLog());
    expect(cache.get(0)).toMatchObject({ idle: 101, user: 50 });
  });

  it('resets a CPU whose idle went back by 3 s or more (a hotplug)', () => {
    const cache = new Map([[0, times(100, 50)]]);
    const log = recordingLog();
    mergeCpuTimes(cache, new Map([[0, times(97, 2)]]), log);
    expect(cache.get(0)).toMatchObject({ idle: 97, user: 2 });
    expect(log.lines[0]).toMatchObject({ level: 'debug' });
  });

  it('drops CPUs gone from /proc/stat and adds new ones', () => {
    const cache = new Map([
      [0, times(1)],
      [1, times(1)],
    ]);
    mergeCpuTimes(cache, new Map([[2, times(5)]]), recordingLog());
    expect([...cache.keys()]).toEqual([2]);
  });
});
