import { mkdirSync, rmSync, writeSync, openSync, closeSync } from 'node:fs';
import { join } from 'node:path';
import { poll, startVictoriaMetrics, type RealServer } from '../support/servers';
import { mountTmpfs, type TestMount } from '../support/tmpfs';
import { gapsOrDuplicates, metricValue, startAgent, waitPoints, type AgentProcess } from './pushSupport';

const args = (vm: RealServer, queueDir: string, node: string) => [
  '--push.vm.url',
  vm.url,
  '--push.queue.dir',
  queueDir,
  '--push.retry.max-backoff',
  '1s', // a degraded queue tries its disk again at this pace
  '--push.timeout',
  '2s',
  '--global.node-name',
  node,
];

/** The agent's JSON log lines whose message starts with `message` (and whose code is `code`). */
const logLines = (a: AgentProcess, message: string, code?: string) =>
  a
    .output()
    .split('\n')
    .filter((l) => l.startsWith('{'))
    .map((l) => JSON.parse(l) as { message: string; code?: string })
    .filter((l) => l.message.startsWith(message) && (code === undefined || l.code === code));
const degraded = async (a: AgentProcess) => metricValue(await a.metrics(), 'rxporter_sink_queue_degraded{sink="vmagent"}');

/** Writes zeros to `path` until the filesystem is full. */
const fill = (path: string) => {
  const fd = openSync(path, 'a');
  try {
    for (const b = Buffer.alloc(4096); ; ) writeSync(fd, b);
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code !== 'ENOSPC') throw e;
  } finally {
    closeSync(fd);
  }
};

describe('queue directory on a read-only or full disk (built agent, real VictoriaMetrics)', () => {
  let vm: RealServer | undefined;
  let mount: TestMount | undefined;
  const agents: AgentProcess[] = [];
  afterEach(async () => {
    for (const a of agents.splice(0)) if (a.proc.exitCode === null) await a.kill9();
    await vm?.stop();
    vm = undefined;
    mount?.unmount();
    mount = undefined;
  });

  it('read-only: serves /metrics, pushes from memory, says so in a log line and rxporter_sink_queue_degraded', async () => {
    mount = mountTmpfs({ sizeKiB: 256 });
    mkdirSync(join(mount.dir, 'vmagent'));
    mount.remount({ readOnly: true });
    vm = await startVictoriaMetrics();
    const agent = await startAgent(args(vm, mount.dir, 'ro'));
    agents.push(agent);
    const ps = await waitPoints(vm, 'rxporter_collections_total{nodeName="ro"}', 4);
    expect(gapsOrDuplicates(ps)).toBeUndefined();
    expect(await degraded(agent)).toBe(1);
    expect(logLines(agent, 'disk queue failed', 'EROFS')).toHaveLength(1);
    const { code } = await agent.stop();
    expect(code).toBe(0);
  });

  it('full: never crashes, pushes all the while, restarts on the full disk, and goes back to disk when there is room', async () => {
    mount = mountTmpfs({ sizeKiB: 96 });
    const queueDir = join(mount.dir, 'q');
    vm = await startVictoriaMetrics();
    const first = await startAgent(args(vm, queueDir, 'full'), { env: { RXPORTER_GLOBAL_LABELS: '{"life":"1"}' } });
    agents.push(first);
    await waitPoints(vm, 'rxporter_collections_total{nodeName="full",life="1"}', 2);
    fill(join(mount.dir, 'filler')); // the next append meets ENOSPC
    // Pushes go on; on a healthy receiver the disk drains and frees its segment, so the queue
    // may go back and forth between disk and memory.
    const before = metricValue(await first.metrics(), 'rxporter_collections_total')!;
    const life1 = await waitPoints(vm, 'rxporter_collections_total{nodeName="full",life="1"}', before + 5);
    expect(gapsOrDuplicates(life1)).toBeUndefined();
    expect(first.proc.exitCode).toBeNull();
    expect(logLines(first, 'disk queue failed', 'ENOSPC').length).toBeGreaterThan(0);

    // kill -9 and a restart on a disk with no room at all: no crash loop.
    await first.kill9();
    fill(join(mount.dir, 'filler'));
    const second = await startAgent(args(vm, queueDir, 'full'), { env: { RXPORTER_GLOBAL_LABELS: '{"life":"2"}' } });
    agents.push(second);
    const life2 = await waitPoints(vm, 'rxporter_collections_total{nodeName="full",life="2"}', 3);
    expect(gapsOrDuplicates(life2)).toBeUndefined();
    expect(await degraded(second)).toBe(1);

    rmSync(join(mount.dir, 'filler'));
    await poll(async () => ((await degraded(second)) === 0 ? true : undefined), 15_000, 'the queue back on disk', 250);
    expect(logLines(second, 'disk queue works again')).toHaveLength(1);
    const { code } = await second.stop();
    expect(code).toBe(0);
  });
});
