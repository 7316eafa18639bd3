import winston from 'winston';
import type { Log } from './types';

const logfmtValue = (v: unknown): string => {
  const s = v instanceof Error ? v.message : typeof v === 'string' ? v : JSON.stringify(v);
  return s === '' || /[\s"=]/.test(s) ? JSON.stringify(s) : s;
};

/** Returns one logfmt line: `ts=… level=… msg="…" key=value …`. */
export function formatLogfmt(info: Record<string, unknown>): string {
  const { level, message, timestamp, ...rest } = info;
  let line = `ts=${String(timestamp)} level=${String(level)} msg=${logfmtValue(message)}`;
  for (const [k, v] of Object.entries(rest)) {
    if (v !== undefined && typeof k === 'string') line += ` ${k}=${logfmtValue(v)}`;
  }
  return line;
}

/** Returns a winston logger writing to stderr (stdout stays for --once output) in logfmt or JSON. */
export function createLogger(o: { level: string; format: 'logfmt' | 'json' }): winston.Logger & Log {
  const base = winston.format.timestamp();
  const logger = winston.createLogger({
    level: o.level,
    format:
      o.format === 'json'
        ? winston.format.combine(base, winston.format.json())
        : winston.format.combine(base, winston.format.printf((info) => formatLogfmt(info as Record<string, unknown>))),
    transports: [new winston.transports.Console({ stderrLevels: ['error', 'warn', 'info', 'debug'] })],
  });
  // winston formats every entry (timestamp, logfmt line, a stream write) before its transports
  // drop those below the level; the per-scrape debug lines are dropped here instead.
  for (const level of ['debug', 'info', 'warn', 'error'] as const) {
    const write = logger[level].bind(logger) as (...args: unknown[]) => winston.Logger;
    (logger as unknown as Record<string, unknown>)[level] = (...args: unknown[]) => (logger.isLevelEnabled(level) ? write(...args) : logger);
  }
  return logger;
}
