import { spawn, type ChildProcess } from 'node:child_process';
import { copyFileSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseExposition, type Exposition } from '../../src/encode/parseText';
import { cliPath } from '../support/paths';
import { freePort, poll, startServer, type RealServer } from '../support/servers';

/** Returns the value of `family` for `labels` (every label given must match), or undefined. */
const valueOf = (e: Exposition, family: string, labels: Record<string, string>): number | undefined =>
  e.families.get(family)?.samples.find((s) => Object.entries(labels).every(([k, v]) => s.labels[k] === v))?.value;

/** Returns the group names with live members (num_procs > 0). */
const liveGroups = (e: Exposition): string[] =>
  (e.families.get('namedprocess_namegroup_num_procs')?.samples ?? []).filter((s) => s.value > 0).map((s) => s.labels.groupname).sort();

const scrape = async (url: string): Promise<Exposition> => parseExposition(await (await fetch(`${url}/metrics`)).text());

describe("rxporter's process collector beside Debian's prometheus-process-exporter", () => {
  const dir = mkdtempSync(join(tmpdir(), 'rxp-pe-'));
  // A copy of sleep under a unique name: its comm names a group no other process joins.
  const comm = `rxps${process.pid.toString(36).slice(-6)}`;
  const config = join(dir, 'process.yml');
  const sleepers: ChildProcess[] = [];
  let pe: RealServer;
  let agent: ChildProcess;
  let agentUrl = '';
  let agentErr = '';

  beforeAll(async () => {
    writeFileSync(config, 'process_names:\n  - name: "{{.Comm}}"\n    cmdline:\n    - \'.+\'\n');
    copyFileSync('/bin/sleep', join(dir, comm));
    for (let i = 0; i < 3; i++) sleepers.push(spawn(join(dir, comm), ['3600'], { stdio: 'ignore' }));
    pe = await startServer({
      name: 'process-exporter',
      bin: 'prometheus-process-exporter',
      args: (port) => ['-config.path', config, `-web.listen-address=127.0.0.1:${port}`],
      readyPath: '/metrics',
    });
    const port = await freePort();
    agentUrl = `http://127.0.0.1:${port}`;
    agent = spawn(
      process.execPath,
      [cliPath(), '--global.app-name=pe-test', `--web.listen-address=127.0.0.1:${port}`, '--collector.disable-defaults', '--collector.process', `--collector.process.config=${config}`, '--collect.interval=1h'],
      { stdio: ['ignore', 'ignore', 'pipe'] },
    );
    agent.stderr?.on('data', (b: Buffer) => (agentErr += b.toString()));
    await poll(async () => ((await fetch(`${agentUrl}/metrics`).catch(() => undefined))?.ok ? true : undefined), 20_000, 'rxporter up');
  }, 60_000);

  afterAll(async () => {
    for (const s of sleepers) s.kill('SIGKILL');
    agent?.kill('SIGTERM');
    await pe?.stop();
    rmSync(dir, { recursive: true, force: true });
  });

  it('serves every namedprocess_namegroup_* family process-exporter serves, with the same live group names', async () => {
    // Other processes come and go on the host: retry until one pair of scrapes sees the same ones.
    const [ours, theirs] = await poll(
      async () => {
        const pair = await Promise.all([scrape(agentUrl), scrape(pe.url)]);
        return liveGroups(pair[0]).join('\n') === liveGroups(pair[1]).join('\n') ? pair : undefined;
      },
      60_000,
      'the same live groups on both',
      1000,
    ).catch((e: unknown) => {
      throw new Error(`${(e as Error).message}; rxporter stderr: ${agentErr.slice(-2000)}`);
    });
    expect(liveGroups(ours)).toContain(comm);
    const families = (e: Exposition) => [...e.families.keys()].filter((n) => n.startsWith('namedprocess_namegroup_')).sort();
    expect(families(theirs).length).toBeGreaterThanOrEqual(14);
    expect(families(ours)).toEqual(expect.arrayContaining(families(theirs)));
    for (const name of families(theirs)) {
      expect([name, ours.families.get(name)?.type, ours.families.get(name)?.help]).toEqual([name, theirs.families.get(name)!.type, theirs.families.get(name)!.help]);
    }
  }, 90_000);

  it('reports the same figures for a group of 3 sleeping processes', async () => {
    const [ours, theirs] = await Promise.all([scrape(agentUrl), scrape(pe.url)]);
    const g = { groupname: comm };
    const same = (family: string, labels: Record<string, string> = {}) => {
      const mine = valueOf(ours, family, { ...g, ...labels });
      expect({ family, labels, value: mine }).toEqual({ family, labels, value: valueOf(theirs, family, { ...g, ...labels }) });
      return mine;
    };
    expect(same('namedprocess_namegroup_num_procs')).toBe(3);
    expect(same('namedprocess_namegroup_num_threads')).toBe(3);
    for (const state of ['Running', 'Sleeping', 'Waiting', 'Zombie', 'Other']) same('namedprocess_namegroup_states', { state });
    expect(valueOf(ours, 'namedprocess_namegroup_states', { ...g, state: 'Sleeping' })).toBe(3);
    same('namedprocess_namegroup_open_filedesc');
    same('namedprocess_namegroup_worst_fd_ratio');
    same('namedprocess_namegroup_oldest_start_time_seconds');
    same('namedprocess_namegroup_memory_bytes', { memtype: 'virtual' });
    const rss = valueOf(ours, 'namedprocess_namegroup_memory_bytes', { ...g, memtype: 'resident' })!;
    const theirRss = valueOf(theirs, 'namedprocess_namegroup_memory_bytes', { ...g, memtype: 'resident' })!;
    expect(rss).toBeGreaterThan(0);
    expect(Math.abs(rss - theirRss) / theirRss).toBeLessThanOrEqual(0.05);
  }, 30_000);
});
