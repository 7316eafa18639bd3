import { execFileSync } from 'node:child_process';
import { closeSync, constants, openSync, renameSync, writeFileSync, writeSync } from 'node:fs';
import { basename, join } from 'node:path';
import { copyNeFixtures, removeNeFixtures } from '../support/neFixtures';
import { poll, startVictoriaMetrics, type RealServer } from '../support/servers';
import { metricValue, points, startAgent, vmExport, type AgentProcess } from './pushSupport';

/** GET with a deadline: rejects when no answer came within `ms`. */
const get = async (url: string, ms: number): Promise<{ status: number; text: string }> => {
  const r = await fetch(url, { signal: AbortSignal.timeout(ms) });
  return { status: r.status, text: await r.text() };
};

/** Replaces a FIFO a reader is blocked on by a regular file with `content`, then lets the reader go. */
async function release(fifo: string, content: string, park: string): Promise<void> {
  // Moved out of the tree into `park`: hwmon would list (and open) a FIFO left next to the new file.
  const old = join(park, `${basename(fifo)}.released`);
  renameSync(fifo, old);
  writeFileSync(fifo, content);
  // O_NONBLOCK: ENXIO until the reader has it open (it is, blocked in open(2)); never blocks jest.
  const fd = await poll(
    async () => {
      try {
        return openSync(old, constants.O_WRONLY | constants.O_NONBLOCK);
      } catch {
        return undefined;
      }
    },
    10_000,
    `a reader on ${old}`,
    50,
  );
  try {
    writeSync(fd, content);
  } catch (e) {
    // The reader returned from open(2) and, abandoned, exited before reading: that is the release too.
    if ((e as NodeJS.ErrnoException).code !== 'EPIPE') throw e;
  } finally {
    closeSync(fd);
  }
}

const success = (text: string, collector: string): number | undefined => metricValue(text, `node_scrape_collector_success{collector="${collector}"}`);

describe('a read that never returns costs only its collector', () => {
  let root: string | undefined;
  let vm: RealServer | undefined;
  let agent: AgentProcess | undefined;
  afterEach(async () => {
    if (agent?.proc.exitCode === null) await agent.kill9();
    await vm?.stop();
    if (root) removeNeFixtures(root);
    agent = undefined;
    vm = undefined;
    root = undefined;
  });

  it('keeps serving, scraping and pushing while hwmon (sysfs) and loadavg (procfs) block on FIFOs; both succeed once the FIFOs are written', async () => {
    root = copyNeFixtures(['proc', 'sys']);
    const temp = join(root, 'sys/devices/platform/coretemp.0/hwmon/hwmon0/temp1_input');
    const loadavg = join(root, 'proc/loadavg');
    for (const f of [temp, loadavg]) {
      execFileSync('rm', ['-f', f]);
      execFileSync('mkfifo', [f]);
    }
    vm = await startVictoriaMetrics();
    const timeoutMs = 2000;
    agent = await startAgent(
      [
        `--path.procfs=${join(root, 'proc')}`,
        `--path.sysfs=${join(root, 'sys')}`,
        '--collector.hwmon',
        '--collector.loadavg',
        '--collector.stat',
        '--collector.vmstat',
        '--collector.thermal_zone',
        `--collect.timeout=${timeoutMs}ms`,
        '--push.vm.url',
        vm.url,
        '--global.node-name',
        'hung',
      ],
      {},
    );
    const base = `http://127.0.0.1:${agent.port}`;
    for (let i = 1; i <= 3; i++) {
      // The landing page answers while a collection may be stuck; a scrape within the timeout plus a little.
      const landing = get(`${base}/`, 1000);
      const scrape = await get(`${base}/metrics`, timeoutMs + 3000);
      expect((await landing).status).toBe(200);
      expect(scrape.status).toBe(200);
      expect(success(scrape.text, 'hwmon')).toBe(0);
      expect(success(scrape.text, 'loadavg')).toBe(0);
      for (const c of ['meminfo', 'stat', 'vmstat', 'thermal_zone']) expect(success(scrape.text, c)).toBe(1);
      expect(metricValue(scrape.text, 'node_memory_MemTotal_bytes')).toBeGreaterThan(0);
      expect(scrape.text).toContain('node_context_switches_total ');
      expect(scrape.text).toContain('node_thermal_zone_temp{');
      expect(metricValue(scrape.text, 'rxporter_collector_workers_abandoned_total')).toBe(2);
    }
    expect(agent.output()).toContain('collector worker abandoned');

    // The push sink kept delivering during the hang: consecutive collections arrive in VictoriaMetrics.
    const series = await poll(
      async () => {
        const s = await vmExport(vm!, 'rxporter_collections_total{nodeName="hung"}');
        return s.length && s[0].values.length >= 4 ? s : undefined;
      },
      20_000,
      'collections pushed during the hang',
    );
    const ps = points(series[0]);
    expect(ps.map(([, v]) => v)).toEqual(ps.map((_, i) => i + 1));

    await release(temp, '42000\n', join(root, '..'));
    await release(loadavg, '0.50 0.25 0.10 1/100 4242\n', join(root, '..'));
    const after = await poll(
      async () => {
        const m = await get(`${base}/metrics`, timeoutMs + 3000);
        return success(m.text, 'hwmon') === 1 && success(m.text, 'loadavg') === 1 ? m.text : undefined;
      },
      15_000,
      'hwmon and loadavg succeed again',
    ).catch((e: unknown) => {
      throw new Error(`${String(e)}\n${agent?.output().slice(-3000)}`);
    });
    expect(metricValue(after, 'node_hwmon_temp_celsius{chip="platform_coretemp_0",sensor="temp1"}')).toBe(42);
    expect(metricValue(after, 'node_load1')).toBe(0.5);
    expect(agent.output()).toContain('abandoned collector worker returned');
    const { code } = await agent.stop();
    expect(code).toBe(0);
  });
});
