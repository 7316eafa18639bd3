import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { cliPath, fixture } from '../support/paths';

/** Runs the built CLI once on a case tree as fixtures/cases/README.md says, with only `collector` on. */
function runOnce(name: string, collector: string, ...extra: string[]) {
  const root = fixture('cases', name);
  const args = ['--once', '--global.app-name=t', `--path.procfs=${join(root, 'proc')}`, `--path.sysfs=${join(root, 'sys')}`, `--path.rootfs=${root}`, '--collector.disable-defaults', `--collector.${collector}`, ...extra];
  return spawnSync(process.execPath, [cliPath(), ...args], { encoding: 'utf8', env: { PATH: process.env.PATH }, timeout: 30_000 });
}

describe('rxporter --once on the cases of fixtures/cases', () => {
  it('04: filesystem from mountinfo with device_error, mount_info and read-only as 1.12', () => {
    const r = runOnce('04-mountinfo-no-optional-fields', 'filesystem');
    expect(r.status).toBe(0);
    expect(r.stdout).toContain('node_scrape_collector_success{collector="filesystem"} 1\n');
    expect(r.stdout).toContain('node_filesystem_readonly{device="/dev/sdc1",device_error="",fstype="ext4",mountpoint="/var/lib/pgsql"} 1\n');
    expect(r.stdout).toContain('node_filesystem_mount_info{device="/dev/sdb1",major="8",minor="17",mountpoint="/srv/data"} 1\n');
  });

  it('18: a textfile without its final line feed is rejected, the other files are served', () => {
    const root = fixture('cases', '18-textfile-no-trailing-newline');
    const r = runOnce('18-textfile-no-trailing-newline', 'textfile', `--collector.textfile.directory=${join(root, 'textfile')}`, `--collector.textfile.directory=${join(root, 'textfile-truncated')}`);
    expect(r.status).toBe(0);
    expect(r.stdout).toContain('\nok_metric 1\n');
    expect(r.stdout).not.toContain('backup_duration_seconds');
    expect(r.stdout).not.toContain('custom_metric');
    expect(r.stdout).toContain('node_textfile_scrape_error 1\n');
    expect(r.stderr).toContain('unexpected end of input stream');
  });

  it('25: cpufreq leaves out the <unknown> frequency and succeeds', () => {
    const r = runOnce('25-cpufreq-unknown-cur-freq', 'cpufreq');
    expect(r.status).toBe(0);
    expect(r.stdout).toContain('node_scrape_collector_success{collector="cpufreq"} 1\n');
    expect(r.stdout).toContain('node_cpu_frequency_hertz{cpu="0"} 2.472e+09\n');
    expect(r.stdout).not.toContain('node_cpu_frequency_hertz{cpu="1"}');
    expect(r.stdout).toContain('node_cpu_scaling_frequency_hertz{cpu="1"} 1.2e+09\n');
  });
});
