import { Writable } from 'node:stream';
import { sseClient } from '../../../src/server/status/sse';

/** A response whose client never reads: every write stays in Node's buffer (writableLength). */
const stalled = () => new Writable({ highWaterMark: 16, write: () => undefined });
/** A response whose client reads at once. */
const reading = (frames: string[]) =>
  new Writable({
    write(chunk: Buffer, _enc, cb) {
      frames.push(chunk.toString());
      cb();
    },
  });

describe('sseClient', () => {
  it('writes events and comments in the text/event-stream format', () => {
    const frames: string[] = [];
    const c = sseClient(reading(frames), { maxBufferedBytes: 1024, maxDroppedInARow: 3 });
    expect(c.send('collection', { seq: 1, s: 'a\nb' })).toBe(true);
    expect(c.comment('heartbeat')).toBe(true);
    expect(frames).toEqual(['event: collection\ndata: {"seq":1,"s":"a\\nb"}\n\n', ': heartbeat\n\n']);
  });

  it('never holds more than maxBufferedBytes for a client that does not read: it drops events instead', () => {
    const res = stalled();
    const c = sseClient(res, { maxBufferedBytes: 4096, maxDroppedInARow: 1_000_000 });
    let written = 0;
    const data = { pad: 'x'.repeat(200) };
    const frame = Buffer.byteLength(`event: sinks\ndata: ${JSON.stringify(data)}\n\n`);
    for (let i = 0; i < 10_000; i++) if (c.send('sinks', data)) written++;
    expect(res.writableLength).toBeLessThanOrEqual(4096);
    expect(written).toBe(Math.floor(4096 / frame));
    expect(c.dropped()).toBe(10_000 - written);
    expect(res.destroyed).toBe(false);
  });

  it('cuts off a client after maxDroppedInARow drops in a row', () => {
    const res = stalled();
    const c = sseClient(res, { maxBufferedBytes: 100, maxDroppedInARow: 5 });
    expect(c.send('e', 'x'.repeat(50))).toBe(true);
    for (let i = 0; i < 4; i++) expect(c.send('e', 'x'.repeat(50))).toBe(false);
    expect(res.destroyed).toBe(false);
    expect(c.send('e', 'x'.repeat(50))).toBe(false);
    expect(res.destroyed).toBe(true);
    expect(c.comment('heartbeat')).toBe(false);
  });
});
