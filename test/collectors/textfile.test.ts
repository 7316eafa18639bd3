import { mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createTextfileCollector, DEFAULT_TEXTFILE_MAX_BYTES, DEFAULT_TEXTFILE_MAX_SERIES, textfileDefinition, textfileDirectories, textfileFamilies } from '../../src/collectors/textfile';
import { encodeText } from '../../src/encode/text';
import { edgePath } from '../support/edge';
import { collectFamilies, expectedText, fixtureContext, recordingLog, upstreamFixtures } from '../support/upstream';

const edgeDir = (d: string) => edgePath('textfile', d);
const run = async (dirs: string[]) => {
  const log = recordingLog();
  const fams = await collectFamilies(createTextfileCollector(dirs), fixtureContext(upstreamFixtures(), log));
  const noMtime = fams.filter((f) => f.name !== 'node_textfile_mtime_seconds');
  return { fams, text: encodeText(noMtime), log };
};

describe('textfile collector', () => {
  it('matches node_exporter on the upstream fixtures (the HELP names the directory as given)', async () => {
    const dir = join(upstreamFixtures(), 'textfile/two_metric_files/');
    const fams = await collectFamilies(textfileDefinition.create({ directory: [dir] }));
    const mine = (n: string) => n.startsWith('testmetric') || n === 'node_textfile_scrape_error';
    const want = expectedText(mine).split('collector/fixtures/textfile/two_metric_files/').join(dir);
    expect(encodeText(fams.filter((f) => mine(f.name)))).toBe(want);
    const mtimes = fams.find((f) => f.name === 'node_textfile_mtime_seconds')!.samples;
    expect(mtimes.map((s) => s.labels.file)).toEqual([join(dir, 'metrics1.prom'), join(dir, 'metrics2.prom')]);
    expect(mtimes.every((s) => Number.isInteger(s.value) && s.value > 1e9)).toBe(true);
  });

  it('reports only the error gauge (0) without a directory', async () => {
    const { text } = await run([]);
    expect(text).toBe('# HELP node_textfile_scrape_error 1 if there was an error opening or reading a file, 0 otherwise\n# TYPE node_textfile_scrape_error gauge\nnode_textfile_scrape_error 0\n');
  });

  it('serves .prom files only, with their types and the union of label names', async () => {
    const { text } = await run([edgeDir('good')]);
    expect(text).toContain('# TYPE jobs_done_total counter\njobs_done_total{host="",job="backup"} 3\njobs_done_total{host="a",job="sync"} 5\n');
    expect(text).toContain('# HELP last_run_seconds Metric read from ');
    expect(text).toContain('last_run_seconds 1.7e+09\n');
    expect(text).not.toContain('ignored_metric');
    expect(text).toContain('node_textfile_scrape_error 0\n');
  });

  it.each([
    ['a file that does not parse', 'bad', 'ok_metric 7', 'broken_metric'],
    ['a file with client-side timestamps', 'mixed', 'plain_metric 1', 'stamped_metric'],
  ])('skips %s with node_textfile_scrape_error 1 and serves the rest', async (_n, dir, kept, dropped) => {
    const { text, fams, log } = await run([edgeDir(dir)]);
    expect(text).toContain(`${kept}\n`);
    expect(text).not.toContain(dropped);
    expect(text).toContain('node_textfile_scrape_error 1\n');
    expect(fams.find((f) => f.name === 'node_textfile_mtime_seconds')!.samples).toHaveLength(1);
    expect(log.lines.some((l) => l.level === 'error' && l.message === 'failed to collect textfile data')).toBe(true);
  });

  it('flags a missing directory with node_textfile_scrape_error 1', async () => {
    const { text } = await run([edgeDir('no-such-dir')]);
    expect(text).toContain('node_textfile_scrape_error 1\n');
  });

  it('keeps the first help text of a metric and flags a conflicting one', async () => {
    const { text } = await run([edgeDir('help')]);
    expect(text).toContain('# HELP events_total A nice help message.\n# TYPE events_total counter\nevents_total{file="a"} 10\n');
    expect(text).not.toContain('events_total{file="b"}');
    expect(text).toContain('node_textfile_scrape_error 1\n');
  });

  it('keeps histograms and summaries typed, in client_golang\'s order, and adds the +Inf bucket', async () => {
    const { text } = await run([edgeDir('hist')]);
    expect(text).toContain(
      '# TYPE latency_seconds histogram\nlatency_seconds_bucket{le="0.1"} 1\nlatency_seconds_bucket{le="1"} 3\nlatency_seconds_bucket{le="+Inf"} 4\nlatency_seconds_sum 2.5\nlatency_seconds_count 4\n',
    );
    expect(text).toMatch(/# TYPE rpc_seconds summary\n(rpc_seconds\{quantile="[^"]+"\} [^\n]+\n)+rpc_seconds_sum [^\n]+\nrpc_seconds_count 9\n/);
    expect(text).toContain('rpc_seconds{quantile="0.5"} 0.2\n');
  });

  it('expands glob directories and keeps a pattern without matches as it is', () => {
    expect(textfileDirectories([join(edgeDir(''), 'h*')])).toEqual([edgeDir('help'), edgeDir('hist')]);
    expect(textfileDirectories([join(edgeDir(''), 'zz*')])).toEqual([join(edgeDir(''), 'zz*')]);
  });

  describe('limits per file', () => {
    const dir = mkdtempSync(join(tmpdir(), 'rxp-textfile-limits-'));
    afterAll(() => rmSync(dir, { recursive: true, force: true }));
    const lines = (name: string, n: number) => Array.from({ length: n }, (_, i) => `${name}{i="${i}"} ${i}\n`).join('');
    writeFileSync(join(dir, 'big.prom'), lines('big_metric', 50));
    writeFileSync(join(dir, 'small.prom'), lines('small_metric', 3));

    const collect = (limits: { maxBytes?: number; maxSeries?: number }) => {
      const log = recordingLog();
      const text = encodeText(textfileFamilies([dir], log, limits).filter((f) => f.name !== 'node_textfile_mtime_seconds'));
      return { text, log };
    };

    it.each([
      ['max-series', { maxSeries: 10 }],
      ['max-bytes', { maxBytes: 200 }],
    ])('skips a file over %s whole, with node_textfile_scrape_error 1 and one log line naming the file and the limit', (limit, limits) => {
      const { text, log } = collect(limits);
      expect(text).not.toContain('big_metric');
      expect(text).toContain('small_metric{i="2"} 2\n');
      expect(text).toContain('node_textfile_scrape_error 1\n');
      const errors = log.lines.filter((l) => l.level === 'error');
      expect(errors).toHaveLength(1);
      expect(errors[0]).toMatchObject({ message: 'textfile over a limit, skipping entire file', meta: { file: join(dir, 'big.prom'), limit } });
      expect(String(errors[0].meta?.error)).toContain(`--collector.textfile.${limit}=`);
    });

    it('stops reading a file that grows past max-bytes while read (its size said less: a device, a FIFO)', () => {
      const sub = mkdtempSync(join(dir, 'endless-'));
      symlinkSync('/dev/zero', join(sub, 'endless.prom'));
      writeFileSync(join(sub, 'small.prom'), lines('small_metric', 1));
      const log = recordingLog();
      const text = encodeText(textfileFamilies([sub], log, { maxBytes: 3 * 1024 * 1024 }));
      expect(text).toContain('small_metric{i="0"} 0\n');
      expect(text).toContain('node_textfile_scrape_error 1\n');
      expect(log.lines.filter((l) => l.level === 'error').map((l) => l.meta?.error)).toEqual([`grew past ${3 * 1024 * 1024} bytes while read, over --collector.textfile.max-bytes=${3 * 1024 * 1024}`]);
    });

    it('takes a file exactly at its limits', () => {
      const { text } = collect({ maxSeries: 50, maxBytes: lines('big_metric', 50).length });
      expect(text).toContain('big_metric{i="49"} 49\n');
      expect(text).toContain('node_textfile_scrape_error 0\n');
    });

    it('reads a file larger than its read chunk, a multi-byte character split across chunks', () => {
      const sub = mkdtempSync(join(dir, 'chunks-'));
      const value = 'é'.repeat(300);
      const body = Array.from({ length: 5000 }, (_, i) => `wide_metric{i="${i}",v="${value}"} ${i}\n`).join('');
      expect(Buffer.byteLength(body)).toBeGreaterThan(2 * 1024 * 1024);
      writeFileSync(join(sub, 'wide.prom'), body);
      const fams = textfileFamilies([sub], recordingLog(), {});
      const samples = fams.find((f) => f.name === 'wide_metric')!.samples;
      expect(samples).toHaveLength(5000);
      expect(samples.every((x) => x.labels.v === value)).toBe(true);
    });

    it('declares --collector.textfile.max-bytes and --collector.textfile.max-series with generous defaults; 0 turns a limit off', async () => {
      expect(textfileDefinition.options?.maxBytes).toMatchObject({ arg: 'collector.textfile.max-bytes', default: DEFAULT_TEXTFILE_MAX_BYTES, format: 'count', range: [0, 2 ** 40] });
      expect(textfileDefinition.options?.maxSeries).toMatchObject({ arg: 'collector.textfile.max-series', default: DEFAULT_TEXTFILE_MAX_SERIES, format: 'count', range: [0, 100_000_000] });
      const names = async (o: Record<string, unknown>) => (await collectFamilies(textfileDefinition.create({ directory: [dir], ...o }))).map((f) => f.name);
      expect(await names({ maxSeries: 10, maxBytes: 0 })).not.toContain('big_metric');
      expect(await names({ maxSeries: 0, maxBytes: 0 })).toContain('big_metric');
    });
  });
});
