import { firstValueFrom, of } from 'rxjs';
import { createAgent } from '../src/agent';
import type { Collector } from '../src/collectors/types';
import { loadConfig } from '../src/config/load';
import { gauge } from '../src/model/family';

/** A collector whose one gauge counts its own collections. */
function counting(): Collector {
  let n = 0;
  return { name: 'counting', defaultEnabled: true, collect: () => of(gauge('test_collections', 'Collections so far.', [{ labels: {}, value: ++n }])) };
}

const newAgent = () => createAgent({ config: loadConfig({ values: { global: { appName: 'agent-test' } } }), collectors: [counting()] });
const scrapes = async (agent: ReturnType<typeof newAgent>, n: number) => {
  for (let i = 0; i < n; i++) await firstValueFrom(agent.scrape());
};

describe('agent.snapshots() (async iterable)', () => {
  it('keeps every snapshot in order for a loop that lags (each)', async () => {
    const agent = newAgent();
    const it = agent.snapshots();
    const first = it.next(); // subscribes
    await scrapes(agent, 3);
    const seen = [(await first).value.seq];
    for (;;) {
      const r = await it.next();
      seen.push(r.value.seq);
      if (seen.length === 3) break;
    }
    await it.return?.();
    expect(seen).toEqual([1, 2, 3]);
    await agent.stop(0);
  }, 10_000);

  it('unsubscribes when the loop is left', async () => {
    const agent = newAgent();
    const it = agent.snapshots();
    const first = it.next();
    await scrapes(agent, 1);
    await first;
    await it.return?.();
    await scrapes(agent, 1);
    expect((await it.next()).done).toBe(true);
    await agent.stop(0);
  }, 10_000);
});
