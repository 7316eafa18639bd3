import type { Payload } from '../model/delivery';

/** A queued payload with the queue's handle on it. */
export interface QueuedItem {
  readonly id: number;
  readonly payload: Payload;
}

/**
 * A sink's FIFO of payloads waiting for delivery. Items taken for a request are "in flight":
 * they are never dropped to make room; they leave the queue with remove() (delivered or
 * dropped) or go back to waiting with release() (to be retried in a later round).
 */
export interface PayloadQueue {
  /** Appends `p`; returns the payloads dropped to make room (oldest waiting first). */
  push(p: Payload): Payload[];
  /** Marks and returns the oldest waiting items: at least one (when any), at most `maxItems` and, after the first, `maxBytes` of body. */
  take(maxItems: number, maxBytes: number): QueuedItem[];
  /** Removes taken items for good. */
  remove(items: readonly QueuedItem[]): void;
  /** Returns taken items to the head of the queue, in order. */
  release(items: readonly QueuedItem[]): void;
  /** Drops every waiting item; returns them. */
  clear(): Payload[];
  /** Items queued, in flight included. */
  readonly length: number;
  /** Body bytes queued (for a disk queue: bytes on disk). */
  readonly bytes: number;
  /** Releases resources (files, lock). */
  close(): void;
}
