import { parseExposition } from '../../src/encode/parseText';
import { compareHostScrapes, sameShape, TIME_BASED_GAUGES } from '../../tools/conformance/hostCompare';

/** node_exporter's scrape with the values that change between its two scrapes. */
const reference = (v: { memFree: number; ctxt: number; intr: number; lastDisk: string }) =>
  parseExposition(`# HELP node_memory_MemTotal_bytes Memory information field MemTotal_bytes.
# TYPE node_memory_MemTotal_bytes gauge
node_memory_MemTotal_bytes 1000
# HELP node_memory_MemFree_bytes Memory information field MemFree_bytes.
# TYPE node_memory_MemFree_bytes gauge
node_memory_MemFree_bytes ${v.memFree}
# HELP node_load1 1m load average.
# TYPE node_load1 gauge
node_load1 0.5
# HELP node_context_switches_total Total number of context switches.
# TYPE node_context_switches_total counter
node_context_switches_total ${v.ctxt}
# HELP node_intr_total Total number of interrupts serviced.
# TYPE node_intr_total counter
node_intr_total ${v.intr}
# HELP node_disk_io_now The number of I/Os currently in progress.
# TYPE node_disk_io_now gauge
node_disk_io_now{device="vda"} 0
node_disk_io_now{device="zram0"} 0
node_disk_io_now{device="${v.lastDisk}"} 0
# HELP node_ksmd_run ksmd 'run' file.
# TYPE node_ksmd_run gauge
node_ksmd_run 0
# HELP node_timex_offset_seconds Time offset in between local system and reference clock.
# TYPE node_timex_offset_seconds gauge
node_timex_offset_seconds 0
# HELP go_goroutines Number of goroutines that currently exist.
# TYPE go_goroutines gauge
go_goroutines 7
# HELP node_scrape_collector_success node_exporter: Whether a collector succeeded.
# TYPE node_scrape_collector_success gauge
node_scrape_collector_success{collector="meminfo"} 1
node_scrape_collector_success{collector="timex"} 1
`);

const before = reference({ memFree: 500, ctxt: 100, intr: 10, lastDisk: 'gone' });
const after = reference({ memFree: 480, ctxt: 120, intr: 20, lastDisk: 'new' });

const ours = parseExposition(`# HELP node_memory_MemTotal_bytes Memory information field MemTotal_bytes.
# TYPE node_memory_MemTotal_bytes gauge
node_memory_MemTotal_bytes 1000
# HELP node_memory_MemFree_bytes Memory information field MemFree_bytes.
# TYPE node_memory_MemFree_bytes gauge
node_memory_MemFree_bytes 1
# HELP node_load1 1m load average.
# TYPE node_load1 gauge
node_load1 0.9
# HELP node_context_switches_total Total number of context switches.
# TYPE node_context_switches_total counter
node_context_switches_total 110
# HELP node_intr_total Total number of interrupts serviced.
# TYPE node_intr_total counter
node_intr_total 25
# HELP node_disk_io_now The number of I/Os currently in progress.
# TYPE node_disk_io_now gauge
node_disk_io_now{device="vda"} 0
node_disk_io_now{device="loop0"} 0
# HELP node_ksmd_run How ksmd runs.
# TYPE node_ksmd_run gauge
node_ksmd_run 0
# HELP node_ksmd_general_profit_bytes Profit.
# TYPE node_ksmd_general_profit_bytes gauge
node_ksmd_general_profit_bytes 0
# HELP rxporter_collections_total Collections run, whatever triggered them.
# TYPE rxporter_collections_total counter
rxporter_collections_total 1
# HELP node_scrape_collector_success node_exporter: Whether a collector succeeded.
# TYPE node_scrape_collector_success gauge
node_scrape_collector_success{collector="meminfo"} 1
node_scrape_collector_success{collector="timex"} 0
`);

describe('compareHostScrapes', () => {
  const r = compareHostScrapes(before, ours, after);
  const of = (name: string) => {
    const c = r.collectors.find((x) => x.collector === name);
    if (!c) throw new Error(`no ${name}`);
    return c;
  };

  it('compares a gauge that did not move for equality, and skips one that moved', () => {
    expect(of('meminfo')).toMatchObject({ stable: 2, stableEqual: 2, moving: 1, stableDiffs: [] });
  });

  it('treats time-based gauges as moving even when they did not move', () => {
    expect(TIME_BASED_GAUGES.test('node_load1')).toBe(true);
    expect(of('loadavg')).toMatchObject({ stable: 0, moving: 1 });
  });

  it("accepts a counter between the reference's two values and flags one outside", () => {
    expect(of('stat')).toMatchObject({ counters: 2, countersWithin: 1 });
    expect(of('stat').counterDiffs).toEqual([{ name: 'node_intr_total', labels: {}, before: 10, after: 20, ours: 25 }]);
  });

  it('lists series only one side has, ignoring those that came or went between the reference scrapes', () => {
    expect(of('diskstats').labelSetDiffs).toEqual([
      { family: 'node_disk_io_now', missing: ['node_disk_io_now{device="zram0"}'], extra: ['node_disk_io_now{device="loop0"}'] },
    ]);
    expect(sameShape(of('diskstats'))).toBe(false);
    expect(of('diskstats').moving).toBe(0);
  });

  it('reports families only one side has, and HELP differences', () => {
    expect(of('ksmd').extraFamilies).toEqual(['node_ksmd_general_profit_bytes']);
    expect(of('ksmd').metaDiffs.map((m) => [m.family, m.expected.help, m.actual.help])).toEqual([['node_ksmd_run', "ksmd 'run' file.", 'How ksmd runs.']]);
    expect(of('timex').missingFamilies).toEqual(['node_timex_offset_seconds']);
  });

  it('catches a collector that failed on our side through its success sample', () => {
    expect(of('timex').stableDiffs).toEqual([{ name: 'node_scrape_collector_success', labels: { collector: 'timex' }, before: 1, after: 1, ours: 0 }]);
  });

  it('leaves out Go and rxporter self-metrics, shows the scrape families apart and sums per real collector', () => {
    expect(r.collectors.map((c) => c.collector)).toEqual(['diskstats', 'ksmd', 'loadavg', 'meminfo', 'scrape', 'stat', 'timex']);
    expect(r.totals).toEqual({ collectors: 6, sameShape: 3, stable: 5, stableEqual: 4, counters: 2, countersWithin: 1, moving: 2 });
  });
});
