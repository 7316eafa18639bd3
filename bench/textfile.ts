/**
 * Textfile benchmark: one collection of the textfile collector over a generated .prom file,
 * in wall time and peak RSS of this process. Runs standalone, one configuration per process
 * so that the peak RSS is that configuration's:
 *   node dist/bench/textfile.js [--series 800000] [--max-bytes N] [--max-series N]
 * The file has 1000 gauge families with HELP and TYPE; a sample line is ~64 bytes, so
 * 800 000 series make ~50 MB. Prints one JSON line.
 */
import { closeSync, mkdtempSync, openSync, rmSync, statSync, writeSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { textfileFamilies } from '../src/collectors/textfile';
import { silentLog } from '../src/log/types';

/** Writes a text exposition of `series` gauge series in 1000 families to `path`, a family at a time. */
export function writeSyntheticProm(path: string, series: number): void {
  const fd = openSync(path, 'w');
  try {
    const perFamily = Math.ceil(series / 1000);
    for (let f = 0, n = 0; n < series; f++) {
      const parts = [`# HELP textfile_bench_${f}_bytes Generated family ${f}.\n# TYPE textfile_bench_${f}_bytes gauge\n`];
      for (let i = 0; i < perFamily && n < series; i++, n++) parts.push(`textfile_bench_${f}_bytes{shard="${i}",path="/srv/${n}"} ${n * 7 + 0.5}\n`);
      writeSync(fd, parts.join(''));
    }
  } finally {
    closeSync(fd);
  }
}

function arg(name: string): number | undefined {
  const i = process.argv.indexOf(`--${name}`);
  return i < 0 ? undefined : Number(process.argv[i + 1]);
}

function main(): void {
  const series = arg('series') ?? 800_000;
  const dir = mkdtempSync(join(tmpdir(), 'rxp-bench-textfile-'));
  try {
    writeSyntheticProm(join(dir, 'big.prom'), series);
    const bytes = statSync(join(dir, 'big.prom')).size;
    const rssBefore = process.memoryUsage().rss;
    const t0 = process.hrtime.bigint();
    const families = textfileFamilies([dir], silentLog, { maxBytes: arg('max-bytes'), maxSeries: arg('max-series') });
    const ms = Number(process.hrtime.bigint() - t0) / 1e6;
    const kept = families.reduce((n, f) => n + f.samples.length, 0);
    const scrapeError = families.find((f) => f.name === 'node_textfile_scrape_error')?.samples[0].value;
    const out = { series, fileMB: +(bytes / 1e6).toFixed(1), ms: Math.round(ms), rssBeforeMB: Math.round(rssBefore / 2 ** 20), peakRssMB: Math.round((process.resourceUsage().maxRSS * 1024) / 2 ** 20), keptSamples: kept, scrapeError };
    console.log(JSON.stringify(out));
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

if (require.main === module) main();
