import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseSchedstat } from '../../src/procfs/schedstat';
import { neDataDir } from '../support/neFixtures';

describe('parseSchedstat', () => {
  it("reads upstream's CPU lines and skips version, timestamp and domain lines", () => {
    const cpus = parseSchedstat(readFileSync(join(neDataDir(), 'fixtures/proc/schedstat'), 'utf8'));
    expect(cpus).toEqual([
      { cpu: '0', runningNanoseconds: 2045936778163039, waitingNanoseconds: 343796328169361, timeslices: 4767485306 },
      { cpu: '1', runningNanoseconds: 1904686152592476, waitingNanoseconds: 364107263788241, timeslices: 5145567945 },
    ]);
  });

  it.each([
    ['an empty file', ''],
    ['a truncated cpu line', 'cpu0 1 2 3 4 5 6 7 8\n'],
    ['a non-number in a cpu line', 'cpu0 1 2 3 4 5 6 x 8 9\n'],
    ['a cpu line without a number', 'cpux 1 2 3 4 5 6 7 8 9\n'],
  ])('reads %s as no CPU (procfs matches CPU lines with a pattern)', (_n, text) => {
    expect(parseSchedstat(text)).toEqual([]);
  });
});
