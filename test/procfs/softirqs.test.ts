import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { RxporterError } from '../../src/errors';
import { parseSoftirqs } from '../../src/procfs/softirqs';
import { neDataDir } from '../support/neFixtures';
import { thrown } from '../support/thrown';

describe('parseSoftirqs', () => {
  it("reads upstream's ten softirq types per CPU", () => {
    const m = parseSoftirqs(readFileSync(join(neDataDir(), 'fixtures/proc/softirqs'), 'utf8'));
    expect(m.size).toBe(10);
    expect(m.get('TIMER')).toEqual([424191, 108342]);
    expect(m.get('IRQ_POLL')).toEqual([0, 0]);
  });

  it('ignores unknown types, lines without counts and a type without its colon', () => {
    const m = parseSoftirqs('   CPU0\n NEW_ONE: 5\n HI:\n TIMER 3\n RCU: 9\n');
    expect([...m]).toEqual([['RCU', [9]]]);
  });

  it.each([
    ['an empty file', ''],
    ['a non-number count', '  CPU0 CPU1\n  HI: 1 x\n'],
    ['a negative count', '  CPU0\n  HI: -1\n'],
  ])('throws RXP_PROC_PARSE for %s', (_n, text) => {
    const e = thrown(() => parseSoftirqs(text));
    expect(e).toBeInstanceOf(RxporterError);
    expect(e).toMatchObject({ code: 'RXP_PROC_PARSE' });
  });
});
