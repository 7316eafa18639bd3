import { map, type Observable } from 'rxjs';
import type { RunHelpers } from 'rxjs/testing';
import { RxporterError } from '../src/errors';
import { createBoundedQueue } from '../src/pipeline/boundedQueue';
import { deliver, type DeliverOptions } from '../src/pipeline/deliver';
import type { PayloadQueue } from '../src/pipeline/payloadQueue';
import type { DeliveryResult, Payload } from '../src/sinks/types';
import { marbles } from './scheduler';

const pl = (seq: number): Payload => ({ seq, timestampMs: seq, samples: 1, body: new Uint8Array(10) });
const P: Record<string, Payload> = { a: pl(1), b: pl(2), c: pl(3), d: pl(4), e: pl(5) };
/** Results as short strings: "1d" delivered, "2x:rejected" dropped with reason, "3f" failed. */
const short = (r: DeliveryResult): string => `${r.seq}${r.status === 'dropped' ? 'x' : r.status[0]}${r.reason ? `:${r.reason}` : ''}`;
const unavailable = Object.assign(new RxporterError('RXP_SINK_HTTP', 'HTTP 503', true), { status: 503 });
const internal = Object.assign(new RxporterError('RXP_SINK_HTTP', 'HTTP 500', true), { status: 500 });
const badRequest = Object.assign(new RxporterError('RXP_SINK_HTTP', 'HTTP 400', false), { status: 400 });
/** A 429 asking for an hour (Retry-After: 3600), more than the 4-frame maxMs of these tests. */
const throttled = Object.assign(new RxporterError('RXP_SINK_HTTP', 'HTTP 429', true), { status: 429, retryAfterMs: 3_600_000 });

/** Runs deliver with `send` answering the n-th request with responses[n] (the last one repeats). */
function run(
  h: RunHelpers,
  o: {
    payloads: string;
    trigger: string;
    responses: string[];
    errors?: Record<number, RxporterError>;
    queue?: PayloadQueue;
    retries?: number;
    park?: boolean;
    maxItems?: number;
    maxElapsedMs?: number;
  },
): { out: Observable<string>; requests: string[] } {
  const requests: string[] = [];
  const opts: DeliverOptions = {
    sink: 't',
    queue: o.queue ?? createBoundedQueue(10),
    send: (ps) => {
      const n = requests.length;
      requests.push(ps.map((p) => p.seq).join(','));
      const marble = o.responses[Math.min(n, o.responses.length - 1)];
      return h.cold(marble, {}, o.errors?.[Math.min(n, o.responses.length - 1)] ?? unavailable);
    },
    trigger$: h.hot(o.trigger),
    maxItems: o.maxItems ?? 10,
    maxBytes: 1 << 20,
    retry: { initialMs: 2, maxMs: 4, maxRetries: o.retries ?? 0, random: () => 1 },
    park: o.park ?? false,
    maxElapsedMs: o.maxElapsedMs ?? 1000,
  };
  return { out: h.hot(o.payloads, P).pipe(deliver(opts), map(short)), requests };
}

describe('deliver', () => {
  it('sends what is queued on each trigger, joined in one request, in order', () => {
    let requests: string[] = [];
    marbles((h) => {
      const r = run(h, { payloads: '-a-b--c------', trigger: '----t-----t--', responses: ['-|'] });
      requests = r.requests;
      h.expectObservable(r.out).toBe('-----(ab)--c', { a: '1d', b: '2d', c: '3d' });
    });
    expect(requests).toEqual(['1,2', '3']);
  });

  it('splits the queue into requests of maxItems payloads', () => {
    let requests: string[] = [];
    marbles((h) => {
      const r = run(h, { payloads: '(abc)', trigger: '-t', responses: ['-----|'], maxItems: 2 });
      requests = r.requests;
      h.expectObservable(r.out).toBe('------(ab)-c', { a: '1d', b: '2d', c: '3d' });
    });
    expect(requests).toEqual(['1,2', '3']);
  });

  it('drops the oldest waiting payload when the queue is full, never the one in flight', () =>
    marbles((h) => {
      // a is in flight from 1 to 6; b, c, d wait in a queue of 2: b is dropped when d arrives;
      // the drain goes on with c and d as soon as a is delivered
      const r = run(h, { payloads: 'a-bcd-----', trigger: '-t-----t--', responses: ['-----|', '-|'], queue: createBoundedQueue(2) });
      h.expectObservable(r.out).toBe('----b-a(cd)', { a: '1d', b: '2x:queue_full', c: '3d', d: '4d' });
    }));

  it('conflates to the newest payload with a queue of one (the Pushgateway buffer)', () => {
    let requests: string[] = [];
    marbles((h) => {
      const r = run(h, { payloads: 'a-bcde------', trigger: '-t------t---', responses: ['-----|', '-|'], queue: createBoundedQueue(1), maxItems: 1 });
      requests = r.requests;
      h.expectObservable(r.out).toBe('---bcdae', { a: '1d', b: '2x:queue_full', c: '3x:queue_full', d: '4x:queue_full', e: '5d' });
    });
    // history is never replayed: only a and the newest, e
    expect(requests).toEqual(['1', '5']);
  });

  it('drops a rejected payload at once and delivers the next ones', () => {
    let requests: string[] = [];
    marbles((h) => {
      const r = run(h, {
        payloads: 'a-b--',
        trigger: '-t-t-',
        responses: ['-#', '-|'],
        errors: { 0: badRequest },
        retries: 3,
      });
      requests = r.requests;
      h.expectObservable(r.out).toBe('--ab', { a: '1x:rejected', b: '2d' });
    });
    expect(requests).toEqual(['1', '2']);
  });

  it('retries with backoff within a round and drops after the last attempt without a disk queue', () => {
    let requests: string[] = [];
    marbles((h) => {
      // attempts at 1, 4 (after 2) and 9 (after 4), each failing one frame later
      const r = run(h, { payloads: 'a----------', trigger: '-t---------', responses: ['-#'], retries: 2 });
      requests = r.requests;
      h.expectObservable(r.out).toBe('----------a', { a: '1x:retries_exhausted' });
    });
    expect(requests).toEqual(['1', '1', '1']);
  });

  it('parks the head when attempts run out and sends it again, still first, on the next trigger', () => {
    let requests: string[] = [];
    marbles((h) => {
      const r = run(h, { payloads: 'a-b-----', trigger: '-t---t--', responses: ['-#', '-|'], retries: 0, park: true });
      requests = r.requests;
      h.expectObservable(r.out).toBe('--a---(bc)', { a: '1f', b: '1d', c: '2d' });
    });
    // a alone first; at the second trigger a and b are joined, a still first
    expect(requests).toEqual(['1', '1,2']);
  });

  it('retries HTTP 500 like every 5xx: parked with a disk queue and delivered, in order, once the server recovers', () => {
    let requests: string[] = [];
    marbles((h) => {
      const r = run(h, { payloads: 'a-b-----', trigger: '-t---t--', responses: ['-#', '-|'], errors: { 0: internal }, retries: 0, park: true });
      requests = r.requests;
      h.expectObservable(r.out).toBe('--a---(bc)', { a: '1f', b: '1d', c: '2d' });
    });
    expect(requests).toEqual(['1', '1,2']);
  });

  it('retries HTTP 500 with backoff and, without a disk queue, drops it only when the attempts run out', () =>
    marbles((h) => {
      const r = run(h, { payloads: 'a----------', trigger: '-t---------', responses: ['-#'], errors: { 0: internal }, retries: 2 });
      h.expectObservable(r.out).toBe('----------a', { a: '1x:retries_exhausted' });
    }));

  it('drops the head as expired when it still fails maxElapsedMs after its first attempt, and moves on', () => {
    let requests: string[] = [];
    marbles((h) => {
      // a is first tried at 1 (deadline 5) and fails at 2 and 4 (parked), then at 6: expired; b follows at once
      const r = run(h, { payloads: '(ab)', trigger: '-t-t-t-t-t', responses: ['-#', '-#', '-#', '-|'], retries: 0, park: true, maxItems: 1, maxElapsedMs: 4 });
      requests = r.requests;
      h.expectObservable(r.out).toBe('--a-a-bc', { a: '1f', b: '1x:expired', c: '2d' });
    });
    expect(requests).toEqual(['1', '1', '1', '2']);
  });

  it('drops only the payloads of a failing request that are past maxElapsedMs; the younger ones stay first', () => {
    let requests: string[] = [];
    marbles((h) => {
      // a first tried at 1 (deadline 11), b at 6 (deadline 16): the failure at 13 expires a only
      const r = run(h, { payloads: 'a--b', trigger: '-t----t-----t', responses: ['-#', '-#', '-#', '-|'], retries: 0, park: true, maxElapsedMs: 10 });
      requests = r.requests;
      h.expectObservable(r.out).toBe('--a----(bc)--de', { a: '1f', b: '1f', c: '2f', d: '1x:expired', e: '2d' });
    });
    expect(requests).toEqual(['1', '1,2', '1,2', '2']);
  });

  it('waits for a Retry-After without using up the attempts (a memory queue keeps the batch)', () => {
    let requests: string[] = [];
    marbles((h) => {
      // 429 at 2 asks for an hour, capped at maxMs 4: the second attempt at 6 succeeds at 7
      const r = run(h, { payloads: 'a', trigger: '-t', responses: ['-#', '-|'], errors: { 0: throttled }, retries: 0 });
      requests = r.requests;
      h.expectObservable(r.out).toBe('-------a', { a: '1d' });
    });
    expect(requests).toEqual(['1', '1']);
  });

  it('sends nothing before the (capped) time a server asked for, not even the next batch after a drop', () => {
    let requests: string[] = [];
    marbles((h) => {
      // a: first try at 1 (deadline 3), 429 at 2 → wait 4 → 429 at 7, past the deadline: expired,
      // and the server asked for another 4: b is sent at 11, not at 7
      const r = run(h, { payloads: '(ab)', trigger: '-t', responses: ['-#', '-#', '-|'], errors: { 0: throttled, 1: throttled }, maxItems: 1, maxElapsedMs: 2 });
      requests = r.requests;
      h.expectObservable(r.out).toBe('-------a----b', { a: '1x:expired', b: '2d' });
    });
    expect(requests).toEqual(['1', '1', '2']);
  });

  it('drains at once when the source completes and then completes', () =>
    marbles((h) => {
      const r = run(h, { payloads: 'a-b|', trigger: '------t', responses: ['--|'] });
      h.expectObservable(r.out).toBe('-----(ab|)', { a: '1d', b: '2d' });
    }));

  it('keeps a payload queued when unsubscribed mid-request', () => {
    const queue = createBoundedQueue(5);
    marbles((h) => {
      const r = run(h, { payloads: 'a', trigger: '-t', responses: ['----|'], queue });
      h.expectObservable(r.out, '^--!').toBe('');
    });
    expect(queue.length).toBe(1);
    expect(queue.take(5, 1 << 20).map((i) => i.payload.seq)).toEqual([1]);
  });
});
