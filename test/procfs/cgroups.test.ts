import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { RxporterError } from '../../src/errors';
import { parseCgroups } from '../../src/procfs/cgroups';
import { neDataDir } from '../support/neFixtures';
import { thrown } from '../support/thrown';

describe('parseCgroups', () => {
  it("reads upstream's twelve controllers and skips the header", () => {
    const subs = parseCgroups(readFileSync(join(neDataDir(), 'fixtures/proc/cgroups'), 'utf8'));
    expect(subs).toHaveLength(12);
    expect(subs[0]).toEqual({ subsysName: 'cpuset', hierarchy: 5, cgroups: 47, enabled: 1 });
  });

  it('reads a header-only file as no controllers', () => {
    expect(parseCgroups('#subsys_name\thierarchy\tnum_cgroups\tenabled\n')).toEqual([]);
  });

  it.each([
    ['an empty file', ''],
    ['a truncated line', 'cpuset\t5\t47\n'],
    ['a non-number', 'cpuset\t5\tmany\t1\n'],
  ])('throws RXP_PROC_PARSE for %s', (_n, text) => {
    const e = thrown(() => parseCgroups(text));
    expect(e).toBeInstanceOf(RxporterError);
    expect(e).toMatchObject({ code: 'RXP_PROC_PARSE' });
  });
});
