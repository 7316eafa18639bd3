import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { RxporterError } from '../../src/errors';
import { parsePidStat } from '../../src/procfs/pid_stat';
import { neDataDir } from '../support/neFixtures';
import { thrown } from '../support/thrown';

const rest = ' 0 1 1 0 -1 4194560 9061 9416027 94 2620 36 98 54406 13885 20 0 4 0 29 109604864 2507 18446744073709551615 1 1 0 0 0 0 671173123 4096 1260 0 0 0 17 0 0 0 19 0 0\n';

describe('parsePidStat', () => {
  it.each([
    ['1', 'S', 1],
    ['11', 'I', 1],
  ])("reads upstream's /proc/%s/stat", (pid, state, threads) => {
    expect(parsePidStat(readFileSync(join(neDataDir(), `fixtures/proc/${pid}/stat`), 'utf8'))).toEqual({ state, numThreads: threads });
  });

  it('reads a command name holding spaces and parentheses', () => {
    expect(parsePidStat(`42 (my (weird) cmd) R${rest}`)).toEqual({ state: 'R', numThreads: 4 });
  });

  it.each([
    ['an empty file', ''],
    ['a file without a command name', `42 R${rest}`],
    ['a truncated file', '42 (bash) S 1 2 3'],
    ['a thread count that is not a number', `42 (bash) S${rest.replace(' 4 0 29', ' x 0 29')}`],
  ])('throws RXP_PROC_PARSE for %s', (_n, text) => {
    const e = thrown(() => parsePidStat(text));
    expect(e).toBeInstanceOf(RxporterError);
    expect(e).toMatchObject({ code: 'RXP_PROC_PARSE' });
  });
});
