import type { Payload } from '../model/delivery';
import type { PayloadQueue, QueuedItem } from './payloadQueue';

/**
 * Returns an in-memory queue holding at most `capacity` waiting payloads besides those in
 * flight; a push over it drops the oldest waiting payload. With capacity 1 it conflates:
 * one request in flight and only the newest payload waiting (the Pushgateway's buffer).
 *
 *   capacity 2, one in flight:  [a*] b c  + d  →  [a*] c d   (b dropped)
 */
export function createBoundedQueue(capacity: number): PayloadQueue {
  if (capacity < 1) throw new RangeError('capacity must be at least 1');
  let nextId = 1;
  // In flight items sit at the front of `items`, `inFlight` of them.
  let items: QueuedItem[] = [];
  let inFlight = 0;
  let bytes = 0;
  return {
    push(p) {
      items.push({ id: nextId++, payload: p });
      bytes += p.body.length;
      const dropped: Payload[] = [];
      while (items.length - inFlight > capacity) {
        const [d] = items.splice(inFlight, 1);
        bytes -= d.payload.body.length;
        dropped.push(d.payload);
      }
      return dropped;
    },
    take(maxItems, maxBytes) {
      const out: QueuedItem[] = [];
      let size = 0;
      for (let i = inFlight; i < items.length && out.length < maxItems; i++) {
        const b = items[i].payload.body.length;
        if (out.length > 0 && size + b > maxBytes) break;
        size += b;
        out.push(items[i]);
      }
      inFlight += out.length;
      return out;
    },
    remove(taken) {
      const ids = new Set(taken.map((t) => t.id));
      const before = items.length;
      items = items.filter((i) => {
        if (!ids.has(i.id)) return true;
        bytes -= i.payload.body.length;
        return false;
      });
      inFlight -= before - items.length;
    },
    release(taken) {
      inFlight = Math.max(0, inFlight - taken.filter((t) => items.some((i) => i.id === t.id)).length);
      // Items beyond capacity that piled up while these were in flight: drop nothing here;
      // the next push applies the capacity rule again.
    },
    clear() {
      const dropped = items.slice(inFlight).map((i) => i.payload);
      for (const p of dropped) bytes -= p.body.length;
      items = items.slice(0, inFlight);
      return dropped;
    },
    get length() {
      return items.length;
    },
    get bytes() {
      return bytes;
    },
    close() {},
  };
}
