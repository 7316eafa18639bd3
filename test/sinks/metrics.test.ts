import { RxporterError } from '../../src/errors';
import type { PayloadQueue } from '../../src/pipeline/payloadQueue';
import { SinkStats } from '../../src/sinks/metrics';

const queue = { length: 0, bytes: 0 } as unknown as PayloadQueue;

describe('SinkStats.lastError', () => {
  it('keeps the last failure or drop with its time, not a superseded batch, and not cleared by a delivery', () => {
    const s = new SinkStats('vmagent', queue);
    expect(s.lastError).toBeUndefined();
    s.record({ sink: 'vmagent', seq: 3, samples: 10, status: 'failed', error: new RxporterError('RXP_SINK_HTTP', 'HTTP 503 from http://vm:8428', true) }, 1000);
    expect(s.lastError).toEqual({ message: 'batch 3: HTTP 503 from http://vm:8428', atMs: 1000 });
    s.record({ sink: 'vmagent', seq: 4, samples: 10, status: 'dropped', reason: 'superseded' }, 2000);
    expect(s.lastError?.atMs).toBe(1000);
    s.record({ sink: 'vmagent', seq: 5, samples: 10, status: 'dropped', reason: 'rejected', error: new RxporterError('RXP_SINK_HTTP', 'HTTP 400: bad line') }, 3000);
    expect(s.lastError).toEqual({ message: 'batch 5 dropped (rejected): HTTP 400: bad line', atMs: 3000 });
    s.record({ sink: 'vmagent', seq: 6, samples: 10, status: 'delivered' }, 4000);
    expect(s.lastSuccessMs).toBe(4000);
    expect(s.lastError?.atMs).toBe(3000);
  });
});
