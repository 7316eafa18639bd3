import { decodeWriteRequest } from '../../src/encode/remoteWrite';
import { snappyUncompress } from '../../src/encode/snappy';
import { poll, promQuery, startPrometheus, startPushgateway, startVictoriaMetrics, type RealServer } from '../support/servers';
import { forwardTo, startTestReceiver, type TestReceiver } from '../support/testReceiver';
import { startAgent, vmExport, type AgentProcess } from './pushSupport';

/** Label pairs with an empty value in Prometheus text lines (`name=""`), one entry per occurrence. */
const emptyInText = (text: string): string[] => [...text.matchAll(/([A-Za-z_][A-Za-z0-9_]*)=""/g)].map((m) => m[1]);

// No --global.master-ip: masterIp is empty in every base label set, as on most hosts.
describe('no pushed series has a label with an empty value (real receivers)', () => {
  let server: RealServer | undefined;
  let tap: TestReceiver | undefined;
  let agent: AgentProcess | undefined;
  afterEach(async () => {
    if (agent?.proc.exitCode === null) await agent.kill9();
    await tap?.close();
    await server?.stop();
    agent = undefined;
    tap = undefined;
    server = undefined;
  });

  it('VictoriaMetrics import: none on the wire, and the stored series carry the non-empty base labels', async () => {
    server = await startVictoriaMetrics();
    tap = await startTestReceiver(forwardTo(server.url));
    agent = await startAgent(['--push.vm.url', tap.url, '--global.node-name', 'lbl-vm'], { env: { RXPORTER_GLOBAL_LABELS: '{"dc":"fra1","empty":""}' } });
    const [mem] = await poll(async () => {
      const s = await vmExport(server!, 'node_memory_MemTotal_bytes{nodeName="lbl-vm"}');
      return s.length ? s : undefined;
    }, 15_000, 'MemTotal in VictoriaMetrics');
    expect(mem.metric).toEqual({ __name__: 'node_memory_MemTotal_bytes', nodeName: 'lbl-vm', dc: 'fra1' });
    const sent = tap.requests.filter((r) => r.path === '/api/v1/import/prometheus');
    expect(sent.length).toBeGreaterThan(0);
    for (const r of sent) expect(emptyInText(r.body.toString())).toEqual([]);
  });

  it('Prometheus remote write: none on the wire, and Prometheus stores every series it was sent', async () => {
    server = await startPrometheus();
    tap = await startTestReceiver(forwardTo(server.url));
    agent = await startAgent(['--push.remote-write.url', `${tap.url}/api/v1/write`, '--global.node-name', 'lbl-rw'], { env: { RXPORTER_GLOBAL_LABELS: '{"dc":"fra1","empty":""}' } });
    const [mem] = await poll(async () => {
      const r = await promQuery(server!, 'node_memory_MemTotal_bytes{nodeName="lbl-rw"}');
      return r.length ? r : undefined;
    }, 20_000, 'MemTotal in Prometheus');
    expect(mem.metric).toEqual({ __name__: 'node_memory_MemTotal_bytes', nodeName: 'lbl-rw', dc: 'fra1' });
    const sent = tap.requests.filter((r) => r.path === '/api/v1/write');
    expect(sent.length).toBeGreaterThan(0);
    const empty = sent.flatMap((r) => decodeWriteRequest(snappyUncompress(r.raw)).flatMap((s) => s.labels.filter(([, v]) => v === '').map(([n]) => n)));
    expect(empty).toEqual([]);
  });

  it('Pushgateway: no empty grouping label and no empty label in the pushed metrics', async () => {
    server = await startPushgateway();
    agent = await startAgent(['--push.pushgateway.url', server.url, '--global.node-name', 'lbl-pg'], {
      env: { RXPORTER_EXPORTER_PUSHGATEWAY_GROUPING_LABELS: '{"rack":"r1","unset":""}', RXPORTER_GLOBAL_LABELS: '{"empty":""}' },
    });
    type Group = { labels: Record<string, string>; [family: string]: unknown };
    const group = await poll(async () => {
      const gs = ((await (await fetch(`${server!.url}/api/v1/metrics`)).json()) as { data: Group[] }).data;
      return gs.find((g) => g.labels.nodeName === 'lbl-pg' && g.node_memory_MemTotal_bytes);
    }, 15_000, 'group in the Pushgateway');
    expect(group.labels).toEqual({ job: 'rxptest', nodeName: 'lbl-pg', rack: 'r1' });
    const empty = Object.entries(group)
      .filter(([k]) => k !== 'labels')
      .flatMap(([, f]) => (f as { metrics?: { labels: Record<string, string> }[] }).metrics ?? [])
      // instance="" is the Pushgateway's own default for a group without an instance label
      .flatMap((m) => Object.entries(m.labels).filter(([n, v]) => v === '' && n !== 'instance').map(([n]) => n));
    expect(empty).toEqual([]);
  });
});
