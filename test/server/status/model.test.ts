import { defer, map, timer } from 'rxjs';
import { createAgent } from '../../../src/agent';
import type { Collector } from '../../../src/collectors/types';
import { loadConfig } from '../../../src/config/load';
import { gauge } from '../../../src/model/family';
import { createStatusModel } from '../../../src/server/status/model';

const quick: Collector = {
  name: 'quick',
  defaultEnabled: true,
  collect: () => defer(() => timer(1).pipe(map(() => gauge('node_quick', 'Quick.', [{ labels: {}, value: 1 }])))),
};

describe('status model', () => {
  it('shows the configuration in force: a reload replaces it, secrets still masked', async () => {
    const values = (interval: string, password: string) => ({
      global: { appName: 't', labels: { team: interval } },
      collect: { interval },
      exporter: { remoteWrite: { url: 'http://127.0.0.1:1/api/v1/write', basicAuth: { username: 'u', password } } },
    });
    const agent = createAgent({ config: loadConfig({ values: values('30s', 'first-secret') }), collectors: [quick] });
    const model = createStatusModel({ agent });
    type Shown = { collect: { interval: number }; global: { labels: Record<string, string> }; exporter: { remoteWrite: { basicAuth: { password: string } } } };
    const before = model.status(0).config as Shown;
    expect(before.collect.interval).toBe(30_000);
    await agent.reload(loadConfig({ values: values('20s', 'second-secret') }));
    const after = model.status(0).config as Shown;
    expect(after.collect.interval).toBe(20_000);
    expect(after.global.labels).toEqual({ team: '20s' });
    expect(JSON.stringify(after)).not.toContain('second-secret');
    expect(after.exporter.remoteWrite.basicAuth.password).not.toBe('');
    model.close();
    await agent.stop(0);
  });
});
