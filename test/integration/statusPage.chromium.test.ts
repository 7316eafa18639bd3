import { mkdirSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { chromium, type Browser } from 'playwright-core';
import type { Status } from '../../src/server/status/model';
import { poll, requireBinary, startVictoriaMetrics, type RealServer } from '../support/servers';
import { startAgent, type AgentProcess } from './pushSupport';

const CHROMIUM = '/usr/bin/chromium';
const OUT = resolve(__dirname, '../../test-output');

describe('status page in a real headless Chromium', () => {
  let vm: RealServer;
  let agent: AgentProcess;
  let browser: Browser;
  beforeAll(async () => {
    requireBinary('chromium');
    vm = await startVictoriaMetrics();
    agent = await startAgent(['--collector.cpu', '--collector.loadavg', '--collector.stat', '--push.vm.url', vm.url]);
    browser = await chromium.launch({ executablePath: CHROMIUM, args: process.getuid?.() === 0 ? ['--no-sandbox'] : [] });
  });
  afterAll(async () => {
    await browser?.close();
    await agent?.stop();
    await vm?.stop();
  });

  it('loads without console errors, lists every enabled collector and its charts gain points while watched', async () => {
    const page = await browser.newPage({ viewport: { width: 1280, height: 1000 } });
    const errors: string[] = [];
    page.on('console', (m) => {
      if (m.type() === 'error' || m.type() === 'warning') errors.push(`${m.type()}: ${m.text()}`);
    });
    page.on('pageerror', (e) => errors.push(`pageerror: ${e.message}`));
    page.on('requestfailed', (r) => errors.push(`requestfailed: ${r.url()}`));
    const base = `http://127.0.0.1:${agent.port}`;
    const res = await page.goto(`${base}/`);
    expect(res?.status()).toBe(200);
    expect(await page.getAttribute('a[href="/metrics"]', 'href')).toBe('/metrics');

    const status = (await (await fetch(`${base}/api/v1/status`)).json()) as Status;
    const enabled = status.collectors.map((c) => c.name).sort();
    expect(enabled).toEqual(['cpu', 'loadavg', 'meminfo', 'stat']);
    await page.waitForSelector('#collectors tbody tr');
    const listed = await page.$$eval('#collectors tbody tr', (rows) => rows.map((r) => r.getAttribute('data-collector') ?? ''));
    expect(listed.sort()).toEqual(enabled);
    expect(await page.textContent('#version')).toBe(status.version);
    expect(await page.textContent('#role')).toBe('leader (pushing)');
    expect(await page.textContent('#sinks tbody tr[data-sink="vmagent"] td:first-child')).toBe('vmagent');

    const points = async (id: string) => Number(await page.getAttribute(id, 'data-points'));
    const first = await poll(async () => ((await points('#chart-collection')) >= 1 ? points('#chart-collection') : undefined), 15_000, 'first collection point');
    await poll(async () => ((await points('#chart-collection')) >= first + 2 ? true : undefined), 15_000, 'collection chart gains points');
    await poll(async () => ((await points('#chart-sinks')) >= 2 ? true : undefined), 15_000, 'sink chart gains points');
    // uPlot drew into its canvas, and the collectors show their success.
    expect(await page.$$eval('#chart-collection canvas', (c) => c.length)).toBe(1);
    await poll(async () => ((await page.textContent('#collectors tbody tr[data-collector="meminfo"] td:nth-child(2)')) === 'ok' ? true : undefined), 5000, 'meminfo ok');
    await poll(async () => ((await page.textContent('#sinks tbody tr[data-sink="vmagent"] td:nth-child(4)')) !== 'never' ? true : undefined), 15_000, 'a delivery');
    expect(await page.textContent('#conn')).toBe('live');

    mkdirSync(OUT, { recursive: true });
    await page.screenshot({ path: join(OUT, 'status-page.png'), fullPage: true });
    expect(errors).toEqual([]);
  });
});
