import { rmSync } from 'node:fs';
import { join } from 'node:path';
import { VirtualTimeScheduler } from 'rxjs';
import { clocksourceFamilies, createTimeCollector } from '../../src/collectors/time';
import { RxporterError } from '../../src/errors';
import { collectAll, collectOnEditedCopy, copyNeFixtures, expectUpstreamConformance, fixtureContext, removeNeFixtures } from '../support/neFixtures';

describe('time collector', () => {
  let root: string;
  beforeAll(() => {
    root = copyNeFixtures(['sys']);
  });
  afterAll(() => removeNeFixtures(root));

  it("matches node_exporter's e2e output on upstream's fixtures (clock and zone samples are the host's)", async () => {
    await expectUpstreamConformance(createTimeCollector({ TZ: 'UTC' }), root, /^node_time_/, 4);
  });

  it("reads the clock from the context's scheduler and names the zone as Go does", async () => {
    const scheduler = new VirtualTimeScheduler();
    scheduler.frame = Date.UTC(2026, 6, 1, 12); // virtual time: the clock the collector reads
    const ctx = { ...fixtureContext(root), scheduler };
    const utc = await collectAll(createTimeCollector({ TZ: 'UTC' }), ctx);
    expect(utc[0].samples[0].value).toBe(Date.UTC(2026, 6, 1, 12) / 1000);
    expect(utc[1].samples[0]).toEqual({ labels: { time_zone: 'UTC' }, value: 0 });
  });

  it('labels clocksources with their index in Glob order', () => {
    const fams = clocksourceFamilies([
      { name: '0', available: ['tsc', 'hpet'], current: 'tsc' },
      { name: '1', available: ['x'], current: 'x' },
    ]);
    expect(fams[1].samples.map((s) => s.labels)).toEqual([
      { device: '0', clocksource: 'tsc' },
      { device: '1', clocksource: 'x' },
    ]);
  });

  it('fails the cycle with an RxporterError when a clocksource attribute vanished', async () => {
    const r = await collectOnEditedCopy(createTimeCollector({ TZ: 'UTC' }), ['sys'], (d) => rmSync(join(d, 'sys/devices/system/clocksource/clocksource0/current_clocksource')));
    expect(r.error).toBeInstanceOf(RxporterError);
    expect(r.error).toMatchObject({ code: 'RXP_PROC_MISSING' });
  });
});
