import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { RxporterError } from '../../src/errors';
import { parseStat } from '../../src/procfs/stat';
import { neDataDir } from '../support/neFixtures';
import { thrown } from '../support/thrown';

const upstream = () => readFileSync(join(neDataDir(), 'fixtures/proc/stat'), 'utf8');

describe('parseStat', () => {
  it("reads upstream's /proc/stat: counters, per-CPU seconds, softirq vectors", () => {
    const s = parseStat(upstream());
    expect(s.bootTime).toBe(1418183276);
    expect(s.contextSwitches).toBe(38014093);
    expect(s.intrTotal).toBe(8885917);
    expect(s.processesCreated).toBe(26442);
    expect(s.procsRunning).toBe(2);
    expect(s.procsBlocked).toBe(0);
    expect(s.softirqTotal).toBe(5057579);
    expect(s.softirq).toEqual([250191, 1481983, 1647, 211099, 186066, 0, 1783454, 622196, 12499, 508444]);
    expect([...s.cpus.keys()]).toEqual([0, 1, 2, 3, 4, 5, 6, 7]);
    expect(s.cpus.get(0)).toEqual({ user: 444.9, nice: 0.19, system: 210.45, idle: 10870.69, iowait: 2.2, irq: 0.01, softirq: 34.1, steal: 0, guest: 0.02, guestNice: 0.01 });
    expect(s.cpuTotal.user).toBe(3018.54);
  });

  it('reads an old kernel whose cpu lines lack steal and guest columns as 0', () => {
    const s = parseStat('cpu 1 2 3 4\ncpu0 100 200 300 400 500\nctxt 5\n');
    expect(s.cpus.get(0)).toMatchObject({ user: 1, nice: 2, system: 3, idle: 4, iowait: 5, irq: 0, steal: 0, guest: 0 });
    expect(s.softirq.every((v) => v === 0)).toBe(true);
  });

  it('ignores lines it does not know and lines of one field', () => {
    const s = parseStat('cpu0 1 1 1 1\nfoo 1 2 3\nlonely\nprocs_running 7\n');
    expect(s.procsRunning).toBe(7);
  });

  it.each([
    ['an empty file', ''],
    ['a file truncated before any cpu line', 'ctxt 1\nbtime 2\n'],
    ['a non-number in a cpu line', 'cpu0 1 x 3 4\n'],
    ['a cpu line with a bad cpu number', 'cpuX 1 2 3 4\n'],
    ['a non-number counter', 'cpu0 1 2 3 4\nctxt abc\n'],
    ['a negative counter', 'cpu0 1 2 3 4\nbtime -1\n'],
    ['a softirq line cut short', 'cpu0 1 2 3 4\nsoftirq 10 1 2 3\n'],
    ['a garbled intr line', 'cpu0 1 2 3 4\nintr 10 1 x 3\n'],
    ['a non-number intr total', 'cpu0 1 2 3 4\nintr x 1\n'],
  ])('throws RXP_PROC_PARSE for %s', (_n, text) => {
    const e = thrown(() => parseStat(text));
    expect(e).toBeInstanceOf(RxporterError);
    expect(e).toMatchObject({ code: 'RXP_PROC_PARSE' });
  });
});
