import { asyncScheduler, firstValueFrom, from, concat, throwError } from 'rxjs';
import { FamilyBuilder } from '../../src/collectors/familyBuilder';
import { syncCollector } from '../../src/collectors/syncCollector';
import type { Collector, CollectorContext } from '../../src/collectors/types';
import { RxporterError } from '../../src/errors';
import { silentLog } from '../../src/log/types';
import { gauge } from '../../src/model/family';
import { scrapeCollector } from '../../src/pipeline/scrapeCollector';

const ctx: CollectorContext = { procPath: '/proc', sysPath: '/sys', rootPath: '/', udevDataPath: '/run/udev/data', log: silentLog, scheduler: asyncScheduler };
const broken = (): never => {
  throw new RxporterError('RXP_PROC_READ', 'device 2: read failed');
};
const run = (c: Collector) => firstValueFrom(scrapeCollector(c, ctx, { timeoutMs: 1000 }));
const temp = (b: FamilyBuilder, device: string, value: number) => b.gauge('node_test_temp_celsius', 'Temperature.', { device }, value);

describe('a collector that fails after its first device keeps that device (success 0)', () => {
  it('synchronous collector filling one builder device by device', async () => {
    const c = syncCollector('loop', true, () => {
      const b = new FamilyBuilder();
      temp(b, 'd1', 41);
      broken();
      temp(b, 'd2', 42);
      return b.families();
    });
    const r = await run(c);
    expect(r.success).toBe(false);
    expect(r.error).toEqual({ code: 'RXP_PROC_READ', message: 'device 2: read failed' });
    expect(r.families).toEqual([gauge('node_test_temp_celsius', 'Temperature.', [{ labels: { device: 'd1' }, value: 41 }])]);
  });

  it('synchronous collector adding devices with addDevice: the failing device adds nothing', async () => {
    const c = syncCollector('devices', true, () => {
      const b = new FamilyBuilder();
      b.addDevice((one) => temp(one, 'd1', 41), () => false);
      b.addDevice((one) => {
        temp(one, 'd2', 42);
        broken();
      }, () => false);
      return b.families();
    });
    const r = await run(c);
    expect(r.success).toBe(false);
    expect(r.families).toEqual([gauge('node_test_temp_celsius', 'Temperature.', [{ labels: { device: 'd1' }, value: 41 }])]);
  });

  it('synchronous collector merging scratch builders (btrfs, powersupplyclass): merged ones count once, the failing one not at all', async () => {
    const c = syncCollector('scratch', true, () => {
      const b = new FamilyBuilder();
      for (const [device, value] of [['d1', 41], ['d2', 42]] as const) {
        const one = new FamilyBuilder(true);
        temp(one, device, value);
        if (device === 'd2') broken();
        b.addAll(one);
      }
      return b.families();
    });
    const r = await run(c);
    expect(r.families).toEqual([gauge('node_test_temp_celsius', 'Temperature.', [{ labels: { device: 'd1' }, value: 41 }])]);
  });

  it('synchronous collector with per-device builders merged at the end: the devices built before the throw are kept once', async () => {
    const c = syncCollector('perDevice', true, () => {
      const parts: FamilyBuilder[] = [];
      for (const device of ['d1', 'd2']) {
        if (device === 'd2') broken();
        const one = new FamilyBuilder();
        temp(one, device, 41);
        parts.push(one);
      }
      const b = new FamilyBuilder();
      for (const p of parts) b.addAll(p);
      return b.families();
    });
    const r = await run(c);
    expect(r.families).toEqual([gauge('node_test_temp_celsius', 'Temperature.', [{ labels: { device: 'd1' }, value: 41 }])]);
  });

  it('observable collector that emits as it goes', async () => {
    const first = gauge('node_test_temp_celsius', 'Temperature.', [{ labels: { device: 'd1' }, value: 41 }]);
    const c: Collector = { name: 'stream', defaultEnabled: true, collect: () => concat(from([first]), throwError(() => new RxporterError('RXP_PROC_READ', 'device 2: read failed'))) };
    const r = await run(c);
    expect(r.success).toBe(false);
    expect(r.families).toEqual([first]);
  });

  it('keeps nothing when it fails before building anything', async () => {
    const c = syncCollector('plain', true, () => broken());
    const r = await run(c);
    expect(r.families).toEqual([]);
    expect(r.success).toBe(false);
  });
});
