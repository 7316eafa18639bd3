#!/usr/bin/env node
import { join } from 'node:path';
import { collectorDefinitions } from '../src/collectors';
import { EXPORTER, SCRAPE } from './conformance/attribution';
import { configSchema } from '../src/config/schema';
import type { CollectorComparison } from './conformance/compare';
import { formatSeries } from '../src/encode/parseText';
import {
  evaluateBar,
  prepareFixtures,
  runConformance,
  schemaFlags,
  VARIANTS,
  withoutExcused,
  type ConformanceRun,
  type Exception,
  type Verdict,
} from './conformance/harness';
import { formatValue } from '../src/encode/number';

/**
 * Implemented collectors excused from the 100 % rule, each with its reason and the
 * families whose differences it covers. Keep it short and say why in each entry.
 */
export const EXCEPTIONS: Readonly<Record<string, Exception>> = {};

const USAGE = `Usage: npm run conformance [-- --variant x86_64|64k] [-- --details N]
       npm run -s conformance -- --json      (-s keeps npm's own lines out of the JSON)

Runs rxporter --once on node_exporter's end-to-end fixtures (a temporary copy of
fixtures/node-exporter-e2e/fixtures) with upstream's flags and compares the
output with expected/e2e-output.txt and (cpu.info off) e2e-64k-page-output.txt.
Exits 1 below the bar: >= 99 % of expected samples matched exactly, no extra
families, every implemented collector exact (exceptions listed in this script).
`;

interface Args {
  readonly json: boolean;
  readonly variants: readonly string[];
  readonly details: number;
}

/** Returns the parsed command line; throws on an unknown flag. */
function parseArgs(argv: readonly string[]): Args | undefined {
  let json = false;
  let variants = VARIANTS.map((v) => v.name as string);
  let details = 10;
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    if (a === '--json') json = true;
    else if (a === '--help' || a === '-h') return undefined;
    else if (a === '--variant' || a.startsWith('--variant=')) {
      const v = a.includes('=') ? a.slice(a.indexOf('=') + 1) : argv[++i];
      if (!VARIANTS.some((x) => x.name === v)) throw new Error(`unknown variant ${v}`);
      variants = [v];
    } else if (a === '--details' || a.startsWith('--details=')) {
      details = Number(a.includes('=') ? a.slice(a.indexOf('=') + 1) : argv[++i]);
      if (!Number.isInteger(details) || details < 0) throw new Error('--details needs a count');
    } else throw new Error(`unknown argument ${a}`);
  }
  return { json, variants, details };
}

const pad = (s: string | number, n: number, left = false): string => {
  const t = String(s);
  return left ? t.padEnd(n) : t.padStart(n);
};

/** Returns a readable form of a series for reports (control characters shown as \\xNN). */
const show = (name: string, labels: Readonly<Record<string, string>>): string =>
  // eslint-disable-next-line no-control-regex
  formatSeries(name, labels).replace(/[\u0000-\u001f\u007f]/g, (c) => `\\x${c.charCodeAt(0).toString(16).padStart(2, '0')}`);

/** Returns the detail lines of a collector that is not exact (at most `n` per kind). */
function detailLines(c: CollectorComparison, n: number): string[] {
  const out: string[] = [];
  const list = <T>(title: string, items: readonly T[], f: (x: T) => string) => {
    if (items.length === 0) return;
    out.push(`    ${title} (${items.length}):`);
    for (const x of items.slice(0, n)) out.push(`      ${f(x)}`);
    if (items.length > n) out.push(`      … ${items.length - n} more`);
  };
  list('missing', c.missing, (s) => `${show(s.name, s.labels)} ${formatValue(s.value)}`);
  list('extra', c.extra, (s) => `${show(s.name, s.labels)} ${formatValue(s.value)}`);
  list('different value', c.differentValue, (d) => `${show(d.name, d.labels)} expected ${formatValue(d.expected)} got ${formatValue(d.actual)}`);
  list('different help/type', c.differentMeta, (m) =>
    `${m.family}: expected ${m.expected.type} ${JSON.stringify(m.expected.help)} got ${m.actual.type} ${JSON.stringify(m.actual.help)}`,
  );
  list('missing families', c.missingFamilies, (f) => f);
  list('extra families', c.extraFamilies, (f) => f);
  return out;
}

/** Returns the human report of one run. */
export function formatRun(run: ConformanceRun, verdict: Verdict, details: number): string {
  const implemented = new Set([SCRAPE, ...run.implemented]);
  const lines: string[] = [];
  lines.push(`== ${run.variant}: expected/${run.expectedFile}`);
  lines.push(`flags passed: ${run.flags.length}; dropped (not in our registry or CLI): ${run.droppedFlags.length}`);
  if (run.droppedFlags.length > 0) lines.push(`  dropped: ${run.droppedFlags.join(' ')}`);
  lines.push(`implemented: ${run.implemented.length}/${run.upstreamCollectors.length} of the collectors upstream runs`);
  lines.push('');
  lines.push(
    `${pad('collector', 22, true)} ${pad('impl', 5, true)}${pad('expected', 9)}${pad('matched', 9)}${pad('missing', 9)}${pad('extra', 7)}${pad('value≠', 8)}${pad('help/type≠', 11)}${pad('fam-', 6)}${pad('fam+', 6)}  status`,
  );
  for (const c of run.comparison.collectors) {
    const impl = implemented.has(c.collector);
    const ex = EXCEPTIONS[c.collector];
    const exact = withoutExcused(c, ex);
    const ok =
      exact.missing.length + exact.extra.length + exact.differentValue.length + exact.differentMeta.length + exact.missingFamilies.length + exact.extraFamilies.length === 0;
    const status = impl ? (ok ? (ex ? 'ok (exception)' : 'ok') : 'FAIL') : c.collector === EXPORTER ? "client_golang's own (promhttp_*)" : 'not implemented';
    lines.push(
      `${pad(c.collector, 22, true)} ${pad(impl ? 'yes' : '-', 5, true)}${pad(c.expected, 9)}${pad(c.matched, 9)}${pad(c.missing.length, 9)}${pad(c.extra.length, 7)}${pad(c.differentValue.length, 8)}${pad(c.differentMeta.length, 11)}${pad(c.missingFamilies.length, 6)}${pad(c.extraFamilies.length, 6)}  ${status}`,
    );
  }
  const t = run.comparison.totals;
  lines.push(
    `${pad('total', 22, true)} ${pad('', 5, true)}${pad(t.expected, 9)}${pad(t.matched, 9)}${pad(t.missing, 9)}${pad(t.extra, 7)}${pad(t.differentValue, 8)}${pad(t.differentMeta, 11)}${pad(t.missingFamilies, 6)}${pad(t.extraFamilies, 6)}`,
  );
  lines.push('');
  lines.push(`matched exactly: ${t.matched}/${t.expected} = ${(verdict.matchedRatio * 100).toFixed(2)} % of expected samples`);
  const failing = run.comparison.collectors.filter((c) => implemented.has(c.collector) || c.extraFamilies.length > 0);
  for (const c of failing) {
    const d = detailLines(withoutExcused(c, EXCEPTIONS[c.collector]), details);
    if (d.length > 0 && details > 0) lines.push(`  ${c.collector}:`, ...d);
  }
  for (const [name, e] of Object.entries(EXCEPTIONS)) lines.push(`exception ${name} (${e.families.source}): ${e.reason}`);
  lines.push(verdict.pass ? `PASS (${run.variant})` : `FAIL (${run.variant}):\n  ${verdict.failures.join('\n  ')}`);
  return lines.join('\n');
}

/** Runs the conformance check; resolves to the exit code. */
export async function main(argv: readonly string[]): Promise<number> {
  let args: Args | undefined;
  try {
    args = parseArgs(argv);
  } catch (e) {
    process.stderr.write(`conformance: ${(e as Error).message}\n${USAGE}`);
    return 2;
  }
  if (!args) {
    process.stdout.write(USAGE);
    return 0;
  }
  const knownFlags = schemaFlags(configSchema());
  const registry = collectorDefinitions.map((d) => d.name);
  const fixtures = prepareFixtures();
  const results: { run: ConformanceRun; verdict: Verdict }[] = [];
  try {
    for (const variant of VARIANTS.filter((v) => args.variants.includes(v.name))) {
      const run = await runConformance({ variant, cli: join(__dirname, '..', 'src', 'cli', 'main.js'), knownFlags, registry, fixtures });
      results.push({ run, verdict: evaluateBar(run, EXCEPTIONS) });
    }
  } finally {
    fixtures.remove();
  }
  const pass = results.every((r) => r.verdict.pass);
  if (args.json) {
    const out = {
      pass,
      exceptions: Object.fromEntries(Object.entries(EXCEPTIONS).map(([k, e]) => [k, { reason: e.reason, families: e.families.source }])),
      variants: results.map(({ run, verdict }) => ({ ...run, agentStderr: undefined, verdict })),
    };
    process.stdout.write(`${JSON.stringify(out, null, 2)}\n`);
  } else {
    process.stdout.write(`${results.map((r) => formatRun(r.run, r.verdict, args.details)).join('\n\n')}\n`);
    process.stdout.write(pass ? '\nconformance: PASS\n' : '\nconformance: FAIL\n');
  }
  return pass ? 0 : 1;
}

if (require.main === module) {
  main(process.argv.slice(2)).then(
    (code) => {
      process.exitCode = code;
    },
    (e: unknown) => {
      process.stderr.write(`conformance: ${e instanceof Error ? e.message : String(e)}\n`);
      process.exitCode = 2;
    },
  );
}
