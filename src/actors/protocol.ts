import type { RxporterConfig } from '../config/load';
import type { CollectorResult } from '../model/family';

/**
 * The collector actors' message protocol. The main thread sends `collect` requests; an actor
 * (a worker thread, see collectorWorker.ts) runs the named collectors one after the other on
 * its own thread and answers each once, in `result` messages, plus `log` lines.
 *
 *   main:   collect{req 7, [cpu, filesystem, meminfo]}
 *   actor:  result{7, [cpu, meminfo]} … result{7, [filesystem]}   (filesystem waits for statfs)
 *
 * Which collector is inside a synchronous call right now is not a message (a stuck thread
 * cannot send one): the actor writes it to shared memory, `RUNNING_REQ` and `RUNNING_INDEX`
 * of an Int32Array over `ActorInit.state`, before each collector and -1 after it.
 */
export interface CollectRequest {
  readonly type: 'collect';
  /** Request number, per actor, increasing. */
  readonly req: number;
  /** Collector names, run in this order. */
  readonly names: readonly string[];
}

/**
 * Outcomes of collectors of request `req`: those that finished during one synchronous run of the
 * actor come in one message (a message per collector cost more CPU than the collectors; a result
 * lost with a stuck actor is only run again on the replacement), a later one alone.
 */
export interface ResultReply {
  readonly type: 'result';
  readonly req: number;
  readonly results: readonly CollectorResult[];
}

/** A log line of a collector, forwarded to the main thread's logger. */
export interface LogReply {
  readonly type: 'log';
  readonly level: 'error' | 'warn' | 'info' | 'debug';
  readonly message: string;
  readonly fields?: Record<string, unknown>;
}

/** Sent once, when the actor has built its collectors and takes requests. */
export interface ReadyReply {
  readonly type: 'ready';
}

/**
 * Asks the actor to profile its own thread through node:inspector (src/actors/inspect.ts): a
 * CPU profile of `ms` milliseconds, or a heap snapshot written to `file`. Answered once, with
 * an `inspected` reply of the same `id`, outside ActorReply (the pool never sees it).
 */
export interface InspectRequest {
  readonly type: 'inspect';
  /** Request number, per actor, increasing. */
  readonly id: number;
  readonly what: 'cpu' | 'heap';
  /** CPU profile length (ms). */
  readonly ms?: number;
  /** Heap snapshot destination (a path the main thread chose). */
  readonly file?: string;
}

/** The answer to an InspectRequest: the `.cpuprofile` JSON text, the snapshot's size in bytes, or an error message. */
export interface InspectReply {
  readonly type: 'inspected';
  readonly id: number;
  readonly profile?: string;
  readonly bytes?: number;
  readonly error?: string;
}

/** Everything an actor sends. */
export type ActorReply = ResultReply | LogReply | ReadyReply;

/** The worker thread's `workerData`. */
export interface ActorInit {
  /** The validated configuration: the actor builds its collectors from it (they hold functions, which cannot cross). */
  readonly config: RxporterConfig;
  /** Per-collector timeout for asynchronous collectors, enforced inside the actor too (ms). */
  readonly timeoutMs: number;
  /** Int32Array[2] shared with the main thread: RUNNING_REQ, RUNNING_INDEX. */
  readonly state: SharedArrayBuffer;
  /** A module exporting `statfsSync(path)` used instead of node:fs's (tests simulate hung mounts with it). */
  readonly statfsModule?: string;
}

/** Index of the request number in the shared state. */
export const RUNNING_REQ = 0;
/** Index of the position, in that request's names, of the collector inside a synchronous call; -1 when none. */
export const RUNNING_INDEX = 1;
