import { cpSync, existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createProcessCollector, processDefinition, type ProcessCollectorOptions } from '../../src/collectors/process';
import type { MetricFamily } from '../../src/model/family';
import { parseProcessNamesConfig, readProcessNamesConfig } from '../../src/process/config';
import { GO_ZERO_TIME_UNIX } from '../../src/process/tracker';
import { statLine, syntheticProcesses, writeProcTree } from '../../bench/procTree';
import { collectAll, fixtureContext, recordingLog } from '../support/neFixtures';
import { fixture } from '../support/paths';

const PAGE = 4096;

/** Returns the value of the sample of `name` whose labels include `labels`, or undefined. */
function value(fams: readonly MetricFamily[], name: string, labels: Record<string, string> = {}): number | undefined {
  const f = fams.find((x) => x.name === name);
  const s = f?.samples.find((x) => Object.entries(labels).every(([k, v]) => x.labels[k] === v));
  return s?.value;
}

const groupNames = (fams: readonly MetricFamily[]): string[] =>
  fams.find((f) => f.name === 'namedprocess_namegroup_num_procs')!.samples.map((s) => s.labels.groupname).sort();

const options = (config: string, o: Partial<ProcessCollectorOptions> = {}): ProcessCollectorOptions => ({
  config: readProcessNamesConfig(fixture('proc-process', config)),
  children: true,
  threads: true,
  gatherSmaps: true,
  recheck: false,
  maxGroups: 1000,
  pageSize: PAGE,
  ...o,
});

describe('process collector', () => {
  let root: string;
  beforeEach(() => {
    root = mkdtempSync(join(tmpdir(), 'rxp-process-'));
    cpSync(fixture('proc-process'), root, { recursive: true });
  });
  afterEach(() => rmSync(root, { recursive: true, force: true }));

  const collect = (c: ReturnType<typeof createProcessCollector>, log = recordingLog()) => collectAll(c, fixtureContext(root, log));

  it('groups by {{.Comm}} the processes with a cmdline, children of a tracked process in its group', async () => {
    const fams = await collect(createProcessCollector(options('all.yml')));
    // kthreadd (no cmdline, parent 0) is left out; the zombie (no cmdline) is a child of bash.
    expect(groupNames(fams)).toEqual(['a) b (c', 'bash', 'nginx', 'postgres', 'sleep', 'systemd']);
    const nginx = { groupname: 'nginx' };
    expect(value(fams, 'namedprocess_namegroup_num_procs', nginx)).toBe(2);
    expect(value(fams, 'namedprocess_namegroup_num_threads', nginx)).toBe(4);
    expect(value(fams, 'namedprocess_namegroup_memory_bytes', { ...nginx, memtype: 'resident' })).toBe((1200 + 1500) * PAGE);
    expect(value(fams, 'namedprocess_namegroup_memory_bytes', { ...nginx, memtype: 'virtual' })).toBe(115_000_000);
    expect(value(fams, 'namedprocess_namegroup_memory_bytes', { ...nginx, memtype: 'swapped' })).toBe(16 * 1024);
    expect(value(fams, 'namedprocess_namegroup_memory_bytes', { ...nginx, memtype: 'proportionalResident' })).toBe((1800 + 2500) * 1024);
    expect(value(fams, 'namedprocess_namegroup_memory_bytes', { ...nginx, memtype: 'proportionalSwapped' })).toBe(8 * 1024);
    expect(value(fams, 'namedprocess_namegroup_open_filedesc', nginx)).toBe(20);
    expect(value(fams, 'namedprocess_namegroup_worst_fd_ratio', nginx)).toBe(12 / 1024);
    expect(value(fams, 'namedprocess_namegroup_oldest_start_time_seconds', nginx)).toBe(1700000020);
    // As process-exporter: a multi-threaded process adds its threads' states to its own.
    expect(value(fams, 'namedprocess_namegroup_states', { ...nginx, state: 'Sleeping' })).toBe(5);
    expect(value(fams, 'namedprocess_namegroup_threads_wchan', { ...nginx, wchan: 'do_epoll_wait' })).toBe(2);
    expect(value(fams, 'namedprocess_namegroup_threads_wchan', { ...nginx, wchan: 'futex_wait_queue' })).toBe(2);
    expect(value(fams, 'namedprocess_namegroup_threads_wchan', { ...nginx, wchan: 'sigsuspend' })).toBe(1);
    expect(value(fams, 'namedprocess_namegroup_thread_count', { ...nginx, threadname: 'nginx-io' })).toBe(2);
    expect(value(fams, 'namedprocess_namegroup_thread_count', { ...nginx, threadname: 'nginx' })).toBe(1);
    expect(value(fams, 'namedprocess_namegroup_states', { groupname: 'bash', state: 'Zombie' })).toBe(1);
    expect(value(fams, 'namedprocess_namegroup_states', { groupname: 'postgres', state: 'Waiting' })).toBe(1);
    expect(value(fams, 'namedprocess_namegroup_worst_fd_ratio', { groupname: 'postgres' })).toBe(6 / 1024); // the other has no limit
    // Counters start at 0 for processes older than the collector, as process-exporter's do.
    expect(value(fams, 'namedprocess_namegroup_cpu_seconds_total', { ...nginx, mode: 'user' })).toBe(0);
    expect(value(fams, 'namedprocess_scrape_procread_errors')).toBe(0);
    expect(value(fams, 'namedprocess_scrape_partial_errors')).toBe(0);
  });

  it('names groups from comm, exe and cmdline rules with Username and Matches', async () => {
    const fams = await collect(createProcessCollector(options('rules.yml')));
    expect(groupNames(fams)).toEqual(['-bash-alice', 'nginx', 'pg:postgres:/etc/postgresql/15/main/postgresql.conf']);
    expect(value(fams, 'namedprocess_namegroup_num_procs', { groupname: '-bash-alice' })).toBe(3); // bash, its sleep and its zombie
    expect(value(fams, 'namedprocess_namegroup_num_procs', { groupname: 'pg:postgres:/etc/postgresql/15/main/postgresql.conf' })).toBe(2);
  });

  it('leaves children alone without -children, and the thread and smaps families out when switched off', async () => {
    const fams = await collect(createProcessCollector(options('rules.yml', { children: false, threads: false, gatherSmaps: false })));
    expect(value(fams, 'namedprocess_namegroup_num_procs', { groupname: '-bash-alice' })).toBe(1);
    expect(fams.map((f) => f.name).filter((n) => n.includes('thread_'))).toEqual([]);
    expect(value(fams, 'namedprocess_namegroup_memory_bytes', { memtype: 'proportionalResident' })).toBeUndefined();
    expect(value(fams, 'namedprocess_namegroup_memory_bytes', { memtype: 'resident' })).toBeDefined();
  });

  it('adds what members did since the last collection, and keeps the counters of members that exited', async () => {
    const c = createProcessCollector(options('all.yml'));
    await collect(c);
    const bump = (pid: number, comm: string, o: object) => writeFileSync(join(root, 'proc', String(pid), 'stat'), statLine({ pid, comm, ppid: 1, starttime: pid === 100 ? 2000 : 2100, numThreads: pid === 100 ? 1 : 3, ...o }));
    bump(100, 'nginx', { utime: 110, stime: 5, minflt: 600 }); // +1 s user, +100 minor faults
    bump(101, 'nginx', { utime: 250, stime: 20, minflt: 900 }); // +2 s user
    let fams = await collect(c);
    expect(value(fams, 'namedprocess_namegroup_cpu_seconds_total', { groupname: 'nginx', mode: 'user' })).toBeCloseTo(3, 9);
    expect(value(fams, 'namedprocess_namegroup_minor_page_faults_total', { groupname: 'nginx' })).toBe(100);
    const before = fams;

    rmSync(join(root, 'proc', '101'), { recursive: true }); // the worker exits
    bump(100, 'nginx', { utime: 120, stime: 5, minflt: 600 }); // +0.1 s
    fams = await collect(c);
    expect(value(fams, 'namedprocess_namegroup_num_procs', { groupname: 'nginx' })).toBe(1);
    expect(value(fams, 'namedprocess_namegroup_cpu_seconds_total', { groupname: 'nginx', mode: 'user' })).toBeCloseTo(3.1, 9);
    for (const f of before.filter((x) => x.type === 'counter')) {
      for (const s of f.samples) {
        if (s.labels.threadname !== undefined) continue; // thread names come and go with their threads, as upstream
        expect({ name: f.name, labels: s.labels, value: value(fams, f.name, s.labels)! >= s.value }).toEqual({ name: f.name, labels: s.labels, value: true });
      }
    }

    rmSync(join(root, 'proc', '100'), { recursive: true }); // the whole group is gone
    fams = await collect(c);
    expect(value(fams, 'namedprocess_namegroup_num_procs', { groupname: 'nginx' })).toBe(0);
    expect(value(fams, 'namedprocess_namegroup_cpu_seconds_total', { groupname: 'nginx', mode: 'user' })).toBeCloseTo(3.1, 9);
    expect(value(fams, 'namedprocess_namegroup_oldest_start_time_seconds', { groupname: 'nginx' })).toBe(GO_ZERO_TIME_UNIX);
  });

  it('counts a counter that went down (a thread exited) as no increase, never backwards', async () => {
    const c = createProcessCollector(options('all.yml'));
    await collect(c);
    rmSync(join(root, 'proc/101/task/103'), { recursive: true }); // 6 voluntary switches leave the sum
    writeFileSync(join(root, 'proc/101/stat'), statLine({ pid: 101, comm: 'nginx', ppid: 100, starttime: 2100, numThreads: 2 }));
    const fams = await collect(c);
    expect(value(fams, 'namedprocess_namegroup_context_switches_total', { groupname: 'nginx', ctxswitchtype: 'voluntary' })).toBe(0);
  });

  it('counts a process started after the first collection from its start', async () => {
    const c = createProcessCollector(options('all.yml'));
    await collect(c);
    const nowTicks = (Math.floor(Date.now() / 1000) + 5 - 1700000000) * 100;
    writeProcTree(join(root, 'proc'), [{ pid: 900, comm: 'newcomer', ppid: 1, cmdline: ['newcomer'], starttime: nowTicks, utime: 250, minflt: 40 }], 1700000000);
    const fams = await collect(c);
    expect(value(fams, 'namedprocess_namegroup_cpu_seconds_total', { groupname: 'newcomer', mode: 'user' })).toBe(2.5);
    expect(value(fams, 'namedprocess_namegroup_minor_page_faults_total', { groupname: 'newcomer' })).toBe(40);
  });

  it('tells a reused pid from the process it replaces', async () => {
    const c = createProcessCollector(options('all.yml'));
    await collect(c);
    rmSync(join(root, 'proc/201'), { recursive: true });
    writeProcTree(join(root, 'proc'), [{ pid: 201, comm: 'cron', ppid: 1, cmdline: ['/usr/sbin/cron'], starttime: 9000 }], 1700000000);
    const fams = await collect(c);
    expect(value(fams, 'namedprocess_namegroup_num_procs', { groupname: 'sleep' })).toBe(0);
    expect(value(fams, 'namedprocess_namegroup_num_procs', { groupname: 'cron' })).toBe(1);
  });

  it('skips processes that exit between listing and reading, silently', async () => {
    const log = recordingLog();
    rmSync(join(root, 'proc/201/status')); // exited after its stat was read
    rmSync(join(root, 'proc/300/limits')); // exited while its metrics were read
    mkdirSync(join(root, 'proc/999')); // listed, gone before its stat was read
    const fams = await collect(createProcessCollector(options('all.yml')), log);
    expect(value(fams, 'namedprocess_namegroup_num_procs', { groupname: 'sleep' })).toBeUndefined();
    expect(value(fams, 'namedprocess_namegroup_num_procs', { groupname: 'postgres' })).toBe(1);
    expect(value(fams, 'namedprocess_scrape_procread_errors')).toBe(0);
    expect(value(fams, 'namedprocess_scrape_partial_errors')).toBe(0);
    expect(log.lines).toEqual([]);
  });

  it('counts unreadable and garbled processes and partly readable ones, without a log line', async () => {
    const log = recordingLog();
    rmSync(join(root, 'proc/400/stat'));
    mkdirSync(join(root, 'proc/400/stat')); // read() fails with EISDIR: there but unreadable
    writeFileSync(join(root, 'proc/201/stat'), '201 (sleep) S 200 201'); // truncated
    writeFileSync(join(root, 'proc/300/io'), 'rchar: 1\n'); // truncated: partial
    rmSync(join(root, 'proc/100/fd'), { recursive: true }); // fd/ unlistable: partial, no open fds
    const fams = await collect(createProcessCollector(options('all.yml')), log);
    expect(value(fams, 'namedprocess_scrape_procread_errors')).toBe(2);
    expect(value(fams, 'namedprocess_scrape_partial_errors')).toBe(2);
    expect(value(fams, 'namedprocess_namegroup_open_filedesc', { groupname: 'nginx' })).toBe(12);
    expect(value(fams, 'namedprocess_namegroup_num_procs', { groupname: 'postgres' })).toBe(2);
    expect(log.lines).toEqual([]);
  });

  it('fails the collection (and counts a scrape error) when /proc cannot be listed', async () => {
    const c = createProcessCollector(options('all.yml'));
    await collect(c);
    rmSync(join(root, 'proc'), { recursive: true });
    await expect(collect(c)).rejects.toMatchObject({ code: 'RXP_PROC_MISSING' });
    cpSync(fixture('proc-process', 'proc'), join(root, 'proc'), { recursive: true });
    expect(value(await collect(c), 'namedprocess_scrape_errors')).toBe(1);
  });

  it('caps the groups at max-groups, counting the processes the cap left out', async () => {
    const config = parseProcessNamesConfig('process_names: [{name: "{{.PID}}", cmdline: [".+"]}]', 'pid.yml');
    const c = createProcessCollector({ ...options('all.yml', { maxGroups: 3 }), config });
    const fams = await collect(c);
    expect(groupNames(fams)).toHaveLength(3);
    // 8 processes have a cmdline; the 5 the cap refused are counted (children of refused ones are ignored).
    expect(value(fams, 'namedprocess_scrape_dropped_groups')).toBe(5);
  });

  it('makes room for a new group by forgetting a group without members', async () => {
    const config = parseProcessNamesConfig('process_names: [{name: "{{.Comm}}", comm: [sleep, bash, cron]}]', 'c.yml');
    const c = createProcessCollector({ ...options('all.yml', { maxGroups: 2, children: false }), config });
    expect(groupNames(await collect(c))).toEqual(['bash', 'sleep']);
    rmSync(join(root, 'proc/201'), { recursive: true });
    writeProcTree(join(root, 'proc'), [{ pid: 600, comm: 'cron', ppid: 1, cmdline: ['/usr/sbin/cron'], starttime: 9000 }], 1700000000);
    const fams = await collect(c);
    expect(groupNames(fams)).toEqual(['bash', 'cron']);
    expect(value(fams, 'namedprocess_scrape_dropped_groups')).toBe(0);
  });

  it('caps thread names too, counting those left out', async () => {
    const config = parseProcessNamesConfig('process_names: [{name: "{{.Comm}}", comm: [nginx]}]', 'c.yml');
    const fams = await collect(createProcessCollector({ ...options('all.yml', { maxGroups: 1 }), config }));
    expect(groupNames(fams)).toEqual(['nginx']);
    // nginx's threads have 2 names: the cap keeps the first by name and counts the other.
    expect(fams.find((f) => f.name === 'namedprocess_namegroup_thread_count')!.samples.map((s) => s.labels.threadname)).toEqual(['nginx']);
    expect(value(fams, 'namedprocess_scrape_dropped_threadnames')).toBe(1);
  });

  it('matches unmatched processes again with -recheck', async () => {
    const config = parseProcessNamesConfig('process_names: [{name: "{{.Comm}}", comm: [late]}]', 'c.yml');
    const c = createProcessCollector({ ...options('all.yml', { recheck: true }), config });
    await collect(c);
    writeFileSync(join(root, 'proc/400/stat'), statLine({ pid: 400, comm: 'late', ppid: 1, starttime: 7000 })); // the comm changed (exec)
    expect(groupNames(await collect(c))).toEqual(['late']);
    const plain = createProcessCollector({ ...options('all.yml'), config });
    writeFileSync(join(root, 'proc/400/stat'), statLine({ pid: 400, comm: 'a) b (c', ppid: 1, starttime: 7000 }));
    await collect(plain);
    writeFileSync(join(root, 'proc/400/stat'), statLine({ pid: 400, comm: 'late', ppid: 1, starttime: 7000 }));
    expect(value(await collect(plain), 'namedprocess_namegroup_num_procs')).toBeUndefined(); // ignored once seen
  });

  it('is registered off by default with process-exporter\'s flags and refuses to start without a config file', () => {
    expect(processDefinition.defaultEnabled).toBe(false);
    expect(Object.values(processDefinition.options!).map((o) => [o.arg, o.default])).toEqual([
      ['collector.process.config', ''],
      ['collector.process.children', true],
      ['collector.process.threads', true],
      ['collector.process.gather-smaps', true],
      ['collector.process.recheck', false],
      ['collector.process.max-groups', 1000],
    ]);
    expect(() => processDefinition.create({ config: '' })).toThrow(/collector\.process\.config: required/);
    expect(() => processDefinition.create({ config: join(root, 'nope.yml') })).toThrow(/cannot read/);
  });

  it('groups a synthetic /proc of 10 000 processes', async () => {
    // 140 000 small files: on tmpfs when there is one (ten times faster to write than a journaled disk).
    const big = mkdtempSync(join(existsSync('/dev/shm') ? '/dev/shm' : tmpdir(), 'rxp-proc10k-'));
    try {
      const procs = syntheticProcesses(10_000, 50, 10);
      writeProcTree(big, procs, 1700000000);
      const c = createProcessCollector(options('all.yml'));
      const ctx = { ...fixtureContext(root), procPath: big };
      await collectAll(c, ctx);
      for (const p of procs.slice(0, 100)) rmSync(join(big, String(p.pid)), { recursive: true });
      const fams = await collectAll(c, ctx);
      const total = (name: string) => fams.find((f) => f.name === name)!.samples.reduce((a, s) => a + s.value, 0);
      expect(groupNames(fams)).toHaveLength(50);
      expect(total('namedprocess_namegroup_num_procs')).toBe(9_900);
      expect(total('namedprocess_namegroup_num_threads')).toBe(9_900 + 990 * 2);
      expect(total('namedprocess_namegroup_open_filedesc')).toBe(9_900 * 4);
      expect(value(fams, 'namedprocess_scrape_procread_errors')).toBe(0);
      expect(value(fams, 'namedprocess_scrape_partial_errors')).toBe(0);
    } finally {
      rmSync(big, { recursive: true, force: true });
    }
  }, 180_000);
});
