import { readFileSync } from 'node:fs';
import { collectorOf, EXPORTER, SCRAPE, UNKNOWN } from '../../tools/conformance/attribution';
import { compareExpositions, isExact, UPSTREAM_IGNORED_LINES, type CollectorComparison } from '../../tools/conformance/compare';
import { parseExposition } from '../../src/encode/parseText';
import { neDataDir } from '../../tools/conformance/harness';
import { fixture } from '../support/paths';

const load = (name: string) => parseExposition(readFileSync(fixture('edge', 'conformance', name)));

describe('compareExpositions on the edge fixtures', () => {
  const result = compareExpositions(load('expected.prom'), load('actual.prom'));
  const of = (name: string): CollectorComparison => {
    const c = result.collectors.find((x) => x.collector === name);
    if (!c) throw new Error(`no collector ${name} in the result`);
    return c;
  };

  it('lists the collectors sorted and leaves out foreign and own families', () => {
    expect(result.collectors.map((c) => c.collector)).toEqual(['arp', 'dmi', 'hwmon', 'loadavg', 'netdev', 'scrape', 'sockstat', 'stat', 'textfile', 'xfs']);
  });

  it('counts totals over every collector', () => {
    expect(result.totals).toEqual({
      expected: 16,
      matched: 14,
      missing: 1,
      extra: 2,
      differentValue: 1,
      differentMeta: 2,
      missingFamilies: 1,
      extraFamilies: 1,
    });
  });

  it('matches a series whatever the label order, with the U+FFFD/0x1C label byte-exact', () => {
    expect(isExact(of('dmi'))).toBe(true);
    expect(of('dmi')).toMatchObject({ expected: 2, matched: 2 });
  });

  it('compares values as float64: 1.418183276e+09 equals 1418183276, NaN equals NaN, ±Inf', () => {
    expect(of('stat').matched).toBe(1);
    expect(of('hwmon').matched).toBe(3);
    expect(of('xfs').matched).toBe(2);
  });

  it('reports a missing series and its missing family under the collector that emits it', () => {
    expect(of('arp').missing.map((s) => [s.name, s.labels, s.value])).toEqual([['node_arp_entries', { device: 'eth0' }, 3]]);
    expect(of('arp').missingFamilies).toEqual(['node_arp_entries']);
  });

  it('reports an extra series in a known family, and an extra family', () => {
    expect(of('hwmon').extra.map((s) => s.labels.sensor)).toEqual(['temp3']);
    expect(of('hwmon').extraFamilies).toEqual([]);
    expect(of('loadavg').extraFamilies).toEqual(['node_load5']);
    expect(of('loadavg').extra.map((s) => s.name)).toEqual(['node_load5']);
  });

  it('gives the scrape families to the scrape pseudo-collector and their samples to the collector they name', () => {
    expect(isExact(of('scrape'))).toBe(true);
    expect(of('scrape').expected).toBe(0);
  });

  it('attributes node_scrape_collector_success by its collector label', () => {
    expect(of('stat').differentValue).toEqual([
      expect.objectContaining({ name: 'node_scrape_collector_success', labels: { collector: 'stat' }, expected: 1, actual: 0 }),
    ]);
    expect(of('textfile')).toMatchObject({ expected: 3, matched: 3 });
  });

  it('reports HELP and TYPE differences per family', () => {
    expect(of('loadavg').differentMeta).toEqual([
      { family: 'node_load1', expected: { help: '1m load average.', type: 'gauge' }, actual: { help: '1m load average', type: 'gauge' } },
    ]);
    expect(of('xfs').differentMeta.map((m) => [m.expected.type, m.actual.type])).toEqual([['gauge', 'counter']]);
  });

  it('drops the sample lines upstream ignores but still compares their families', () => {
    expect(of('netdev')).toMatchObject({ expected: 0, extra: [], differentValue: [], missingFamilies: [], differentMeta: [] });
    expect(isExact(of('textfile'))).toBe(true);
    expect(isExact(of('sockstat'))).toBe(true);
  });

  it('counts a duplicated series on our side as extra', () => {
    const e = parseExposition('# TYPE node_load1 gauge\nnode_load1 1\n');
    const a = parseExposition('# TYPE node_load1 gauge\nnode_load1 1\nnode_load1 1\n');
    const c = compareExpositions(e, a).collectors[0];
    expect(c).toMatchObject({ collector: 'loadavg', expected: 1, matched: 1 });
    expect(c.extra).toHaveLength(1);
  });

  it('finds nothing to report when a scrape is compared with itself', () => {
    const e = load('expected.prom');
    const self = compareExpositions(e, e);
    expect(self.collectors.every(isExact)).toBe(true);
    expect(self.totals.matched).toBe(self.totals.expected);
  });
});

describe('collectorOf', () => {
  it.each([
    ['node_boot_time_seconds', 'stat'],
    ['node_softirqs_total', 'stat'],
    ['node_softirqs_functions_total', 'softirqs'],
    ['node_load15', 'loadavg'],
    ['node_sockstat_TCP_mem_bytes', 'sockstat'],
    ['node_memory_MemTotal_bytes', 'meminfo'],
    ['node_memory_numa_MemTotal', 'meminfo_numa'],
    ['node_network_receive_errs_total', 'netdev'],
    ['node_network_transmit_queue_length', 'netclass'],
    ['node_network_carrier_changes_total', 'netclass'],
    ['node_network_up', 'netclass'],
    ['node_nf_conntrack_entries', 'conntrack'],
    ['node_cpu_seconds_total', 'cpu'],
    ['node_cpu_scaling_governor', 'cpufreq'],
    ['node_cpu_vulnerabilities_info', 'cpu_vulnerabilities'],
    ['node_bcache_io_errors', 'bcache'],
    ['node_bcachefs_info', 'bcachefs'],
    ['node_nfs_requests_total', 'nfs'],
    ['node_nfsd_requests_total', 'nfsd'],
    ['node_time_seconds', 'time'],
    ['node_timex_offset_seconds', 'timex'],
    ['node_cooling_device_cur_state', 'thermal_zone'],
    ['node_power_supply_online', 'powersupplyclass'],
    ['node_tape_io_now', 'tapestats'],
    ['node_md_disks', 'mdadm'],
    ['node_zfs_arc_hits', 'zfs'],
    ['node_mountstats_nfs_age_seconds_total', 'mountstats'],
    ['promhttp_metric_handler_requests_total', EXPORTER],
    ['node_exporter_build_info', EXPORTER],
    ['something_else', UNKNOWN],
    ['node_scrape_collector_success', SCRAPE],
  ])('%s belongs to %s', (name, collector) => {
    expect(collectorOf(name)).toBe(collector);
  });

  it('tells the two node_cpu_frequency_hertz apart by labels or HELP', () => {
    expect(collectorOf('node_cpu_frequency_hertz', { core: '0', cpu: '0', package: '0' })).toBe('cpu');
    expect(collectorOf('node_cpu_frequency_hertz', { cpu: '0' })).toBe('cpufreq');
    expect(collectorOf('node_cpu_frequency_hertz', undefined, 'CPU frequency in hertz from /proc/cpuinfo.')).toBe('cpu');
    expect(collectorOf('node_cpu_frequency_hertz', undefined, 'Current CPU thread frequency in hertz.')).toBe('cpufreq');
  });

  it('gives a textfile family to textfile by its default HELP', () => {
    expect(collectorOf('testmetric1_1', { foo: 'bar' }, 'Metric read from x/metrics1.prom')).toBe('textfile');
  });

  it('attributes every family of upstream expected scrape to a known collector', () => {
    const e = parseExposition(readFileSync(`${neDataDir()}/expected/e2e-output.txt`));
    const unknown = [...e.families.values()].filter((f) => collectorOf(f.samples[0]?.name ?? f.name, f.samples[0]?.labels, f.help) === UNKNOWN);
    expect(unknown.map((f) => f.name)).toEqual([]);
  });
});

describe('UPSTREAM_IGNORED_LINES', () => {
  it.each([
    ['go_goroutines 9', true],
    ['node_time_seconds 1.7e+09', true],
    ['node_time_zone_offset_seconds{time_zone="UTC"} 0', true],
    ['node_network_receive_bytes_total{device="lo"} 1', true],
    ['node_network_receive_errs_total{device="lo"} 0', false],
    ['node_scrape_collector_duration_seconds{collector="cpu"} 0.1', true],
    ['node_scrape_collector_success{collector="cpu"} 1', false],
    ['node_time_clocksource_current_info{clocksource="tsc"} 1', false],
  ])('%s ignored: %s', (line, ignored) => {
    expect(UPSTREAM_IGNORED_LINES.test(line)).toBe(ignored);
  });
});
