/** Stable error codes; append-only so that logs and alerts can rely on them. */
export type ErrorCode =
  | 'RXP_CONFIG'
  | 'RXP_PROC_MISSING'
  | 'RXP_PROC_READ'
  | 'RXP_PROC_PARSE'
  | 'RXP_TIMEOUT'
  | 'RXP_SINK_HTTP'
  | 'RXP_QUEUE'
  /** A collector found nothing to collect on this host (node_exporter's ErrNoData): success 0, logged at debug. */
  | 'RXP_NO_DATA'
  /** A Prometheus text exposition that does not parse (conformance tools). */
  | 'RXP_EXPOSITION_PARSE'
  /** A conformance or comparison run could not be carried out (agent or exporter failed to run). */
  | 'RXP_CONFORMANCE'
  /** A native binding (koffi calling libc) cannot be loaded, or its system call failed. */
  | 'RXP_NATIVE'
  /** An input over a configured limit (a textfile's max-bytes or max-series): skipped whole. */
  | 'RXP_LIMIT'
  /** An authentication check that could not run (the bcrypt worker thread died). */
  | 'RXP_AUTH'
  /** The Kubernetes API: a connection setting, a request or a watch failed (KubeApiError carries the HTTP status and the Status reason). */
  | 'RXP_KUBE';

/** The only error type rxporter throws: a literal code, a message and whether a retry may help. */
export class RxporterError extends Error {
  override readonly name = 'RxporterError';
  constructor(
    readonly code: ErrorCode,
    message: string,
    readonly retryable = false,
    options?: ErrorOptions,
  ) {
    super(message, options);
  }
}

/** Returns true when `e` is an RxporterError marked retryable. */
export const isRetryable = (e: unknown): boolean => e instanceof RxporterError && e.retryable;

/** Returns `e` as an RxporterError, wrapping anything else under `code`. */
export const toRxporterError = (e: unknown, code: ErrorCode): RxporterError =>
  e instanceof RxporterError ? e : new RxporterError(code, e instanceof Error ? e.message : String(e), false, { cause: e });

/**
 * Returns the first line of a parser's error message: the `yaml` package follows its message
 * ("… at line 1, column 10:") with a blank line and a code frame, which would otherwise become
 * several log lines (config errors are logged one line per problem).
 */
export const parseErrorText = (e: unknown): string => (e instanceof Error ? e.message : String(e)).split('\n', 1)[0].trim();
