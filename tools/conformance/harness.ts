import { spawn } from 'node:child_process';
import { chmodSync, cpSync, existsSync, lstatSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, symlinkSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { RxporterError } from '../../src/errors';
import { SCRAPE } from './attribution';
import { compareExpositions, isExact, type CollectorComparison, type Comparison } from './compare';
import { parseExposition, type Exposition } from '../../src/encode/parseText';

/** Returns the repository root: the nearest directory up from `from` whose package.json names rxporter. */
export function findRepoRoot(from: string = __dirname): string {
  for (let dir = resolve(from); dir !== dirname(dir); dir = dirname(dir)) {
    const p = join(dir, 'package.json');
    if (!existsSync(p)) continue;
    try {
      if ((JSON.parse(readFileSync(p, 'utf8')) as { name?: string }).name === 'rxporter') return dir;
    } catch {
      // not ours: keep walking up
    }
  }
  throw new RxporterError('RXP_CONFORMANCE', `no rxporter package.json above ${from}`);
}

/** Returns the repository's copy of node_exporter's end-to-end data (fixtures/node-exporter-e2e, Apache-2.0). */
export const neDataDir = (root: string = findRepoRoot()): string => resolve(root, 'fixtures', 'node-exporter-e2e');

/** Where the fixtures sit inside the work directory: upstream's own spelling, which its textfile HELP text names. */
export const FIXTURES_REL = 'collector/fixtures';

/** A writable copy of upstream's fixtures. */
export interface PreparedFixtures {
  /** The directory to run in: flags spell paths `collector/fixtures/…` from here. */
  readonly workDir: string;
  /** Symlinks present in the copy (kept, or restored from the files that stand for them). */
  readonly symlinks: number;
  /** Directories created from empty-dirs.txt. */
  readonly emptyDirs: number;
  /** Deletes the copy. */
  remove(): void;
}

/** A regular file that stands for a relative symlink: one line naming a target upwards, or proc/self's pid. */
function linkTarget(path: string, rel: string): string | undefined {
  const st = lstatSync(path);
  if (!st.isFile() || st.size === 0 || st.size > 400) return undefined;
  const text = readFileSync(path, 'latin1');
  if (rel === join('proc', 'self') && /^\d+$/.test(text)) return text;
  if (text.startsWith('../') && !/[\n\0]/.test(text)) return text;
  return undefined;
}

/** Makes every directory of the copy writable and turns link stand-ins back into symlinks; returns the link count. */
function fixTree(root: string, dir: string): number {
  chmodSync(dir, 0o755);
  let links = 0;
  for (const name of readdirSync(dir)) {
    const p = join(dir, name);
    const st = lstatSync(p);
    if (st.isSymbolicLink()) links++;
    else if (st.isDirectory()) links += fixTree(root, p);
    else {
      const target = linkTarget(p, p.slice(root.length + 1));
      if (target === undefined) {
        chmodSync(p, 0o644);
        continue;
      }
      rmSync(p);
      symlinkSync(target, p);
      links++;
    }
  }
  return links;
}

/**
 * Returns a copy of `<dataDir>/fixtures` at `<tmp>/collector/fixtures`, writable, with the
 * directories of empty-dirs.txt created and upstream's relative symlinks in place (copied
 * as they are, or restored when the shared copy stores them as files holding the target).
 */
export function prepareFixtures(dataDir: string = neDataDir()): PreparedFixtures {
  const workDir = mkdtempSync(join(tmpdir(), 'rxp-conformance-'));
  const dest = join(workDir, FIXTURES_REL);
  mkdirSync(dirname(dest), { recursive: true });
  cpSync(join(dataDir, 'fixtures'), dest, { recursive: true, verbatimSymlinks: true });
  const symlinks = fixTree(dest, dest);
  let emptyDirs = 0;
  const list = join(dataDir, 'empty-dirs.txt');
  if (existsSync(list)) {
    for (const d of readFileSync(list, 'utf8').split('\n')) {
      if (d.trim() === '') continue;
      mkdirSync(join(dest, d), { recursive: true });
      emptyDirs++;
    }
  }
  return { workDir, symlinks, emptyDirs, remove: () => rmSync(workDir, { recursive: true, force: true }) };
}

/** One of upstream's expected scrapes and the cpu flags that produce it. */
export interface Variant {
  readonly name: 'x86_64' | '64k';
  readonly expectedFile: string;
  readonly cpuFlags: readonly string[];
}

/** The two expected scrapes: x86_64 (cpu.info on) and the 64k-page machines' (cpu.info off). */
export const VARIANTS: readonly Variant[] = [
  {
    name: 'x86_64',
    expectedFile: 'e2e-output.txt',
    cpuFlags: [
      '--collector.cpu.info',
      '--collector.cpu.info.bugs-include=^(cpu_meltdown|spectre_.*|mds)$',
      '--collector.cpu.info.flags-include=^(aes|avx.?|constant_tsc)$',
    ],
  },
  {
    name: '64k',
    expectedFile: 'e2e-64k-page-output.txt',
    cpuFlags: ['--no-collector.cpu.info', '--collector.cpu.info.bugs-include=', '--collector.cpu.info.flags-include='],
  },
];

/** Collectors upstream's end-to-end test enables with --collector.X (the rest run by default). */
export const UPSTREAM_ENABLED_FLAGS: readonly string[] = [
  'arp', 'bcache', 'bcachefs', 'bonding', 'btrfs', 'buddyinfo', 'cgroups', 'conntrack', 'cpu_vulnerabilities', 'dmi',
  'drbd', 'edac', 'entropy', 'fibrechannel', 'filefd', 'hwmon', 'infiniband', 'interrupts', 'ipvs', 'kernel_hung',
  'ksmd', 'lnstat', 'loadavg', 'mdadm', 'meminfo', 'meminfo_numa', 'mountstats', 'netdev', 'netstat', 'nfs', 'nfsd',
  'pcidevice', 'pressure', 'processes', 'qdisc', 'rapl', 'schedstat', 'slabinfo', 'sockstat', 'softirqs', 'stat',
  'sysctl', 'textfile', 'thermal_zone', 'udp_queues', 'vmstat', 'watchdog', 'wifi', 'xfrm', 'xfs', 'zfs', 'zoneinfo',
];

/** Collectors upstream's end-to-end test disables with --no-collector.X. */
export const UPSTREAM_DISABLED_FLAGS: readonly string[] = ['filesystem', 'selinux', 'timex', 'uname'];

/** Returns upstream's end-to-end flags (Linux) for a variant, paths under `rel` (README order). */
export function upstreamFlags(variant: Variant, rel: string = FIXTURES_REL): string[] {
  return [
    `--path.rootfs=${rel}`,
    `--path.procfs=${rel}/proc`,
    `--path.sysfs=${rel}/sys`,
    `--path.udev.data=${rel}/udev/data`,
    ...UPSTREAM_ENABLED_FLAGS.map((c) => `--collector.${c}`),
    ...UPSTREAM_DISABLED_FLAGS.map((c) => `--no-collector.${c}`),
    ...variant.cpuFlags,
    '--collector.arp.device-exclude=nope',
    '--collector.bcache.priorityStats',
    '--collector.hwmon.chip-include=(applesmc|asus_nb_wmi|coretemp|hwmon4|ieee80211|nct6779)',
    '--collector.netclass.ignore-invalid-speed',
    '--collector.netclass.ignored-devices=(dmz|int)',
    '--collector.netdev.device-include=lo',
    '--collector.qdisc.device-include=(wlan0|eth0)',
    `--collector.qdisc.fixtures=${rel}/qdisc/`,
    '--collector.stat.softirq',
    '--collector.sysctl.include-info=kernel.seccomp.actions_avail',
    '--collector.sysctl.include=fs.file-nr',
    '--collector.sysctl.include=fs.file-nr:total,current,max',
    '--collector.sysctl.include=kernel.threads-max',
    `--collector.textfile.directory=${rel}/textfile/two_metric_files/`,
    `--collector.wifi.fixtures=${rel}/wifi`,
    '--no-collector.arp.netlink',
  ];
}

/** Returns the flag names (without `--`) a convict schema declares as `arg`. */
export function schemaFlags(schema: unknown): Set<string> {
  const out = new Set<string>();
  const walk = (s: unknown): void => {
    if (typeof s !== 'object' || s === null) return;
    for (const v of Object.values(s)) {
      if (typeof v !== 'object' || v === null) continue;
      if ('default' in v && 'format' in v) {
        if ('arg' in v && typeof v.arg === 'string') out.add(v.arg);
      } else walk(v);
    }
  };
  walk(schema);
  return out;
}

/** Returns the name a flag sets: `--no-collector.x` → `collector.x`, `--a.b=c` → `a.b`. */
export const flagName = (flag: string): string => {
  const name = flag.replace(/^--/, '').split('=', 1)[0];
  return name.startsWith('no-') ? name.slice(3) : name;
};

/** Returns the flags whose name `known` holds, and the others (which our CLI would reject). */
export function splitFlags(flags: readonly string[], known: ReadonlySet<string>): { kept: string[]; dropped: string[] } {
  const kept: string[] = [];
  const dropped: string[] = [];
  for (const f of flags) (known.has(flagName(f)) ? kept : dropped).push(f);
  return { kept, dropped };
}

/** What one `--once` run of the agent gave. */
export interface AgentRun {
  readonly stdout: Buffer;
  readonly stderr: string;
  readonly code: number | null;
  readonly signal: NodeJS.Signals | null;
}

/**
 * Returns the outcome of `node <cli> --once <args>` run in `cwd`, with RXPORTER_* and
 * node_exporter-affecting variables removed from the environment so that only the flags count.
 */
export function runAgentOnce(o: { cli: string; cwd: string; args: readonly string[]; timeoutMs?: number }): Promise<AgentRun> {
  const env: NodeJS.ProcessEnv = {};
  for (const [k, v] of Object.entries(process.env)) {
    if (!k.startsWith('RXPORTER_') && k !== 'NODE_NAME' && k !== 'MASTER_IP') env[k] = v;
  }
  return new Promise((resolvePromise, reject) => {
    // spawn's own timeout kills a hung agent; no timer of ours to clear.
    const child = spawn(process.execPath, [o.cli, '--once', ...o.args], {
      cwd: o.cwd,
      env,
      stdio: ['ignore', 'pipe', 'pipe'],
      timeout: o.timeoutMs ?? 60_000,
      killSignal: 'SIGKILL',
    });
    const out: Buffer[] = [];
    const err: Buffer[] = [];
    child.stdout.on('data', (b: Buffer) => out.push(b));
    child.stderr.on('data', (b: Buffer) => err.push(b));
    child.on('error', (e) => {
      reject(new RxporterError('RXP_CONFORMANCE', `cannot run ${o.cli}: ${e.message}`, false, { cause: e }));
    });
    child.on('close', (code, signal) => {
      resolvePromise({ stdout: Buffer.concat(out), stderr: Buffer.concat(err).toString('utf8'), code, signal });
    });
  });
}

/** Returns the collectors an exposition reports on (`node_scrape_collector_success` labels), sorted. */
export function scrapedCollectors(e: Exposition): string[] {
  const out = new Set<string>();
  for (const s of e.families.get('node_scrape_collector_success')?.samples ?? []) {
    if (s.labels.collector !== undefined) out.add(s.labels.collector);
  }
  return [...out].sort();
}

/** A collector excused from the 100 % rule: why, and which of its families may differ. */
export interface Exception {
  readonly reason: string;
  /** Family names whose differences are excused; differences elsewhere still count. */
  readonly families: RegExp;
}

/** Returns the collector's comparison without the differences an exception excuses. */
export function withoutExcused(c: CollectorComparison, e: Exception | undefined): CollectorComparison {
  if (!e) return c;
  const ok = (name: string) => !e.families.test(name);
  const base = (name: string) => name.replace(/_(bucket|count|sum)$/, '');
  return {
    ...c,
    missing: c.missing.filter((s) => ok(s.name) && ok(base(s.name))),
    extra: c.extra.filter((s) => ok(s.name) && ok(base(s.name))),
    differentValue: c.differentValue.filter((s) => ok(s.name) && ok(base(s.name))),
    differentMeta: c.differentMeta.filter((m) => ok(m.family)),
    missingFamilies: c.missingFamilies.filter(ok),
    extraFamilies: c.extraFamilies.filter(ok),
  };
}

/** One conformance run: the flags, who is implemented, and the comparison. */
export interface ConformanceRun {
  readonly variant: Variant['name'];
  readonly expectedFile: string;
  readonly flags: readonly string[];
  readonly droppedFlags: readonly string[];
  /** Collectors upstream runs (its node_scrape_collector_success labels). */
  readonly upstreamCollectors: readonly string[];
  /** Those of them our registry implements. */
  readonly implemented: readonly string[];
  readonly comparison: Comparison;
  readonly agentStderr: string;
  readonly agentExitCode: number | null;
}

/** What runConformance needs. */
export interface ConformanceOptions {
  readonly variant: Variant;
  /** Path of the built CLI (dist/src/cli/main.js). */
  readonly cli: string;
  /** Flag names our CLI accepts. */
  readonly knownFlags: ReadonlySet<string>;
  /** Collector names in our registry. */
  readonly registry: readonly string[];
  /** The data folder (default fixtures/node-exporter-e2e). */
  readonly dataDir?: string;
  /** A prepared copy to reuse; otherwise one is made and removed. */
  readonly fixtures?: PreparedFixtures;
  readonly timeoutMs?: number;
}

/**
 * Returns the comparison of one agent run on upstream's fixtures with the variant's
 * expected scrape. Throws RXP_CONFORMANCE when the agent exits non-zero or prints
 * nothing parseable.
 */
export async function runConformance(o: ConformanceOptions): Promise<ConformanceRun> {
  const dataDir = o.dataDir ?? neDataDir();
  const expected = parseExposition(readFileSync(join(dataDir, 'expected', o.variant.expectedFile)));
  const fixtures = o.fixtures ?? prepareFixtures(dataDir);
  try {
    const { kept, dropped } = splitFlags(upstreamFlags(o.variant), o.knownFlags);
    const args = [...kept, '--global.app-name=conformance'];
    const run = await runAgentOnce({ cli: o.cli, cwd: fixtures.workDir, args, timeoutMs: o.timeoutMs });
    if (run.code !== 0) {
      throw new RxporterError('RXP_CONFORMANCE', `agent exited with ${run.code ?? run.signal}: ${run.stderr.trim().slice(-2000)}`);
    }
    let actual: Exposition;
    try {
      actual = parseExposition(run.stdout);
    } catch (e) {
      throw new RxporterError('RXP_CONFORMANCE', `agent output does not parse: ${(e as Error).message}`, false, { cause: e });
    }
    const upstreamCollectors = scrapedCollectors(expected);
    const registry = new Set(o.registry);
    return {
      variant: o.variant.name,
      expectedFile: o.variant.expectedFile,
      flags: args,
      droppedFlags: dropped,
      upstreamCollectors,
      implemented: upstreamCollectors.filter((c) => registry.has(c)),
      comparison: compareExpositions(expected, actual),
      agentStderr: run.stderr,
      agentExitCode: run.code,
    };
  } finally {
    if (!o.fixtures) fixtures.remove();
  }
}

/** The acceptance bar of issue 4. */
export const BAR = { minMatchedRatio: 0.99 } as const;

/** Whether a run meets the bar, and why not. */
export interface Verdict {
  readonly pass: boolean;
  readonly matchedRatio: number;
  readonly failures: readonly string[];
}

/**
 * Returns the verdict on a run: ≥ 99 % of expected samples matched exactly, no extra
 * families, every implemented collector exact (differences in excepted families aside),
 * the `node_scrape_collector_*` families' HELP and TYPE included.
 */
export function evaluateBar(run: ConformanceRun, exceptions: Readonly<Record<string, Exception>> = {}): Verdict {
  const t = run.comparison.totals;
  const ratio = t.expected === 0 ? 0 : t.matched / t.expected;
  const failures: string[] = [];
  if (ratio < BAR.minMatchedRatio) {
    failures.push(`${run.variant}: ${(ratio * 100).toFixed(2)} % of expected samples matched (${t.matched}/${t.expected}), need ≥ ${BAR.minMatchedRatio * 100} %`);
  }
  if (t.extraFamilies > 0) {
    const names = run.comparison.collectors.flatMap((c) => c.extraFamilies);
    failures.push(`${run.variant}: ${t.extraFamilies} extra famil${t.extraFamilies === 1 ? 'y' : 'ies'}: ${names.slice(0, 10).join(', ')}${names.length > 10 ? ', …' : ''}`);
  }
  const byName = new Map(run.comparison.collectors.map((c) => [c.collector, c]));
  // The scrape families are written by our own framework: always implemented.
  for (const name of [SCRAPE, ...run.implemented]) {
    const c = byName.get(name);
    if (!c) continue;
    if (!isExact(withoutExcused(c, exceptions[name]))) failures.push(`${run.variant}: implemented collector ${name} is not exact`);
  }
  return { pass: failures.length === 0, matchedRatio: ratio, failures };
}
