/**
 * rxporter's public API: build an agent from a config object and subscribe to its
 * snapshot stream. Importing this module has no side effects.
 */
export { createAgent, startAgent, type Agent, type AgentOptions, type ServingAgent } from './agent';
export { loadConfig, type ConfigSources, type RxporterConfig } from './config/load';
export { allCollectors, enabledCollectors } from './collectors';
export type { Collector, CollectorContext } from './model/collector';
export type { Batch, DeliveryResult } from './model/delivery';
export { encodeOpenMetrics, encodeText } from './encode/text';
export { RxporterError, isRetryable, type ErrorCode } from './errors';
export { createLogger } from './log/logger';
export { silentLog, type Log } from './log/types';
export { counter, gauge, snapshotFamilies, type CollectorResult, type Labels, type MetricFamily, type Sample, type Snapshot } from './model/family';
export { readProc, readProcText } from './procfs/read';
export { createMetricsServer, listen } from './server/http';
export { createPush, type Push, type PushOptions } from './sinks';
