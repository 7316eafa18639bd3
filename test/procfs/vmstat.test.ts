import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { RxporterError } from '../../src/errors';
import { parseVmstat } from '../../src/procfs/vmstat';
import { neDataDir } from '../support/neFixtures';
import { thrown } from '../support/thrown';

describe('parseVmstat', () => {
  it("reads every field of upstream's /proc/vmstat in file order", () => {
    const v = parseVmstat(readFileSync(join(neDataDir(), 'fixtures/proc/vmstat'), 'utf8'));
    expect(v[0]).toEqual(['nr_free_pages', 977769]);
    expect(new Map(v).get('pgfault')).toBe(2320168809);
  });

  it.each([
    ['an empty file', ''],
    ['a line without a value', 'pgfault\n'],
    ['a non-number', 'pgfault many\n'],
  ])('throws RXP_PROC_PARSE for %s', (_n, text) => {
    const e = thrown(() => parseVmstat(text));
    expect(e).toBeInstanceOf(RxporterError);
    expect(e).toMatchObject({ code: 'RXP_PROC_PARSE' });
  });
});
