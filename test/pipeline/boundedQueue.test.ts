import { createBoundedQueue } from '../../src/pipeline/boundedQueue';
import type { Payload } from '../../src/sinks/types';

const pl = (seq: number, size = 10): Payload => ({ seq, timestampMs: seq, samples: 2, body: new Uint8Array(size) });

describe('createBoundedQueue', () => {
  it('drops the oldest waiting payload over capacity', () => {
    const q = createBoundedQueue(2);
    expect(q.push(pl(1))).toEqual([]);
    expect(q.push(pl(2))).toEqual([]);
    expect(q.push(pl(3)).map((p) => p.seq)).toEqual([1]);
    expect(q.length).toBe(2);
    expect(q.bytes).toBe(20);
  });

  it('never drops what is in flight', () => {
    const q = createBoundedQueue(1);
    q.push(pl(1));
    const taken = q.take(1, 100);
    expect(q.push(pl(2))).toEqual([]);
    expect(q.push(pl(3)).map((p) => p.seq)).toEqual([2]);
    q.remove(taken);
    expect(q.take(5, 100).map((i) => i.payload.seq)).toEqual([3]);
  });

  it('takes at least one item and then up to maxBytes', () => {
    const q = createBoundedQueue(10);
    q.push(pl(1, 50));
    q.push(pl(2, 50));
    q.push(pl(3, 50));
    expect(q.take(10, 10).map((i) => i.payload.seq)).toEqual([1]);
    expect(q.take(10, 100).map((i) => i.payload.seq)).toEqual([2, 3]);
  });

  it('puts released items back at the head in order', () => {
    const q = createBoundedQueue(10);
    q.push(pl(1));
    q.push(pl(2));
    const t = q.take(1, 100);
    q.push(pl(3));
    q.release(t);
    expect(q.take(10, 1000).map((i) => i.payload.seq)).toEqual([1, 2, 3]);
  });

  it('clears what waits but keeps what is in flight', () => {
    const q = createBoundedQueue(10);
    q.push(pl(1));
    q.push(pl(2));
    q.take(1, 100);
    expect(q.clear().map((p) => p.seq)).toEqual([2]);
    expect(q.length).toBe(1);
  });

  it('refuses a capacity below one', () => {
    expect(() => createBoundedQueue(0)).toThrow(RangeError);
  });
});
