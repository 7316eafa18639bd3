import { cpSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { asyncScheduler, lastValueFrom } from 'rxjs';
import { cpufreq } from '../../src/collectors/cpufreq';
import { createFilesystemCollector, DEFAULT_FS_TYPES_EXCLUDE, DEFAULT_MOUNT_POINTS_EXCLUDE } from '../../src/collectors/filesystem';
import { createTextfileCollector } from '../../src/collectors/textfile';
import type { Collector, CollectorContext } from '../../src/collectors/types';
import { encodeText } from '../../src/encode/text';
import { scrapeCollector } from '../../src/pipeline/scrapeCollector';
import { fixture } from '../support/paths';
import { recordingLog, type RecordingLog } from '../support/upstream';

/** Returns the path of fixtures/cases/<name>. */
const caseDir = (name: string): string => fixture('cases', name);

/** Returns a context on a case tree laid out as its README says (proc, sys, the tree as rootfs). */
function caseContext(name: string, log: RecordingLog, root = caseDir(name)): CollectorContext {
  return { procPath: join(root, 'proc'), sysPath: join(root, 'sys'), rootPath: root, udevDataPath: join(root, 'run', 'udev', 'data'), log, scheduler: asyncScheduler };
}

/** Runs `collector` once on a case tree through the scrape boundary: success, exposition, log. */
async function runCase(name: string, collector: Collector, root?: string) {
  const log = recordingLog();
  const r = await lastValueFrom(scrapeCollector(collector, caseContext(name, log, root), { timeoutMs: 10_000 }));
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

describe('case 04-mountinfo-no-optional-fields', () => {
  const filesystem = () => createFilesystemCollector({ mountPointsExclude: DEFAULT_MOUNT_POINTS_EXCLUDE, fsTypesExclude: DEFAULT_FS_TYPES_EXCLUDE, mountTimeoutMs: 5000 });

  it('reads mountinfo (lines with and without optional fields) and serves 1.12\'s families, with 1/mounts removed', async () => {
    const root = mkdtempSync(join(tmpdir(), 'rxp-case04-'));
    try {
      cpSync(caseDir('04-mountinfo-no-optional-fields'), root, { recursive: true });
      rmSync(join(root, 'proc', '1', 'mounts'));
      const { success, text } = await runCase('04-mountinfo-no-optional-fields', filesystem(), root);
      expect(success).toBe(true);
      const mounts: [string, string, string, string, number][] = [
        ['/dev/sda1', '/', '8', '1', 0],
        ['/dev/sdb1', '/srv/data', '8', '17', 0],
        ['/dev/sdc1', '/var/lib/pgsql', '8', '33', 1],
      ];
      for (const [device, mountpoint, major, minor, ro] of mounts) {
        const fstype = device === '/dev/sdb1' ? 'xfs' : 'ext4';
        const labels = `device="${device}",device_error="",fstype="${fstype}",mountpoint="${mountpoint}"`;
        expect(text).toContain(`node_filesystem_device_error{${labels}} 0\n`);
        expect(text).toContain(`node_filesystem_readonly{${labels}} ${ro}\n`);
        expect(text).toMatch(new RegExp(`node_filesystem_size_bytes\\{${labels.replace(/[/.]/g, '\\$&')}\\} \\d`));
        expect(text).toContain(`node_filesystem_mount_info{device="${device}",major="${major}",minor="${minor}",mountpoint="${mountpoint}"} 1\n`);
      }
      expect(text).not.toContain('mountpoint="/proc"');
    } finally {
      rmSync(root, { recursive: true, force: true });
    }
  });
});
