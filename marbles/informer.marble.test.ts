import type { Observable } from 'rxjs';
import type { KubeClient, KubeList, ListOptions, WatchEvent, WatchOptions } from '../src/kube/client';
import { KubeApiError } from '../src/kube/client';
import { createInformer, type Informer } from '../src/kube/informer';
import { KUBE_RESOURCES } from '../src/kube/resources';
import type { KubeObject } from '../src/ksm/types';
import { marbles } from './scheduler';

const pod = (name: string, rv: string): KubeObject => ({ metadata: { name, namespace: 'ns', resourceVersion: rv } });
const list = (rv: string, names: string[], cont?: string): KubeList => ({ metadata: { resourceVersion: rv, continue: cont }, items: names.map((n) => pod(n, rv)) });
const ev = (type: WatchEvent['type'], name: string, rv: string): WatchEvent => ({ type, object: pod(name, rv) });
const gone: WatchEvent = { type: 'ERROR', object: { kind: 'Status', code: 410, reason: 'Expired', message: 'too old resource version', metadata: {} } as unknown as KubeObject };
const broken = new KubeApiError('WATCH pods: the watch stream broke: other side closed', true);

/** A KubeClient whose list and watch calls return the next prepared observable and record their options. */
function fakeClient(lists: Observable<KubeList>[], watches: Observable<WatchEvent>[]) {
  const calls = { list: [] as ListOptions[], watch: [] as WatchOptions[] };
  const client = {
    list: (_r: unknown, l: ListOptions) => {
      calls.list.push(l);
      return lists.length > 1 ? lists.shift()! : lists[0];
    },
    watch: (_r: unknown, w: WatchOptions) => {
      calls.watch.push(w);
      return watches.length > 1 ? watches.shift()! : watches[0];
    },
  } as unknown as KubeClient;
  return { client, calls };
}

const informerOf = (client: KubeClient): Informer =>
  createInformer({ client, resource: KUBE_RESOURCES.pods, backoff: { initialMs: 4, maxMs: 16 }, random: () => 1, watchTimeoutSeconds: 300 });

const keys = (i: Informer) => [...i.objects.keys()].sort();

describe('informer', () => {
  it('lists, watches from the list\'s resourceVersion and reconnects a broken watch from the last event after backoff', () => {
    let inf!: Informer;
    let f!: ReturnType<typeof fakeClient>;
    marbles(({ cold, expectObservable, expectSubscriptions }) => {
      const l = cold('-a|', { a: list('10', ['a']) });
      const w1 = cold('-m-#', { m: ev('ADDED', 'b', '11') }, broken);
      const w2 = cold('-d--', { d: ev('DELETED', 'a', '12') });
      f = fakeClient([l], [w1, w2]);
      inf = informerOf(f.client);
      expectObservable(inf.run$).toBe('--LM------D', {
        L: { kind: 'listed', resourceVersion: '10', objects: 1, pages: 1 },
        M: { kind: 'event', type: 'ADDED', resourceVersion: '11' },
        D: { kind: 'event', type: 'DELETED', resourceVersion: '12' },
      });
      // The broken watch errs at 5; the retry waits 4 (random 1 · initial 4).
      expectSubscriptions(w1.subscriptions).toBe('--^--!');
      expectSubscriptions(w2.subscriptions).toBe('---------^');
    });
    expect(f.calls.watch.map((w) => [w.resourceVersion, w.allowWatchBookmarks, w.timeoutSeconds])).toEqual([
      ['10', true, 300],
      ['11', true, 300],
    ]);
    expect(keys(inf)).toEqual(['ns/b']);
    expect(inf.resourceVersion()).toBe('12');
    // The fake never opens a watch (no onOpen): the break stays the last error.
    expect(inf.lastError()).toBe(broken);
  });

  it('relists after an ERROR event with code 410 and drops what was deleted meanwhile', () => {
    let inf!: Informer;
    let f!: ReturnType<typeof fakeClient>;
    marbles(({ cold, expectObservable, expectSubscriptions }) => {
      const l1 = cold('-a|', { a: list('10', ['a', 'b']) });
      const l2 = cold('-a|', { a: list('20', ['b', 'c']) });
      const w1 = cold('-e', { e: gone });
      const w2 = cold<WatchEvent>('-');
      f = fakeClient([l1, l2], [w1, w2]);
      inf = informerOf(f.client);
      expectObservable(inf.run$).toBe('--L------K', {
        L: { kind: 'listed', resourceVersion: '10', objects: 2, pages: 1 },
        K: { kind: 'listed', resourceVersion: '20', objects: 2, pages: 1 },
      });
      expectSubscriptions(l2.subscriptions).toBe('-------^-!');
      expectSubscriptions(w2.subscriptions).toBe('---------^');
    });
    expect(keys(inf)).toEqual(['ns/b', 'ns/c']);
    expect(f.calls.watch.map((w) => w.resourceVersion)).toEqual(['10', '20']);
    expect(inf.lastError()).toBeUndefined();
  });

  it('relists from the first page when a continue token expires mid-pagination', () => {
    let inf!: Informer;
    let f!: ReturnType<typeof fakeClient>;
    const expired = new KubeApiError('LIST pods: HTTP 410 Expired', false, 410, 'Expired');
    marbles(({ cold, expectObservable }) => {
      const p1 = cold('-a|', { a: list('10', ['a'], 'c1') });
      const p2 = cold<KubeList>('-#', {}, expired);
      const q1 = cold('-a|', { a: list('30', ['a'], 'c2') });
      const q2 = cold('-a|', { a: list('30', ['z']) });
      f = fakeClient([p1, p2, q1, q2], [cold<WatchEvent>('-')]);
      inf = informerOf(f.client);
      // expand asks for the next page when a page arrives: p2 at 1 fails at 2; after 4, q1 at 6, q2 at 7 ends at 9.
      expectObservable(inf.run$).toBe('---------L', { L: { kind: 'listed', resourceVersion: '30', objects: 2, pages: 2 } });
    });
    expect(f.calls.list.map((l) => l.continue)).toEqual([undefined, 'c1', undefined, 'c2']);
    expect(f.calls.list[0].limit).toBe(500);
    expect(keys(inf)).toEqual(['ns/a', 'ns/z']);
    expect(inf.hasSynced()).toBe(true);
  });

  it('reopens a watch that ended at its timeout at once, from the last resourceVersion; a watch that ends at once after a backoff', () => {
    let f!: ReturnType<typeof fakeClient>;
    marbles(({ cold, expectSubscriptions }) => {
      const l = cold('-a|', { a: list('10', []) });
      const long = cold('-b 1000ms |', { b: ev('BOOKMARK', '', '15') });
      const short = cold<WatchEvent>('|');
      const last = cold<WatchEvent>('-');
      f = fakeClient([l], [long, short, last]);
      informerOf(f.client).run$.subscribe();
      // long: 2 .. 1004; short at 1004 ends at once; the next waits initialMs (4).
      expectSubscriptions(long.subscriptions).toBe('--^ 1001ms !');
      expectSubscriptions(short.subscriptions).toBe('1004ms (^!)');
      expectSubscriptions(last.subscriptions).toBe('1008ms ^');
    });
    expect(f.calls.watch.map((w) => w.resourceVersion)).toEqual(['10', '15', '15']);
  });

  it('backs off doubling to the cap while the watch keeps failing, and reports the failure', () => {
    let inf!: Informer;
    const errs: (string | undefined)[] = [];
    marbles(({ cold, expectSubscriptions }) => {
      const l = cold('(a|)', { a: list('10', ['a']) });
      const w = cold<WatchEvent>('#', {}, new KubeApiError('WATCH pods: HTTP 403 Forbidden: no', false, 403, 'Forbidden'));
      inf = informerOf(fakeClient([l], [w]).client);
      const sub = inf.run$.subscribe();
      // Retries after 4, 8, 16, 16 (capped).
      expectSubscriptions(w.subscriptions).toBe(['(^!)', '----(^!)', '------------(^!)', '----------------------------(^!)', '--------------------------------------------(^!)']);
      cold('50ms x').subscribe(() => {
        errs.push(inf.lastError()?.message);
        sub.unsubscribe(); // else it retries forever, and the virtual clock never stops
      });
    });
    expect(errs).toEqual(['WATCH pods: HTTP 403 Forbidden: no']);
    expect(keys(inf)).toEqual(['ns/a']); // the cache is kept while the watch fails
  });

  it('is synced after the first LIST only, and stays so through a relist', () => {
    const seen: string[] = [];
    marbles(({ cold }) => {
      const l1 = cold('---a|', { a: list('10', []) });
      const l2 = cold('-----a|', { a: list('20', []) });
      const inf = informerOf(fakeClient([l1, l2], [cold('-e', { e: gone }), cold<WatchEvent>('-')]).client);
      inf.synced().subscribe(() => seen.push('synced'));
      inf.run$.subscribe();
      cold('---x-x------x').subscribe(() => seen.push(String(inf.hasSynced())));
    });
    expect(seen).toEqual(['false', 'synced', 'true', 'true']);
  });
});
