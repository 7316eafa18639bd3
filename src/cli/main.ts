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
import { configSchema } from '../config/schema';
import { encodeText } from '../encode/text';
import { RxporterError } from '../errors';
import { createLogger } from '../log/logger';
import { VERSION } from '../model/selfMetrics';
import { startDaemon } from './daemon';

const USAGE = `Usage: rxporter [--config FILE] [--once] [flags]

A host-metrics agent: node_exporter-compatible /metrics, push sinks, on RxJS streams.

  --config FILE   YAML (.yaml/.yml) or JSON configuration (env RXPORTER_CONFIG)
  --once          run one collection, print the exposition to stdout and exit
  --version       print the version and exit
  --help          print this help and exit

Every configuration key is also a flag and an environment variable;
flags override the environment, which overrides the file:
`;

/** Returns the names of every flag the schema declares (without the leading --). */
function knownArgs(): Set<string> {
  const out = new Set<string>();
  const walk = (s: Record<string, unknown>) => {
    for (const v of Object.values(s)) {
      if (typeof v !== 'object' || v === null) continue;
      if ('default' in v && 'format' in v) {
        if ('arg' in v && typeof v.arg === 'string') out.add(v.arg);
      } else walk(v as Record<string, unknown>);
    }
  };
  walk(configSchema() as unknown as Record<string, unknown>);
  return out;
}

interface Cli {
  readonly config?: string;
  readonly once: boolean;
  readonly help: boolean;
  readonly version: boolean;
  readonly rest: string[];
}

/** Returns the CLI's own flags and the rest for convict; throws RXP_CONFIG for an unknown flag. */
export function parseCli(argv: readonly string[], env: NodeJS.ProcessEnv): Cli {
  const known = knownArgs();
  const rest: string[] = [];
  let config = env.RXPORTER_CONFIG || undefined;
  let once = false;
  let help = false;
  let version = false;
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    if (a === '--help' || a === '-h') help = true;
    else if (a === '--version') version = true;
    else if (a === '--once') once = true;
    else if (a === '--config' || a === '--config.file') {
      config = argv[++i];
      if (config === undefined) throw new RxporterError('RXP_CONFIG', `${a} needs a file name`);
    } else if (a.startsWith('--config=') || a.startsWith('--config.file=')) config = a.slice(a.indexOf('=') + 1);
    else if (a.startsWith('--')) {
      const name = a.slice(2).split('=', 1)[0];
      const base = name.startsWith('no-') && known.has(name.slice(3)) ? name.slice(3) : name;
      if (!known.has(base)) throw new RxporterError('RXP_CONFIG', `unknown flag --${name} (see --help)`);
      rest.push(a);
      // A flag without "=" takes the next word as its value, unless that is another flag.
      if (!a.includes('=') && !name.startsWith('no-') && i + 1 < argv.length && !argv[i + 1].startsWith('--')) rest.push(argv[++i]);
    } else throw new RxporterError('RXP_CONFIG', `unexpected argument ${JSON.stringify(a)} (see --help)`);
  }
  return { config, once, help, version, rest };
}

async function runOnce(config: RxporterConfig, log: ReturnType<typeof createLogger>): Promise<void> {
  const agent = createAgent({ config, log });
  const snapshot = await firstValueFrom(agent.scrape());
  agent.self.inFlight = 1; // this run is the one request being served, as in node_exporter's first scrape
  const text = encodeText(agent.exposition(snapshot), config.web.baseLabels ? agent.baseLabels() : undefined);
  await new Promise<void>((resolve) => process.stdout.write(text, () => resolve()));
}

async function runDaemon(config: RxporterConfig, log: ReturnType<typeof createLogger>): Promise<void> {
  const daemon = await startDaemon(config, log);
  let stopping = false;
  const onSignal = (signal: string) => {
    if (stopping) {
      log.warn('second signal: exiting now', { signal });
      process.exit(1);
    }
    stopping = true;
    log.info('shutting down', { signal });
    daemon
      .shutdown(4000)
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
    const log = createLogger({ level: 'info', format: 'logfmt' });
    const msg = e instanceof Error ? e.message : String(e);
    log.error(msg.split('\n').join('; '), { code: e instanceof RxporterError ? e.code : 'RXP_CONFIG', hint: 'invalid configuration' });
    await new Promise((r) => setTimeout(r, 10)); // let winston flush stderr
    process.exit(1);
  }
  const log = createLogger({ level: config.log.level, format: config.log.format as 'logfmt' | 'json' });
  if (cli.once) await runOnce(config, log);
  else await runDaemon(config, log);
}

if (require.main === module) {
  main(process.argv.slice(2), process.env).catch((e: unknown) => {
    process.stderr.write(`rxporter: ${e instanceof Error ? e.message : String(e)}\n`);
    process.exit(1);
  });
}
