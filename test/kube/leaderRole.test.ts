import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { firstValueFrom, lastValueFrom, of } from 'rxjs';
import { startAgent, type ServingAgent } from '../../src/agent';
import type { Collector } from '../../src/collectors/types';
import { loadConfig } from '../../src/config/load';
import { createKubeClient, type KubeClient } from '../../src/kube/client';
import { leaseApi } from '../../src/kube/leaderRole';
import { encodeText } from '../../src/encode/text';
import { startKubeApiServer, type KubeApiServer } from '../support/kubeApiServer';
import { writeKubeconfig } from '../support/kubeconfig';
import { poll } from '../support/servers';
import { recordingLog } from '../support/neFixtures';

const idle: Collector = { name: 'idle', defaultEnabled: true, collect: () => of() };

describe('leader role against the fixture API server', () => {
  let api: KubeApiServer;
  let dir: string;
  let client: KubeClient | undefined;
  const agents: ServingAgent[] = [];
  beforeEach(async () => {
    api = await startKubeApiServer();
    dir = mkdtempSync(join(tmpdir(), 'rxp-leader-'));
  });
  afterEach(async () => {
    for (const a of agents.splice(0)) {
      await a.agent.stop(1000);
      await new Promise((r) => a.server.close(r));
    }
    await client?.close();
    client = undefined;
    await api.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('reads a missing Lease as undefined, creates it, and a stale update is a 409', async () => {
    client = createKubeClient({ server: api.url, insecureSkipTlsVerify: false, source: 'test' }, { requestTimeoutMs: 2000 });
    const l = leaseApi(client, 'rxp', 'rxporter');
    expect(await firstValueFrom(l.get())).toBeUndefined();
    const created = await firstValueFrom(l.create({ metadata: { name: 'rxporter' }, spec: { holderIdentity: 'a' } }));
    expect(created.metadata).toMatchObject({ name: 'rxporter', namespace: 'rxp' });
    await firstValueFrom(l.update({ ...created, spec: { holderIdentity: 'b' } }));
    const stale = await lastValueFrom(l.update({ ...created, spec: { holderIdentity: 'c' } })).catch((e: unknown) => e);
    expect((stale as { status?: number }).status).toBe(409);
    expect((await firstValueFrom(l.get()))?.spec?.holderIdentity).toBe('b');
  });

  it("one replica leads (rxporter_leader 1), the other waits (0); stopping the leader releases the Lease in the context's namespace", async () => {
    const kubeconfig = writeKubeconfig(dir, api.url);
    const start = async (identity: string) => {
      const log = recordingLog();
      const config = loadConfig({
        args: ['--global.app-name=t', '--web.listen-address=127.0.0.1:0', '--kube.config', kubeconfig, '--kube.leader-elect', `--kube.leader-elect.identity=${identity}`],
      });
      const a = await startAgent({ config, log, collectors: [idle] });
      agents.push(a);
      return { ...a, log };
    };
    const leader = async (a: ServingAgent) => encodeText(a.agent.exposition(await firstValueFrom(a.agent.scrape()))).match(/^rxporter_leader\{lease="rxp\/rxporter"\} (\d)$/m)?.[1];
    const a = await start('a');
    await poll(async () => ((await leader(a)) === '1' ? true : undefined), 10_000, 'a leads');
    const b = await start('b');
    expect(await leader(b)).toBe('0');
    expect(api.object('leases', 'rxp', 'rxporter')?.spec).toMatchObject({ holderIdentity: 'a', leaseDurationSeconds: 15, leaseTransitions: 0 });
    await a.agent.stop(2000);
    expect(api.object('leases', 'rxp', 'rxporter')?.spec).toMatchObject({ holderIdentity: '', leaseDurationSeconds: 1 });
    expect(a.log.lines.map((l) => l.message)).toEqual(expect.arrayContaining(['leader election: became leader', 'leader election: released the lease']));
    // b takes over at its next try (2 s, up to 4.4 s with jitter), not after the 15 s lease.
    await poll(async () => ((await leader(b)) === '1' ? true : undefined), 10_000, 'b leads');
    expect(api.object('leases', 'rxp', 'rxporter')?.spec).toMatchObject({ holderIdentity: 'b', leaseTransitions: 1 });
  });
});
