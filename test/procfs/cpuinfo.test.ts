import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { RxporterError } from '../../src/errors';
import { parseCpuinfoX86 } from '../../src/procfs/cpuinfo';
import { neDataDir } from '../support/neFixtures';
import { thrown } from '../support/thrown';

describe('parseCpuinfoX86', () => {
  it("reads upstream's eight processors with their labels, MHz, flags and bugs", () => {
    const cpus = parseCpuinfoX86(readFileSync(join(neDataDir(), 'fixtures/proc/cpuinfo'), 'utf8'));
    expect(cpus).toHaveLength(8);
    expect(cpus[0]).toMatchObject({
      processor: 0,
      vendorId: 'GenuineIntel',
      cpuFamily: '6',
      model: '142',
      modelName: 'Intel(R) Core(TM) i7-8650U CPU @ 1.90GHz',
      stepping: '10',
      microcode: '0xb4',
      cpuMHz: 799.998,
      cacheSize: '8192 KB',
      physicalId: '0',
      coreId: '0',
    });
    expect(cpus[0].flags).toContain('avx2');
    expect(cpus[0].bugs).toContain('cpu_meltdown');
    expect(cpus.map((c) => c.processor)).toEqual([0, 1, 2, 3, 4, 5, 6, 7]);
  });

  it('skips lines without a colon and keeps a processor without optional fields', () => {
    const cpus = parseCpuinfoX86('\nprocessor\t: 3\nno colon here\npower management:\nflags\t\t: fpu vme\n');
    expect(cpus).toEqual([expect.objectContaining({ processor: 3, vendorId: '', flags: ['fpu', 'vme'], bugs: [] })]);
  });

  it.each([
    ['an empty file', ''],
    ['a file that does not start with a processor line', 'vendor_id\t: GenuineIntel\n'],
    ['a truncated first line', 'processor\t:'],
    ['a processor number that is not a number', 'processor\t: x\n'],
    ['a second processor that is not a number', 'processor\t: 0\nprocessor\t: -1\n'],
    ['a cpu MHz that is not a number', 'processor\t: 0\ncpu MHz\t\t: fast\n'],
  ])('throws RXP_PROC_PARSE for %s', (_n, text) => {
    const e = thrown(() => parseCpuinfoX86(text));
    expect(e).toBeInstanceOf(RxporterError);
    expect(e).toMatchObject({ code: 'RXP_PROC_PARSE' });
  });
});
