import { of, throwError } from 'rxjs';
import { startPodInfoSource, type HttpGet } from '../src/kube/podInfoSource';
import { recordingLog } from '../test/support/neFixtures';
import { testScheduler } from './scheduler';

const answer = (pod: string) => JSON.stringify({ nodeName: 'n1', pods: [{ name: pod, namespace: 'shop', uid: 'u1', containers: [{ name: 'app', containerId: 'containerd://c1' }] }] });

describe('startPodInfoSource', () => {
  it('fetches at start and every refresh period in the background, keeps the last answer through failures and logs once per episode', () => {
    const sch = testScheduler();
    const log = recordingLog();
    // Per fetch: ok (pod a), 503, unreachable, ok (pod b).
    const script = [{ status: 200, text: answer('a') }, { status: 503, text: 'not synced' }, new Error('ECONNREFUSED'), { status: 200, text: answer('b') }];
    const urls: string[] = [];
    const seen: [number, string | undefined][] = [];
    const get: HttpGet = (url) => {
      urls.push(url);
      const next = script.shift()!;
      return next instanceof Error ? throwError(() => next) : of(next);
    };
    sch.run(() => {
      const src = startPodInfoSource({ url: 'http://ksm:9100/v1/ksm/getPodInfoByNodeName', nodeName: 'n 1', refreshMs: 1000, timeoutMs: 500, log, scheduler: sch, get });
      for (const t of [500, 1500, 2500, 3500]) sch.schedule(() => seen.push([t, src.lookup('u1', 'c1')?.pod]), t);
      sch.schedule(() => src.stop(), 3600);
    });
    // Fetches at 0, 1, 2 and 3 s; the answer of 0 s holds through the failures of 1 and 2 s.
    expect(urls).toEqual(Array(4).fill('http://ksm:9100/v1/ksm/getPodInfoByNodeName?nodeName=n%201'));
    expect(seen).toEqual([
      [500, 'a'],
      [1500, 'a'],
      [2500, 'a'],
      [3500, 'b'],
    ]);
    expect(log.lines.filter((l) => l.level === 'warn').map((l) => l.message)).toEqual(['pod-info endpoint failed; keeping the last answer']);
    expect(log.lines.filter((l) => l.level === 'info').map((l) => l.message)).toEqual(['pod-info endpoint answers again']);
  });

  it('a fetch that hangs is cut at its timeout and a tick during a fetch is skipped', () => {
    const sch = testScheduler();
    const log = recordingLog();
    sch.run(({ cold, expectSubscriptions }) => {
      const hung = cold<{ status: number; text: string }>('-');
      const src = startPodInfoSource({ url: 'http://ksm/p', nodeName: 'n1', refreshMs: 1000, timeoutMs: 1500, log, scheduler: sch, get: () => hung });
      sch.schedule(() => src.stop(), 3500);
      // Subscribed at 0, cut at 1.5 s (the tick of 1 s skipped), again at 2 s, cut at 3.5 s by stop().
      expectSubscriptions(hung.subscriptions).toBe(['^ 1499ms !', '2s ^ 1499ms !']);
    });
    expect(log.lines.filter((l) => l.level === 'warn')).toHaveLength(1);
  });
});
