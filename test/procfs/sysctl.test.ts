import { RxporterError } from '../../src/errors';
import { parseSysctlInts, parseSysctlStrings, sysctlPath } from '../../src/procfs/sysctl';
import { thrown } from '../support/thrown';

describe('sysctl parsers', () => {
  it('maps a name to its /proc path', () => {
    expect(sysctlPath('kernel.seccomp.actions_avail')).toBe('sys/kernel/seccomp/actions_avail');
  });

  it.each([
    ['1024\t0\t1631329\n', [1024, 0, 1631329]],
    ['7801\n', [7801]],
    ['0x10 -1', [16, -1]],
    ['', []],
  ])('reads %j as integers', (text, want) => expect(parseSysctlInts(text, 'x')).toEqual(want));

  it('reads strings split on whitespace', () => {
    expect(parseSysctlStrings('kill_process kill_thread\ttrap\n')).toEqual(['kill_process', 'kill_thread', 'trap']);
  });

  it.each([['1 two 3'], ['1.5'], ['99999999999999999999']])('throws RXP_PROC_PARSE for the non-integer in %j', (text) => {
    const e = thrown(() => parseSysctlInts(text, 'fs.file-nr'));
    expect(e).toBeInstanceOf(RxporterError);
    expect(e).toMatchObject({ code: 'RXP_PROC_PARSE' });
    expect((e as Error).message).toContain('fs.file-nr');
  });
});
