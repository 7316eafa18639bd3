import { mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { processes } from '../../src/collectors/processes';
import { RxporterError } from '../../src/errors';
import { collectOnEditedCopy, copyNeFixtures, expectUpstreamConformance, recordingLog, removeNeFixtures } from '../support/neFixtures';

const stat = (pid: string, state: string, threads: number) =>
  `${pid} (worker ${pid}) ${state} 1 1 1 0 -1 4194560 0 0 0 0 0 0 0 0 20 0 ${threads} 0 29 0 0 18446744073709551615 0 0 0 0 0 0 0 0 0 0 0 0 17 0 0 0 0 0 0\n`;

describe('processes collector', () => {
  let root: string;
  beforeAll(() => {
    root = copyNeFixtures(['proc']);
  });
  afterAll(() => removeNeFixtures(root));

  it("matches node_exporter's e2e output on upstream's fixtures", async () => {
    await expectUpstreamConformance(processes, root, /^node_processes_/, 6);
  });

  it('counts thread states from task/<tid>/stat, the main thread by its process state', async () => {
    const r = await collectOnEditedCopy(processes, ['proc'], (dir) => {
      const task = join(dir, 'proc/10/task');
      mkdirSync(join(task, '10'), { recursive: true });
      mkdirSync(join(task, '12'), { recursive: true });
      mkdirSync(join(task, '13'), { recursive: true });
      writeFileSync(join(task, '12/stat'), stat('12', 'R', 3));
      writeFileSync(join(task, '13/stat'), stat('13', 'D', 3));
    });
    const ts = r.families!.find((f) => f.name === 'node_processes_threads_state')!;
    expect(new Map(ts.samples.map((s) => [s.labels.thread_state, s.value]))).toEqual(
      new Map([
        ['S', 1],
        ['R', 1],
        ['D', 1],
      ]),
    );
  });

  it('skips a process and a thread that exited between listing and reading, with debug lines', async () => {
    const log = recordingLog();
    const r = await collectOnEditedCopy(
      processes,
      ['proc'],
      (dir) => {
        rmSync(join(dir, 'proc/11/stat'));
        mkdirSync(join(dir, 'proc/10/task/14'), { recursive: true }); // listed, stat already gone
      },
      log,
    );
    expect(r.families!.find((f) => f.name === 'node_processes_pids')!.samples[0].value).toBe(2);
    expect(log.lines.filter((l) => l.level === 'debug').map((l) => l.message)).toEqual(
      expect.arrayContaining(['file not found when retrieving stats for pid', 'file not found when retrieving stats for thread']),
    );
  });

  it.each([
    ['a process stat is garbled', 'proc/1/stat', '1 (x) S 1 2\n', 'RXP_PROC_PARSE'],
    ['threads-max is missing', 'proc/sys/kernel/threads-max', null, 'RXP_PROC_MISSING'],
    ['pid_max is not a number', 'proc/sys/kernel/pid_max', 'lots\n', 'RXP_PROC_PARSE'],
  ])('fails the cycle with an RxporterError when %s', async (_n, file, content, code) => {
    const r = await collectOnEditedCopy(processes, ['proc'], (dir) => (content === null ? rmSync(join(dir, file)) : writeFileSync(join(dir, file), content)));
    expect(r.error).toBeInstanceOf(RxporterError);
    expect(r.error).toMatchObject({ code });
  });
});
