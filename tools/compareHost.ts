#!/usr/bin/env node
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { collectorDefinitions } from '../src/collectors';
import { configSchema } from '../src/config/schema';
import { parseExposition, type Exposition } from '../src/encode/parseText';
import { schemaFlags } from './conformance/harness';
import { compareHostScrapes, sameShape, TIME_BASED_GAUGES, type HostComparison } from './conformance/hostCompare';
import { timer } from 'rxjs';
import { RxporterError } from '../src/errors';

const USAGE = `Usage: npm run compare-host [-- --json] [-- --collectors a,b] [-- --node-exporter BIN] [-- --details N] [-- --own-defaults]

Runs rxporter and node_exporter (default: Debian's prometheus-node-exporter) side by
side on this host, each on a free 127.0.0.1 port with --collector.disable-defaults and
the same collectors: those our registry implements that the node_exporter binary has.
node_exporter gets our collector option defaults (filters, field lists) unless
--own-defaults. Scrapes node_exporter, rxporter, node_exporter, and reports per collector whether the
families and label sets are equal, and whether values that do not move are equal.
Moving, not compared: counters (ours must lie between node_exporter's two values),
time-based gauges (${TIME_BASED_GAUGES.source}) and any gauge whose value changed
between node_exporter's two scrapes.
`;

/** Returns the collector switches and option flags a node_exporter binary lists in --help. */
export function nodeExporterFlags(help: string): { collectors: Set<string>; flags: Set<string> } {
  const collectors = new Set<string>();
  const flags = new Set<string>();
  for (const m of help.matchAll(/^\s+--(?:\[no-\])?([a-z][\w.-]*)/gm)) {
    flags.add(m[1]);
    const c = /^collector\.([a-z0-9_]+)$/.exec(m[1]);
    if (c && m[1] !== 'collector.disable-defaults') collectors.add(c[1]);
  }
  return { collectors, flags };
}

/**
 * Returns our collector options as node_exporter flags, for the options `neFlags` knows of
 * the collectors in `collectors`, so both sides filter alike (Debian's defaults differ from
 * upstream's, e.g. its mount-points-exclude also drops /mnt, /media and /run). Empty
 * values and lists are left to each side's default.
 */
export function alignedOptionFlags(schema: unknown, neFlags: ReadonlySet<string>, collectors: readonly string[]): string[] {
  const out: string[] = [];
  const sections = (schema as { collectors?: Record<string, unknown> }).collectors ?? {};
  for (const c of collectors) {
    const section = sections[c];
    if (typeof section !== 'object' || section === null) continue;
    for (const [key, leaf] of Object.entries(section as Record<string, unknown>)) {
      if (key === 'enabled' || typeof leaf !== 'object' || leaf === null) continue;
      const { arg, default: def } = leaf as { arg?: unknown; default?: unknown };
      if (typeof arg !== 'string' || !neFlags.has(arg)) continue;
      if (typeof def === 'boolean') out.push(def ? `--${arg}` : `--no-${arg}`);
      else if ((typeof def === 'string' && def !== '') || typeof def === 'number') out.push(`--${arg}=${def}`);
    }
  }
  return out;
}

/** A started server: its process, its port and what it logged. */
interface Started {
  readonly child: ChildProcess;
  readonly port: number;
  log(): string;
}

/** Starts a server and resolves once `portOf` finds its port in the log (stdout + stderr). */
function start(cmd: string, args: readonly string[], portOf: (log: string) => number | undefined, timeoutMs = 20_000): Promise<Started> {
  return new Promise((resolve, reject) => {
    const env: NodeJS.ProcessEnv = {};
    for (const [k, v] of Object.entries(process.env)) if (!k.startsWith('RXPORTER_')) env[k] = v;
    const child = spawn(cmd, [...args], { stdio: ['ignore', 'pipe', 'pipe'], env });
    let log = '';
    let done = false;
    const finish = (e?: Error, port?: number) => {
      if (done) return;
      done = true;
      deadline.unsubscribe();
      if (e) {
        child.kill('SIGKILL');
        reject(e);
      } else resolve({ child, port: port!, log: () => log });
    };
    const deadline = timer(timeoutMs).subscribe(() =>
      finish(new RxporterError('RXP_CONFORMANCE', `${cmd} did not report a port within ${timeoutMs} ms: ${log.slice(-1500)}`)),
    );
    const onData = (b: Buffer) => {
      log += b.toString('utf8');
      const port = portOf(log);
      if (port !== undefined) finish(undefined, port);
    };
    child.stdout!.on('data', onData);
    child.stderr!.on('data', onData);
    child.on('error', (e) => finish(new RxporterError('RXP_CONFORMANCE', `cannot start ${cmd}: ${e.message}`)));
    child.on('exit', (code) => finish(new RxporterError('RXP_CONFORMANCE', `${cmd} exited with ${code}: ${log.trim().slice(-1500)}`)));
  });
}

/** Stops a server with SIGTERM (SIGKILL after 5 s). */
function stop(s: Started | undefined): Promise<void> {
  if (!s || s.child.exitCode !== null || s.child.signalCode !== null) return Promise.resolve();
  return new Promise((resolve) => {
    const t = timer(5000).subscribe(() => s.child.kill('SIGKILL'));
    s.child.once('exit', () => {
      t.unsubscribe();
      resolve();
    });
    s.child.kill('SIGTERM');
  });
}

async function scrape(port: number): Promise<{ exposition: Exposition; text: Buffer }> {
  const res = await fetch(`http://127.0.0.1:${port}/metrics`, { headers: { accept: 'text/plain; version=0.0.4' } });
  if (res.status !== 200) throw new RxporterError('RXP_CONFORMANCE', `GET :${port}/metrics answered ${res.status}`);
  const text = Buffer.from(await res.arrayBuffer());
  return { exposition: parseExposition(text), text };
}

interface Args {
  json: boolean;
  align: boolean;
  bin: string;
  only?: string[];
  details: number;
}

function parseArgs(argv: readonly string[]): Args | undefined {
  const a: Args = { json: false, align: true, bin: 'prometheus-node-exporter', details: 5 };
  for (let i = 0; i < argv.length; i++) {
    const x = argv[i];
    const val = () => (x.includes('=') ? x.slice(x.indexOf('=') + 1) : argv[++i]);
    if (x === '--json') a.json = true;
    else if (x === '--own-defaults') a.align = false;
    else if (x === '--help' || x === '-h') return undefined;
    else if (x === '--node-exporter' || x.startsWith('--node-exporter=')) a.bin = val();
    else if (x === '--collectors' || x.startsWith('--collectors=')) a.only = val().split(',').filter(Boolean);
    else if (x === '--details' || x.startsWith('--details=')) a.details = Number(val());
    else throw new RxporterError('RXP_CONFIG', `unknown argument ${x}`);
  }
  return a;
}

/** Returns the human report. */
export function formatHostComparison(c: HostComparison, details: number): string {
  const lines: string[] = [];
  const pad = (s: string | number, n: number, left = false) => (left ? String(s).padEnd(n) : String(s).padStart(n));
  lines.push(
    `${pad('collector', 20, true)}${pad('fam ne', 7)}${pad('fam rx', 7)}${pad('fam-', 5)}${pad('fam+', 5)}${pad('labels≠', 8)}${pad('help≠', 6)}${pad('stable', 8)}${pad('equal', 7)}${pad('counters', 9)}${pad('within', 7)}${pad('moving', 7)}  shape/values`,
  );
  for (const r of c.collectors) {
    const values = r.stableEqual === r.stable && r.countersWithin === r.counters;
    lines.push(
      `${pad(r.collector, 20, true)}${pad(r.referenceFamilies, 7)}${pad(r.ourFamilies, 7)}${pad(r.missingFamilies.length, 5)}${pad(r.extraFamilies.length, 5)}${pad(r.labelSetDiffs.length, 8)}${pad(r.metaDiffs.length, 6)}${pad(r.stable, 8)}${pad(r.stableEqual, 7)}${pad(r.counters, 9)}${pad(r.countersWithin, 7)}${pad(r.moving, 7)}  ${sameShape(r) ? 'same' : 'DIFF'}/${values ? 'equal' : 'DIFF'}`,
    );
  }
  for (const r of c.collectors) {
    const d: string[] = [];
    const list = (t: string, xs: readonly string[]) => {
      if (xs.length === 0) return;
      d.push(`    ${t} (${xs.length}): ${xs.slice(0, details).join(' ')}${xs.length > details ? ' …' : ''}`);
    };
    list('families only node_exporter has', r.missingFamilies);
    list('families only rxporter has', r.extraFamilies);
    for (const l of r.labelSetDiffs) {
      list(`${l.family}: series only node_exporter has`, l.missing);
      list(`${l.family}: series only rxporter has`, l.extra);
    }
    list('help/type differs', r.metaDiffs.map((m) => `${m.family} (ne ${m.expected.type} ${JSON.stringify(m.expected.help)} / rx ${m.actual.type} ${JSON.stringify(m.actual.help)})`));
    const v = (x: { name: string; labels: Readonly<Record<string, string>>; before: number; after: number; ours: number }) =>
      `${x.name}${JSON.stringify(x.labels)} ne ${x.before}→${x.after} rx ${x.ours}`;
    list('stable values differ', r.stableDiffs.map(v));
    list('counters outside node_exporter’s two values', r.counterDiffs.map(v));
    if (d.length > 0 && details > 0) lines.push(`  ${r.collector}:`, ...d);
  }
  const t = c.totals;
  const pct = (a: number, b: number) => (b === 0 ? 'n/a' : `${((a / b) * 100).toFixed(1)} %`);
  lines.push('');
  lines.push(`families and label sets equal: ${t.sameShape}/${t.collectors} collectors`);
  lines.push(`stable values equal: ${t.stableEqual}/${t.stable} (${pct(t.stableEqual, t.stable)}); counters within node_exporter's two scrapes: ${t.countersWithin}/${t.counters} (${pct(t.countersWithin, t.counters)}); moving, not compared: ${t.moving}`);
  return lines.join('\n');
}

/** Runs the side-by-side comparison; resolves to the exit code. */
export async function main(argv: readonly string[]): Promise<number> {
  let args: Args | undefined;
  try {
    args = parseArgs(argv);
  } catch (e) {
    process.stderr.write(`compare-host: ${(e as Error).message}\n${USAGE}`);
    return 2;
  }
  if (!args) {
    process.stdout.write(USAGE);
    return 0;
  }
  const help = spawnSync(args.bin, ['--help'], { encoding: 'utf8' });
  if (help.error) {
    process.stderr.write(`compare-host: cannot run ${args.bin}: ${help.error.message}\n`);
    return 2;
  }
  const versionRun = spawnSync(args.bin, ['--version'], { encoding: 'utf8' });
  const version = `${versionRun.stdout}${versionRun.stderr}`.split('\n')[0].trim();
  const ne = nodeExporterFlags(`${help.stdout}${help.stderr}`);
  const ours = schemaFlags(configSchema());
  const registry = collectorDefinitions.map((d) => d.name);
  const both = registry.filter((n) => ne.collectors.has(n) && (!args.only || args.only.includes(n)));
  const onlyOurs = registry.filter((n) => !ne.collectors.has(n));
  const textfileDir = mkdtempSync(join(tmpdir(), 'rxp-compare-host-'));
  // Flags that make both sides read the same inputs, passed when both know them.
  const align = [`--collector.textfile.directory=${textfileDir}`].filter((f) => {
    const name = f.slice(2).split('=', 1)[0];
    return ne.flags.has(name) && ours.has(name);
  });
  const options = args.align ? alignedOptionFlags(configSchema(), ne.flags, both) : [];
  const enable = ['--collector.disable-defaults', ...both.map((c) => `--collector.${c}`), ...align];
  let neSrv: Started | undefined;
  let rxSrv: Started | undefined;
  try {
    neSrv = await start(args.bin, [...enable, ...options, '--web.listen-address=127.0.0.1:0'], (log) => {
      const m = /Listening on.*?address=\S*?:(\d+)/.exec(log);
      return m ? Number(m[1]) : undefined;
    });
    rxSrv = await start(
      process.execPath,
      [join(__dirname, '..', 'src', 'cli', 'main.js'), ...enable, '--web.listen-address=127.0.0.1:0', '--global.app-name=compare-host', '--log.format=json'],
      (log) => {
        for (const line of log.split('\n')) {
          if (!line.includes('"listening"')) continue;
          try {
            const port = (JSON.parse(line) as { port?: number }).port;
            if (typeof port === 'number' && port > 0) return port;
          } catch {
            // a partial line: wait for the rest
          }
        }
        return undefined;
      },
    );
    const before = await scrape(neSrv.port);
    const mine = await scrape(rxSrv.port);
    const after = await scrape(neSrv.port);
    const result = compareHostScrapes(before.exposition, mine.exposition, after.exposition);
    if (args.json) {
      process.stdout.write(`${JSON.stringify({ nodeExporter: version, collectors: both, onlyOurs, flags: enable, alignedOptions: options, result }, null, 2)}\n`);
    } else {
      process.stdout.write(`node_exporter: ${version} (${args.bin}), port ${neSrv.port}; rxporter port ${rxSrv.port}\n`);
      process.stdout.write(`collectors enabled on both (${both.length}): ${both.join(' ')}\n`);
      process.stdout.write(options.length > 0 ? `node_exporter given our option defaults: ${options.join(' ')}\n` : 'each side with its own option defaults\n');
      if (onlyOurs.length > 0) process.stdout.write(`in our registry, not in this node_exporter (not compared): ${onlyOurs.join(' ')}\n`);
      process.stdout.write(`${formatHostComparison(result, args.details)}\n`);
    }
    return 0;
  } finally {
    await Promise.all([stop(neSrv), stop(rxSrv)]);
    rmSync(textfileDir, { recursive: true, force: true });
  }
}

if (require.main === module) {
  main(process.argv.slice(2)).then(
    (code) => {
      process.exitCode = code;
    },
    (e: unknown) => {
      process.stderr.write(`compare-host: ${e instanceof Error ? e.message : String(e)}\n`);
      process.exitCode = 2;
    },
  );
}
