import { firstValueFrom, type Subscription } from 'rxjs';
import { createKubeClient, type KubeClient } from '../../src/kube/client';
import { createInformer, type Informer } from '../../src/kube/informer';
import { KUBE_RESOURCES } from '../../src/kube/resources';
import type { KubeObject } from '../../src/ksm/types';
import { startKubeApiServer, type KubeApiServer } from '../support/kubeApiServer';
import { poll } from '../support/servers';

const pod = (name: string, phase = 'Running'): KubeObject => ({ metadata: { name, namespace: 'ns' }, spec: { nodeName: 'n1' }, status: { phase } });

/** The cache as the server has it: key -> resourceVersion. */
const cacheOf = (i: Informer) => Object.fromEntries([...i.objects].map(([k, o]) => [k, o.metadata.resourceVersion]));
const serverPods = (api: KubeApiServer, names: string[]) => Object.fromEntries(names.map((n) => [`ns/${n}`, api.object('pods', 'ns', n)?.metadata.resourceVersion]));
const lists = (api: KubeApiServer) => api.requests.filter((r) => r.startsWith('GET /api/v1/pods?') && !r.includes('watch=true'));

describe('informer against the fixture API server', () => {
  let api: KubeApiServer;
  let client: KubeClient;
  let inf: Informer;
  let sub: Subscription | undefined;
  const start = (o: { pageSize?: number; requestTimeoutMs?: number } = {}) => {
    client = createKubeClient({ server: api.url, insecureSkipTlsVerify: false, source: 'test' }, { requestTimeoutMs: o.requestTimeoutMs ?? 2000 });
    inf = createInformer({ client, resource: KUBE_RESOURCES.pods, pageSize: o.pageSize, backoff: { initialMs: 50, maxMs: 200 }, watchTimeoutSeconds: 60 });
    sub = inf.run$.subscribe();
  };
  const waitFor = (what: string, ok: () => boolean) => poll(async () => (ok() ? true : undefined), 10_000, what, 20);
  /** Stores pods `names`, starts the informer and waits for its synced cache and open watch. */
  const watching = async (names: string[]) => {
    for (const n of names) api.put('pods', pod(n));
    start();
    await firstValueFrom(inf.synced());
    await waitFor('the watch', () => api.openWatches() === 1);
  };

  beforeEach(async () => {
    api = await startKubeApiServer({ bookmarkMs: 50 });
  });
  afterEach(async () => {
    sub?.unsubscribe();
    await client?.close();
    await api.close();
  });

  it('lists, then follows the watch', async () => {
    await watching(['a', 'b']);
    expect(Object.keys(cacheOf(inf)).sort()).toEqual(['ns/a', 'ns/b']);
    api.put('pods', pod('a', 'Succeeded'));
    api.remove('pods', 'ns', 'b');
    api.put('pods', pod('c'));
    await waitFor('the events', () => inf.objects.size === 2 && inf.objects.get('ns/a')?.status.phase === 'Succeeded');
    expect(cacheOf(inf)).toEqual(serverPods(api, ['a', 'c']));
    expect(api.requests.find((r) => r.includes('watch=true'))).toMatch(/resourceVersion=2&allowWatchBookmarks=true&timeoutSeconds=60/);
  });

  it('keeps the cache right through a watch dropped mid-stream, resuming from the last resourceVersion without a relist', async () => {
    await watching(['a', 'b']);
    api.put('pods', pod('a', 'Failed'));
    await waitFor('the first event', () => inf.objects.get('ns/a')?.status.phase === 'Failed');
    api.dropWatches();
    // While no watch is open: these must come back through the replay of the next watch.
    api.remove('pods', 'ns', 'b');
    api.put('pods', pod('c'));
    await waitFor('the reconnect', () => inf.objects.has('ns/c') && !inf.objects.has('ns/b'));
    expect(cacheOf(inf)).toEqual(serverPods(api, ['a', 'c']));
    expect(lists(api)).toHaveLength(1);
    expect(api.requests.filter((r) => r.includes('watch=true'))[1]).toMatch(/resourceVersion=3&/);
  });

  it('relists after 410 Gone and removes objects deleted while it was away', async () => {
    await watching(['a', 'b']);
    api.dropWatches();
    api.remove('pods', 'ns', 'a');
    api.put('pods', pod('c'));
    api.compact(); // the events above are forgotten: the watch from resourceVersion 2 gets an ERROR 410
    await waitFor('the relist', () => lists(api).length === 2 && inf.objects.has('ns/c'));
    expect(cacheOf(inf)).toEqual(serverPods(api, ['b', 'c']));
    expect(inf.lastError()).toBeUndefined();
    await waitFor('the new watch', () => api.openWatches() === 1);
    api.put('pods', pod('d'));
    await waitFor('an event after the relist', () => inf.objects.has('ns/d'));
  });

  it('advances its resourceVersion with bookmarks, so a later compaction costs no relist', async () => {
    await watching(['a']);
    expect(inf.resourceVersion()).toBe('1');
    // Changes of another resource move the global resourceVersion; only bookmarks tell the pods watch.
    for (const n of ['n1', 'n2', 'n3']) api.put('nodes', { metadata: { name: n } });
    await waitFor('a bookmark', () => inf.resourceVersion() === '4');
    api.compact();
    api.dropWatches();
    api.put('pods', pod('b'));
    await waitFor('the reconnect', () => inf.objects.has('ns/b'));
    expect(lists(api)).toHaveLength(1);
  });

  it('starts the LIST over when the continue token expires mid-pagination', async () => {
    for (const n of ['a', 'b', 'c']) api.put('pods', pod(n));
    let expired = false;
    api.beforeRequest((line) => {
      if (!expired && line.includes('continue=')) {
        expired = true;
        api.expireContinueTokens();
        api.remove('pods', 'ns', 'a'); // gone before the second, complete LIST
      }
    });
    start({ pageSize: 1 });
    await firstValueFrom(inf.synced());
    expect(cacheOf(inf)).toEqual(serverPods(api, ['b', 'c']));
    expect(lists(api).map((l) => (l.includes('continue=') ? 'continue' : 'first'))).toEqual(['first', 'continue', 'first', 'continue']);
  });

  it('reports a hung API server as a timeout and syncs once it answers again', async () => {
    api.put('pods', pod('a'));
    api.hang(true);
    start({ requestTimeoutMs: 300 });
    await waitFor('the timeout', () => inf.lastError() !== undefined);
    expect(inf.lastError()).toMatchObject({ code: 'RXP_TIMEOUT' });
    expect(inf.hasSynced()).toBe(false);
    api.hang(false);
    await firstValueFrom(inf.synced());
    expect(Object.keys(cacheOf(inf))).toEqual(['ns/a']);
    expect(inf.lastError()).toBeUndefined();
  });
});
