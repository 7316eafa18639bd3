import { rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { cpufreq, cpufreqFamilies } from '../../src/collectors/cpufreq';
import { RxporterError } from '../../src/errors';
import { collectOnEditedCopy, copyNeFixtures, expectUpstreamConformance, removeNeFixtures } from '../support/neFixtures';

const cpu = (f: string) => join('sys/devices/system/cpu', f);

describe('cpufreq collector', () => {
  let root: string;
  beforeAll(() => {
    root = copyNeFixtures(['sys']);
  });
  afterAll(() => removeNeFixtures(root));

  it("matches node_exporter's e2e output on upstream's fixtures", async () => {
    await expectUpstreamConformance(cpufreq, root, /^node_cpu_(scaling_.*|frequency_(min|max|avg)_hertz)$/, 20);
  });

  it('exports cpuinfo frequencies in hertz when the kernel has them', () => {
    const fams = cpufreqFamilies([{ name: '0', cpuinfoCurFreq: 800000, cpuinfoMaxFreq: 4000000, availableGovernors: 'performance', governor: '' }]);
    expect(fams).toEqual([
      { name: 'node_cpu_frequency_hertz', help: 'Current CPU thread frequency in hertz.', type: 'gauge', samples: [{ labels: { cpu: '0' }, value: 8e8 }] },
      { name: 'node_cpu_frequency_max_hertz', help: 'Maximum CPU thread frequency in hertz.', type: 'gauge', samples: [{ labels: { cpu: '0' }, value: 4e9 }] },
    ]);
  });

  it.each([
    ['the offline file is missing', cpu('offline'), null, 'RXP_PROC_MISSING'],
    ['a frequency is garbled', cpu('cpu2/cpufreq/scaling_max_freq'), 'x', 'RXP_PROC_PARSE'],
    ['a governor file is missing', cpu('cpu2/cpufreq/scaling_available_governors'), null, 'RXP_PROC_MISSING'],
  ])('fails the cycle with an RxporterError when %s', async (_n, file, content, code) => {
    const r = await collectOnEditedCopy(cpufreq, ['sys'], (dir) => (content === null ? rmSync(join(dir, file)) : writeFileSync(join(dir, file), content)));
    expect(r.error).toBeInstanceOf(RxporterError);
    expect(r.error).toMatchObject({ code });
  });

  it('skips a CPU whose cpufreq directory vanished', async () => {
    const r = await collectOnEditedCopy(cpufreq, ['sys'], (dir) => rmSync(join(dir, cpu('cpu1/cpufreq')), { recursive: true }));
    expect(r.families!.find((f) => f.name === 'node_cpu_scaling_frequency_hertz')!.samples.map((s) => s.labels.cpu)).toEqual(['0', '2', '3']);
  });
});
