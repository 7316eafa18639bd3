#!/usr/bin/env -S node --max-semi-space-size=2 --heap-growing-percent=30
// V8 flags, measured with `node dist/bench/run.js --set default` (issue 4): a 2 MB semi-space holds
// a whole scrape's garbage (about 1 MB), so little of it is promoted, and old space grows by 30 %
// before the next mark-compact instead of up to 4x (V8's default for small heaps): RSS 90 -> 75 MB
// at the same CPU per scrape. (--single-threaded: no better CPU, p99 2x; --no-opt: 57 MB but 40 % more CPU.)
// A hung mount holds a libuv pool thread until the kernel returns; a larger pool (set before
// the first pool job) leaves room for the statfs guard and everything else. Users may override.
process.env.UV_THREADPOOL_SIZE ??= '8';

import { firstValueFrom } from 'rxjs';
import { createAgent } from '../agent';
import { configHelp, loadConfig, type RxporterConfig } from '../config/load';
import { encodeText } from '../encode/text';
import { RxporterError } from '../errors';
import { createLogger } from '../log/logger';
import type { Log } from '../log/types';
import { VERSION } from '../model/selfMetrics';
import { startDaemon, type Daemon } from './daemon';

const USAGE = `Usage: rxporter [--config FILE] [--once] [flags]

A host-metrics agent: node_exporter-compatible /metrics, push sinks, on RxJS streams.

  --config FILE   YAML (.yaml/.yml) or JSON configuration (env RXPORTER_CONFIG)
  --once          run one collection, print the exposition to stdout and exit
  --version       print the version and exit
  --help          print this help and exit

Every configuration key is also a flag and an environment variable;
flags override the environment, which overrides the file. A flag may be
given once, except those marked repeatable (lists: one value per flag,
commas kept); durations and sizes must lie in the range shown:
`;

interface Cli {
  readonly config?: string;
  readonly once: boolean;
  readonly help: boolean;
  readonly version: boolean;
  /** The configuration flags, for loadConfig (which knows them and rejects unknown ones). */
  readonly rest: string[];
}

/** Returns the CLI's own flags and the rest for loadConfig; throws RXP_CONFIG for a --config without a file or given twice. */
export function parseCli(argv: readonly string[], env: NodeJS.ProcessEnv): Cli {
  const rest: string[] = [];
  let config: string | undefined;
  let once = false;
  let help = false;
  let version = false;
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    if (a === '--help' || a === '-h') help = true;
    else if (a === '--version') version = true;
    else if (a === '--once') once = true;
    else if (a === '--config' || a === '--config.file' || a.startsWith('--config=') || a.startsWith('--config.file=')) {
      const eq = a.indexOf('=');
      const file = eq < 0 ? argv[++i] : a.slice(eq + 1);
      if (file === undefined || file === '' || (eq < 0 && file.startsWith('--'))) throw new RxporterError('RXP_CONFIG', `${a.split('=')[0]} needs a file name`);
      if (config !== undefined) throw new RxporterError('RXP_CONFIG', `--config given twice (${config}, then ${file}): give one file`);
      config = file;
    } else rest.push(a);
  }
  return { config: config ?? (env.RXPORTER_CONFIG || undefined), once, help, version, rest };
}

/** Returns the log format asked for by flag or environment, for messages before the config is loaded. */
function earlyLogFormat(argv: readonly string[], env: NodeJS.ProcessEnv): 'logfmt' | 'json' {
  const i = argv.findIndex((a) => a === '--log.format' || a.startsWith('--log.format='));
  const v = i < 0 ? env.RXPORTER_LOG_FORMAT : argv[i].includes('=') ? argv[i].slice(argv[i].indexOf('=') + 1) : argv[i + 1];
  return v === 'json' ? 'json' : 'logfmt';
}

/** Logs an error that stops the agent (one line per problem of a config error) and exits 1. */
async function fail(log: Log, e: unknown): Promise<never> {
  const code = e instanceof RxporterError ? e.code : ((e as NodeJS.ErrnoException | undefined)?.code ?? 'unknown');
  const msg = e instanceof Error ? e.message : String(e);
  if (code === 'RXP_CONFIG') for (const line of msg.split('\n')) log.error('invalid configuration', { code, error: line });
  else log.error('startup failed', { code, error: msg });
  await new Promise((r) => setTimeout(r, 10)); // let winston flush stderr
  process.exit(1);
}

async function runOnce(config: RxporterConfig, log: ReturnType<typeof createLogger>): Promise<void> {
  const agent = createAgent({ config, log });
  const snapshot = await firstValueFrom(agent.scrape());
  agent.self.inFlight = 1; // this run is the one request being served, as in node_exporter's first scrape
  const text = encodeText(agent.exposition(snapshot), config.web.baseLabels ? agent.baseLabels() : undefined);
  await new Promise<void>((resolve) => process.stdout.write(text, () => resolve()));
  for (const c of agent.collectors) c.stop?.(); // the ksm collector's watches would keep the process alive
}

async function runDaemon(config: RxporterConfig, log: ReturnType<typeof createLogger>): Promise<void> {
  // Every handler is in place before the agent says "listening": a signal with no handler yet
  // would end the process at once (the kernel's default action), whatever JS is about to do.
  // SIGHUP (systemctl reload, a closed terminal) would end it silently; until the config can be
  // reloaded, say so and keep running.
  process.on('SIGHUP', () => log.warn('reload not supported yet, config unchanged', { signal: 'SIGHUP' }));
  // After a closed terminal or a dead log reader, writes to stderr fail (EIO, EPIPE), and an
  // unhandled stream error would end the agent: the logs have no reader then; /metrics goes on.
  for (const out of [process.stdout, process.stderr]) out.on('error', () => undefined);
  let stopping = false;
  let started: Promise<Daemon> | undefined;
  const onSignal = (signal: string) => {
    if (stopping) {
      log.warn('second signal: exiting now', { signal });
      process.exit(1);
    }
    stopping = true;
    log.info('shutting down', { signal });
    // A signal during start-up stops the daemon once it is up.
    void started
      ?.then((daemon) => daemon.shutdown(4000))
      .then((inTime) => {
        if (inTime) log.info('stopped', {});
        else log.warn('stopped: work still in flight after the grace period was abandoned', {});
        process.exit(0);
      })
      .catch((e: unknown) => {
        log.error('shutdown failed', { error: String(e) });
        process.exit(1);
      });
  };
  process.on('SIGTERM', () => onSignal('SIGTERM'));
  process.on('SIGINT', () => onSignal('SIGINT'));
  started = startDaemon(config, log);
  await started;
}

/** Runs the CLI; resolves once the daemon is up or --once has printed. */
export async function main(argv: readonly string[], env: NodeJS.ProcessEnv): Promise<void> {
  let cli: Cli;
  let config: RxporterConfig;
  try {
    cli = parseCli(argv, env);
    if (cli.help) {
      process.stdout.write(`${USAGE}\n${configHelp()}\n`);
      return;
    }
    if (cli.version) {
      process.stdout.write(`rxporter ${VERSION} (node ${process.versions.node})\n`);
      return;
    }
    config = loadConfig({ file: cli.config, args: cli.rest, env });
  } catch (e) {
    return fail(createLogger({ level: 'info', format: earlyLogFormat(argv, env) }), e);
  }
  const log = createLogger({ level: config.log.level, format: config.log.format as 'logfmt' | 'json' });
  try {
    if (cli.once) await runOnce(config, log);
    else await runDaemon(config, log);
  } catch (e) {
    // Sink settings checked when the sinks are built, a port in use, a locked queue: log lines too.
    await fail(log, e);
  }
}

if (require.main === module) {
  main(process.argv.slice(2), process.env).catch((e: unknown) => fail(createLogger({ level: 'info', format: earlyLogFormat(process.argv, process.env) }), e));
}
