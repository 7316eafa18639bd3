import { join } from 'node:path';
import { asyncScheduler, lastValueFrom } from 'rxjs';
import { cpufreq } from '../../src/collectors/cpufreq';
import { createTextfileCollector } from '../../src/collectors/textfile';
import type { Collector, CollectorContext } from '../../src/collectors/types';
import { encodeText } from '../../src/encode/text';
import { scrapeCollector } from '../../src/pipeline/scrapeCollector';
import { fixture } from '../support/paths';
import { recordingLog, type RecordingLog } from '../support/upstream';

/** Returns the path of fixtures/cases/<name>. */
const caseDir = (name: string): string => fixture('cases', name);

/** Returns a context on a case tree laid out as its README says (proc, sys, the tree as rootfs). */
function caseContext(name: string, log: RecordingLog): CollectorContext {
  const root = caseDir(name);
  return { procPath: join(root, 'proc'), sysPath: join(root, 'sys'), rootPath: root, udevDataPath: join(root, 'run', 'udev', 'data'), log, scheduler: asyncScheduler };
}

/** Runs `collector` once on a case tree through the scrape boundary: success, exposition, log. */
async function runCase(name: string, collector: Collector) {
  const log = recordingLog();
  const r = await lastValueFrom(scrapeCollector(collector, caseContext(name, log), { timeoutMs: 10_000 }));
  return { success: r.success, error: r.error, text: encodeText(r.families.filter((f) => f.name !== 'node_textfile_mtime_seconds')), log };
}

describe('case 18-textfile-no-trailing-newline', () => {
  const dir = (d: string) => join(caseDir('18-textfile-no-trailing-newline'), d);

  it('rejects a file whose last line lacks its line feed and serves the other files', async () => {
    const { success, text, log } = await runCase('18-textfile-no-trailing-newline', createTextfileCollector([dir('textfile'), dir('textfile-truncated')]));
    expect(success).toBe(true);
    expect(text).toContain('\nok_metric 1\n');
    expect(text).not.toContain('custom_metric');
    expect(text).not.toContain('backup_duration_seconds');
    expect(text).toContain('node_textfile_scrape_error 1\n');
    const errors = log.lines.filter((l) => l.level === 'error').map((l) => `${String(l.meta?.file)}: ${String(l.meta?.error)}`);
    expect(errors).toEqual([
      'custom_metrics.prom: line 4: unexpected end of input stream: "custom_metric_2 1"',
      'backup.prom: line 3: unexpected end of input stream: "backup_duration_seconds 12"',
    ]);
  });
});

describe('case 25-cpufreq-unknown-cur-freq', () => {
  it('leaves out the one <unknown> frequency and serves everything else, with success 1', async () => {
    const { success, text } = await runCase('25-cpufreq-unknown-cur-freq', cpufreq);
    expect(success).toBe(true);
    expect(text).toContain('node_cpu_frequency_hertz{cpu="0"} 2.472e+09\n');
    expect(text).not.toContain('node_cpu_frequency_hertz{cpu="1"}');
    for (const cpu of ['0', '1']) {
      for (const name of ['node_cpu_frequency_max_hertz', 'node_cpu_frequency_min_hertz', 'node_cpu_scaling_frequency_hertz', 'node_cpu_scaling_frequency_max_hertz', 'node_cpu_scaling_frequency_min_hertz']) {
        expect(text).toContain(`${name}{cpu="${cpu}"} `);
      }
      expect(text).toContain(`node_cpu_scaling_governor{cpu="${cpu}",governor="conservative"} 1\n`);
    }
  });
});
