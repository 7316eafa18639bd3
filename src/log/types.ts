/** The logging surface library code needs; a winston Logger satisfies it. */
export interface Log {
  error(message: string, meta?: Record<string, unknown>): unknown;
  warn(message: string, meta?: Record<string, unknown>): unknown;
  info(message: string, meta?: Record<string, unknown>): unknown;
  debug(message: string, meta?: Record<string, unknown>): unknown;
}

/** A Log that discards everything, for embedding without logs and for tests. */
export const silentLog: Log = { error: () => 0, warn: () => 0, info: () => 0, debug: () => 0 };
