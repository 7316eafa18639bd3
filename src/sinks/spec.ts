import type { Observable } from 'rxjs';
import type { Batch, Payload, SendFn } from './types';

/** What makes one sink: how a batch becomes payloads, how payloads are sent, and its buffer rule. */
export interface SinkSpec {
  /** The sink label of its self-metrics and the name of its disk-queue subdirectory. */
  readonly name: string;
  /** Encodes a batch (base labels applied) into one or more payloads. */
  encode(b: Batch): Payload[];
  readonly send: SendFn;
  /** Payloads joined into one request at most, and body bytes per request after the first. */
  readonly maxItems: number;
  readonly maxBytes: number;
  /** Keep only the newest batch waiting (Pushgateway): no history, no disk queue. */
  readonly conflate: boolean;
  /** Work on a clean shutdown after the last drain (the Pushgateway DELETE). */
  shutdown?(): Observable<unknown>;
  /** Drop what waits instead of a last push on shutdown. */
  readonly skipFinalPush?: boolean;
}
