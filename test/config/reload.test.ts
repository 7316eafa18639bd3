import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadConfig, readConfigFile, readConfigFileAsync } from '../../src/config/load';
import { keepRestartOnly } from '../../src/config/reload';

const load = (values: Record<string, unknown>) => loadConfig({ values: { global: { appName: 'r' }, ...values } });

describe('keepRestartOnly', () => {
  it('puts restart-only settings back and lists each changed leaf', () => {
    const running = load({ exporter: { queue: { dir: '/q1' } }, log: { level: 'info' } });
    const next = load({ exporter: { queue: { dir: '/q2', memoryBatches: 5 }, vmagent: { url: 'http://vm:8428' } }, log: { level: 'debug' }, collect: { interval: '5s' } });
    const { config, kept } = keepRestartOnly(running, next);
    expect(config.exporter.queue).toEqual(running.exporter.queue);
    expect(config.log).toEqual(running.log);
    // what may change does
    expect(config.exporter.vmagent.url).toBe('http://vm:8428');
    expect(config.collect.interval).toBe(5000);
    expect(kept.map((k) => k.key).sort()).toEqual(['exporter.queue.dir', 'exporter.queue.memoryBatches', 'log.level']);
    expect(kept.find((k) => k.key === 'exporter.queue.dir')).toEqual({ key: 'exporter.queue.dir', running: '/q1', wanted: '/q2' });
    // the reloaded config itself is left as it was
    expect(next.exporter.queue.dir).toBe('/q2');
  });

  it('keeps nothing when no restart-only setting changed', () => {
    const running = load({});
    expect(keepRestartOnly(running, load({ collect: { interval: '5s' } })).kept).toEqual([]);
  });
});

describe('readConfigFileAsync (the reload path: no blocking read on the main thread)', () => {
  const dir = mkdtempSync(join(tmpdir(), 'rxp-readcfg-'));
  writeFileSync(join(dir, 'ok.yaml'), 'global:\n  appName: a\n');
  writeFileSync(join(dir, 'bad.json'), '{"global": ');
  writeFileSync(join(dir, 'list.yaml'), '- a\n');

  it('reads what readConfigFile reads', async () => {
    expect(await readConfigFileAsync(join(dir, 'ok.yaml'))).toEqual(readConfigFile(join(dir, 'ok.yaml')));
  });

  it.each(['missing.yaml', 'bad.json', 'list.yaml', '.'])('fails on %s with the same RXP_CONFIG message as at start', async (name) => {
    const file = join(dir, name);
    let sync: unknown;
    try {
      readConfigFile(file);
    } catch (e) {
      sync = e;
    }
    expect(sync).toMatchObject({ code: 'RXP_CONFIG' });
    await expect(readConfigFileAsync(file)).rejects.toMatchObject({ code: 'RXP_CONFIG', message: (sync as Error).message });
  });
});
