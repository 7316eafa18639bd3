import { parsePidCgroup } from '../../src/procfs/pid_cgroup';
import { parsePidCmdline, parsePidWchan } from '../../src/procfs/pid_cmdline';
import { parsePidIO } from '../../src/procfs/pid_io';
import { parsePidLimitsOpenFiles, UNLIMITED } from '../../src/procfs/pid_limits';
import { parsePidSmaps } from '../../src/procfs/pid_smaps';
import { parseProcessStat } from '../../src/procfs/pid_stat';
import { parsePidStatus } from '../../src/procfs/pid_status';
import { limitsText, smapsText, statLine, statusText } from '../../bench/procTree';
import { thrownCode } from '../support/edge';

describe('process collector parsers', () => {
  it('reads /proc/<pid>/stat fields after the last ")" (comm with spaces and parentheses)', () => {
    const s = parseProcessStat(statLine({ pid: 7, comm: 'a) b (c', ppid: 3, state: 'R', minflt: 11, majflt: 2, utime: 150, stime: 25, numThreads: 4, starttime: 1234, vsize: 8192, rss: 5 }));
    expect(s).toEqual({ comm: 'a) b (c', state: 'R', ppid: 3, minflt: 11, majflt: 2, utime: 150, stime: 25, numThreads: 4, starttime: 1234, vsize: 8192, rss: 5 });
  });

  it.each([
    ['no comm', '7 sleep S 1'],
    ['truncated after the state', '7 (sleep) S 1 7 7 0 -1'],
    ['a word where rss belongs', statLine({ pid: 7, comm: 'x' }).replace(/ 0 18446744073709551615/, ' lots 18446744073709551615')],
    ['empty', ''],
  ])('refuses a stat with %s', (_what, text) => {
    expect(thrownCode(() => parseProcessStat(text))).toBe('RXP_PROC_PARSE');
  });

  it('reads uids, VmSwap in bytes and context switches from status', () => {
    expect(parsePidStatus(statusText({ pid: 1, comm: 'x', uid: 33, swapKb: 12, voluntary: 7, nonvoluntary: 2 }))).toEqual({
      uids: [33, 33, 33, 33],
      vmSwapBytes: 12288,
      voluntaryCtxtSwitches: 7,
      nonvoluntaryCtxtSwitches: 2,
    });
  });

  it.each([
    ['no Uid line (truncated)', 'Name:\tx\nUmask:\t0022\n'],
    ['a garbled Uid line', 'Uid:\t0\tzero\t0\t0\n'],
    ['a garbled counter', 'Uid:\t0\t0\t0\t0\nvoluntary_ctxt_switches:\tmany\n'],
  ])('refuses a status with %s', (_what, text) => {
    expect(thrownCode(() => parsePidStatus(text))).toBe('RXP_PROC_PARSE');
  });

  it('reads read_bytes and write_bytes from io, and refuses a truncated one', () => {
    expect(parsePidIO('rchar: 1\nwchar: 2\nsyscr: 3\nsyscw: 4\nread_bytes: 16384\nwrite_bytes: 4096\ncancelled_write_bytes: 0\n')).toEqual({ readBytes: 16384, writeBytes: 4096 });
    expect(thrownCode(() => parsePidIO('rchar: 1\nwchar: 2\nsyscr: 3\n'))).toBe('RXP_PROC_PARSE');
  });

  it('reads the open files soft limit, "unlimited" as 2^64-1', () => {
    expect(parsePidLimitsOpenFiles(limitsText({ pid: 1, comm: 'x', fdLimit: 1024 }))).toBe(1024);
    expect(parsePidLimitsOpenFiles(limitsText({ pid: 1, comm: 'x', fdLimit: 'unlimited' }))).toBe(UNLIMITED);
    expect(thrownCode(() => parsePidLimitsOpenFiles('Limit    Soft Limit\nMax cpu time  unlimited  unlimited  seconds\n'))).toBe('RXP_PROC_PARSE');
  });

  it('sums Pss and SwapPss in bytes over smaps_rollup or every smaps block', () => {
    expect(parsePidSmaps(smapsText({ pid: 1, comm: 'x', pssKb: 668, swapPssKb: 2 }))).toEqual({ pssBytes: 668 * 1024, swapPssBytes: 2048 });
    const smaps = 'a-b r-xp 0 0:0 0 /bin/x\nRss:   8 kB\nPss:   4 kB\nSwapPss:   1 kB\nc-d rw-p 0 0:0 0\nPss:   6 kB\nSwapPss:   0 kB\n';
    expect(parsePidSmaps(smaps)).toEqual({ pssBytes: 10 * 1024, swapPssBytes: 1024 });
    expect(parsePidSmaps('')).toEqual({ pssBytes: 0, swapPssBytes: 0 });
    expect(thrownCode(() => parsePidSmaps('x\nPss:   lots kB\n'))).toBe('RXP_PROC_PARSE');
  });

  it('splits cmdline on NUL and reads wchan "0" as none', () => {
    expect(parsePidCmdline('sleep\0 1000\0')).toEqual(['sleep', ' 1000']);
    expect(parsePidCmdline('nginx: worker process\0\0\0')).toEqual(['nginx: worker process']);
    expect(parsePidCmdline('')).toEqual([]);
    expect(parsePidWchan('0')).toBe('');
    expect(parsePidWchan('do_wait')).toBe('do_wait');
  });

  it('reads cgroup paths (v1 and v2 lines, colons in the path kept)', () => {
    expect(parsePidCgroup('12:pids:/user.slice\n1:name=systemd:/a:b\n0::/init.scope\n')).toEqual(['/user.slice', '/a:b', '/init.scope']);
    expect(thrownCode(() => parsePidCgroup('garbage\n'))).toBe('RXP_PROC_PARSE');
  });
});
