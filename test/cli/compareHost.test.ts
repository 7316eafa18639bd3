import { spawnSync } from 'node:child_process';
import { resolve } from 'node:path';
import { alignedOptionFlags, nodeExporterFlags } from '../../tools/compareHost';
import type { HostComparison } from '../../tools/conformance/hostCompare';
import { repoRoot } from '../support/paths';

describe('nodeExporterFlags', () => {
  it('reads collector switches and option flags from kingpin help', () => {
    const help = [
      '      --collector.disable-defaults  Set all collectors to disabled by default.',
      '      --[no-]collector.arp            Enable the arp collector (default: enabled).',
      '      --collector.powersupplyclass  ',
      '      --collector.textfile.directory="/var/lib/prometheus/node-exporter"  ',
      '      --web.listen-address=":9100"  Addresses on which to expose metrics.',
    ].join('\n');
    const f = nodeExporterFlags(help);
    expect([...f.collectors].sort()).toEqual(['arp', 'powersupplyclass']);
    expect(f.flags.has('collector.textfile.directory')).toBe(true);
    expect(f.flags.has('web.listen-address')).toBe(true);
  });
});

describe('alignedOptionFlags', () => {
  const schema = {
    collectors: {
      filesystem: {
        enabled: { arg: 'collector.filesystem', default: null },
        mountPointsExclude: { arg: 'collector.filesystem.mount-points-exclude', default: '^/(dev|proc)($|/)' },
        newOption: { arg: 'collector.filesystem.only-in-rxporter', default: 'x' },
      },
      netclass: {
        ignoreInvalidSpeed: { arg: 'collector.netclass.ignore-invalid-speed', default: false },
        ignoredDevices: { arg: 'collector.netclass.ignored-devices', default: '' },
      },
      stat: { softirq: { arg: 'collector.stat.softirq', default: true } },
      sysctl: { include: { arg: 'collector.sysctl.include', default: [] } },
    },
  };
  const ne = new Set([
    'collector.filesystem.mount-points-exclude',
    'collector.netclass.ignore-invalid-speed',
    'collector.netclass.ignored-devices',
    'collector.stat.softirq',
    'collector.sysctl.include',
  ]);

  it('passes our defaults for the options both know, of the enabled collectors only', () => {
    expect(alignedOptionFlags(schema, ne, ['filesystem', 'netclass', 'sysctl'])).toEqual([
      '--collector.filesystem.mount-points-exclude=^/(dev|proc)($|/)',
      '--no-collector.netclass.ignore-invalid-speed',
    ]);
    expect(alignedOptionFlags(schema, ne, ['stat'])).toEqual(['--collector.stat.softirq']);
  });
});

describe('npm run compare-host (Debian prometheus-node-exporter on this host)', () => {
  it('runs both side by side and finds meminfo and loadavg with the same families and label sets', () => {
    const run = spawnSync(process.execPath, [resolve(repoRoot(), 'dist/tools/compareHost.js'), '--json', '--collectors', 'meminfo,loadavg'], {
      encoding: 'utf8',
      timeout: 60_000,
    });
    expect(run.stderr).toBe('');
    expect(run.status).toBe(0);
    const out = JSON.parse(run.stdout) as { nodeExporter: string; collectors: string[]; result: HostComparison };
    expect(out.nodeExporter).toMatch(/^node_exporter, version \d+\.\d+\.\d+/);
    expect(out.collectors.sort()).toEqual(['loadavg', 'meminfo']);
    const meminfo = out.result.collectors.find((c) => c.collector === 'meminfo');
    expect(meminfo).toMatchObject({ missingFamilies: [], extraFamilies: [], labelSetDiffs: [] });
    expect(meminfo!.referenceFamilies).toBeGreaterThan(20);
    // MemTotal never moves: it must be among the stable values and equal.
    expect(meminfo!.stable).toBeGreaterThan(0);
    expect(meminfo!.stableDiffs.map((d) => d.name)).not.toContain('node_memory_MemTotal_bytes');
    const loadavg = out.result.collectors.find((c) => c.collector === 'loadavg');
    expect(loadavg).toMatchObject({ referenceFamilies: 3, ourFamilies: 3, missingFamilies: [], extraFamilies: [] });
  });
});
