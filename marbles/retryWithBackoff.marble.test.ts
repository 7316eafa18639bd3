import { defer } from 'rxjs';
import { RxporterError } from '../src/errors';
import { backoffDelay, retryWithBackoff } from '../src/pipeline/retryWithBackoff';
import { marbles } from './scheduler';

const retryable = new RxporterError('RXP_SINK_HTTP', '503', true);

describe('retryWithBackoff', () => {
  it('retries after 2 then 4 frames, doubling up to the cap', () =>
    marbles(({ cold, expectObservable, expectSubscriptions }) => {
      const src = cold('-#', {}, retryable);
      const out = src.pipe(retryWithBackoff({ initialMs: 2, maxMs: 9, maxRetries: 2, random: () => 1 }));
      expectObservable(out).toBe('---------#', {}, retryable);
      expectSubscriptions(src.subscriptions).toBe(['^!', '---^!', '--------^!']);
    }));

  it('caps the delay at maxMs', () =>
    marbles(({ cold, expectObservable, expectSubscriptions }) => {
      const src = cold('#', {}, retryable);
      const out = src.pipe(retryWithBackoff({ initialMs: 2, maxMs: 3, maxRetries: 3, random: () => 1 }));
      // delays 2, min(3,4)=3, min(3,8)=3
      expectObservable(out).toBe('--------#', {}, retryable);
      expectSubscriptions(src.subscriptions).toBe(['(^!)', '--(^!)', '-----(^!)', '--------(^!)']);
    }));

  it('scales every delay by the jitter source (full jitter)', () =>
    marbles(({ cold, expectObservable, expectSubscriptions }) => {
      const src = cold('#', {}, retryable);
      const out = src.pipe(retryWithBackoff({ initialMs: 4, maxMs: 100, maxRetries: 2, random: () => 0.5 }));
      // delays 0.5·4 = 2 and 0.5·8 = 4
      expectObservable(out).toBe('------#', {}, retryable);
      expectSubscriptions(src.subscriptions).toBe(['(^!)', '--(^!)', '------(^!)']);
    }));

  it('retries at once when the jitter source gives 0', () =>
    marbles(({ cold, expectObservable }) => {
      const src = cold('#', {}, retryable);
      expectObservable(src.pipe(retryWithBackoff({ initialMs: 50, maxMs: 100, maxRetries: 3, random: () => 0 }))).toBe('#', {}, retryable);
    }));

  it('keeps every delay within [0, min(max, initial·2ⁿ⁻¹)) for random in [0, 1)', () => {
    const o = { initialMs: 1000, maxMs: 60_000, maxRetries: 10 };
    for (let n = 1; n <= 10; n++) {
      const cap = Math.min(60_000, 1000 * 2 ** (n - 1));
      for (const r of [0, 0.25, 0.999999]) {
        const d = backoffDelay({ ...o, random: () => r }, retryable, n);
        expect(d).toBeGreaterThanOrEqual(0);
        expect(d).toBeLessThan(cap);
        expect(d).toBeCloseTo(cap * r, 6);
      }
    }
  });

  it('waits the Retry-After delay the error carries instead of the backoff', () =>
    marbles(({ cold, expectObservable, expectSubscriptions }) => {
      const throttled = Object.assign(new RxporterError('RXP_SINK_HTTP', '429', true), { retryAfterMs: 7 });
      const plain = cold('-#', {}, retryable);
      const src = cold('-#', {}, throttled);
      let calls = 0;
      const out = defer(() => (calls++ === 0 ? src : plain)).pipe(retryWithBackoff({ initialMs: 1, maxMs: 9, maxRetries: 0, random: () => 1 }));
      // fails at 1 asking for 7: the next attempt at 8 fails at 9 without Retry-After and no retries are left
      expectObservable(out).toBe('---------#', {}, retryable);
      expectSubscriptions(src.subscriptions).toBe(['^!']);
      expectSubscriptions(plain.subscriptions).toBe(['--------^!']);
    }));

  it('caps a Retry-After at maxMs, reports the cap, and does not count those waits as retries', () => {
    const capped: [number, number][] = [];
    marbles(({ cold, expectObservable }) => {
      const throttled = Object.assign(new RxporterError('RXP_SINK_HTTP', '429', true), { retryAfterMs: 3_600_000 });
      let calls = 0;
      const out = defer(() => (calls++ < 2 ? cold('-#', {}, throttled) : cold('-#', {}, retryable))).pipe(
        retryWithBackoff({ initialMs: 1, maxMs: 3, maxRetries: 0, random: () => 1, onRetryAfterCapped: (asked, waited) => capped.push([asked, waited]) }),
      );
      // attempts at 0 and 4 are answered "Retry-After: 3600" (waits of 3, uncounted); the one at 8 fails plainly at 9
      expectObservable(out).toBe('---------#', {}, retryable);
    });
    expect(capped).toEqual([
      [3_600_000, 3],
      [3_600_000, 3],
    ]);
  });

  it('waits at least initialMs for "Retry-After: 0", so a server saying "now" forever is not hammered', () =>
    marbles(({ cold, expectObservable, expectSubscriptions }) => {
      const now = Object.assign(new RxporterError('RXP_SINK_HTTP', '429', true), { retryAfterMs: 0 });
      const src = cold('-#', {}, now);
      const out = src.pipe(retryWithBackoff({ initialMs: 2, maxMs: 9, maxRetries: 0, random: () => 1, until: 7 }));
      // fails at 1 and 4 (waits of 2, not 0), then at 7: from `until` on, no retry
      expectObservable(out).toBe('-------#', {}, now);
      expectSubscriptions(src.subscriptions).toBe(['^!', '---^!', '------^!']);
    }));

  it('retries no more once `until` has passed, Retry-After or not', () =>
    marbles(({ cold, expectObservable, expectSubscriptions }) => {
      const throttled = Object.assign(new RxporterError('RXP_SINK_HTTP', '503', true), { retryAfterMs: 3 });
      const src = cold('-#', {}, throttled);
      const out = src.pipe(retryWithBackoff({ initialMs: 1, maxMs: 9, maxRetries: 100, random: () => 1, until: 6 }));
      // fails at 1 and 5 (before 6: retried after 3), then at 9 (past 6: given up)
      expectObservable(out).toBe('---------#', {}, throttled);
      expectSubscriptions(src.subscriptions).toBe(['^!', '----^!', '--------^!']);
    }));

  it('lets a non-retryable error through at once', () =>
    marbles(({ cold, expectObservable, expectSubscriptions }) => {
      const bad = new RxporterError('RXP_SINK_HTTP', '400', false);
      const src = cold('--#', {}, bad);
      expectObservable(src.pipe(retryWithBackoff({ initialMs: 1, maxMs: 2, maxRetries: 5, random: () => 1 }))).toBe('--#', {}, bad);
      expectSubscriptions(src.subscriptions).toBe(['^-!']);
    }));

  it('completes when a retry succeeds and reports each retry with its delay', () => {
    const seen: [number, number][] = [];
    marbles(({ cold, expectObservable }) => {
      let calls = 0;
      const src = cold('-#', {}, retryable);
      const ok = cold('-(a|)');
      const out = defer(() => (calls++ < 2 ? src : ok)).pipe(
        retryWithBackoff({ initialMs: 2, maxMs: 9, maxRetries: 3, random: () => 1, onRetry: (_e, n, d) => seen.push([n, d]) }),
      );
      // attempts at 0 (fails at 1), 3 (fails at 4), 8 (succeeds at 9)
      expectObservable(out).toBe('---------(a|)');
    });
    expect(seen).toEqual([
      [1, 2],
      [2, 4],
    ]);
  });
});
