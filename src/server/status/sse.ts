import type { Writable } from 'node:stream';

/** Options of sseClient. */
export interface SseClientOptions {
  /** Bytes the response may hold unsent (Node's buffer, not the kernel's) before events are dropped. */
  readonly maxBufferedBytes: number;
  /** Events dropped in a row after which the client is cut off (it reconnects if alive). */
  readonly maxDroppedInARow: number;
}

/** One Server-Sent Events client (a response being written). */
export interface SseClient {
  /** Writes `event: <event>` with `data` as JSON, or drops it when the client is behind; returns true when written. */
  send(event: string, data: unknown): boolean;
  /** Writes a comment line (`: text`), the heartbeat that keeps proxies from timing the stream out; dropped alike. */
  comment(text: string): boolean;
  /** Events dropped so far because the client did not read. */
  dropped(): number;
}

/**
 * Returns a writer of the text/event-stream format
 * (https://html.spec.whatwg.org/multipage/server-sent-events.html) on `res` whose memory is
 * bounded: an event that would take the bytes waiting in `res` (writableLength: what the
 * kernel's socket buffer did not take) past `maxBufferedBytes` is dropped, not queued, so a
 * client that stops reading costs at most that much. After `maxDroppedInARow` drops in a row
 * the response is destroyed (the 'close' event ends the client's subscription).
 *
 *   max 10 bytes, a client that never reads, events of 6 bytes:
 *   send: a b c d …      a written (6), b dropped (12 > 10), c, d … dropped; after the bound: destroyed
 */
export function sseClient(res: Writable, o: SseClientOptions): SseClient {
  let dropped = 0;
  let inARow = 0;
  const write = (frame: string): boolean => {
    if (res.destroyed) return false;
    if (res.writableLength + Buffer.byteLength(frame) > o.maxBufferedBytes) {
      dropped++;
      if (++inARow >= o.maxDroppedInARow) res.destroy();
      return false;
    }
    inARow = 0;
    res.write(frame);
    return true;
  };
  return {
    // JSON has no raw line breaks, so the data is one `data:` line.
    send: (event, data) => write(`event: ${event}\ndata: ${JSON.stringify(data)}\n\n`),
    comment: (text) => write(`: ${text.replace(/\n/g, ' ')}\n\n`),
    dropped: () => dropped,
  };
}
