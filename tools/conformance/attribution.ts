import type { Labels } from '../../src/model/family';

/**
 * The pseudo-collector of families no node_exporter collector emits: client_golang's
 * Go runtime, process and promhttp handler metrics and node_exporter_build_info.
 */
export const EXPORTER = 'exporter';

/**
 * The pseudo-collector of the families node_exporter's framework writes for every
 * collector (`node_scrape_collector_*`); their samples belong to the collector they name.
 */
export const SCRAPE = 'scrape';

/** The pseudo-collector of names the table does not know. */
export const UNKNOWN = 'unknown';

/**
 * node_exporter's Linux metric names → collector, read off its collector/*.go sources
 * (namespace "node" + subsystem + name). Exact names first; then the longest prefix wins.
 */
const EXACT: Readonly<Record<string, string>> = {
  // stat_linux.go: BuildFQName(namespace, "", …)
  node_boot_time_seconds: 'stat',
  node_context_switches_total: 'stat',
  node_forks_total: 'stat',
  node_intr_total: 'stat',
  node_procs_blocked: 'stat',
  node_procs_running: 'stat',
  node_softirqs_total: 'stat',
  // softirqs_common.go, interrupts_common.go
  node_softirqs_functions_total: 'softirqs',
  node_interrupts_total: 'interrupts',
  // loadavg.go
  node_load1: 'loadavg',
  node_load5: 'loadavg',
  node_load15: 'loadavg',
  // one-family collectors
  node_dmi_info: 'dmi',
  node_udp_queues: 'udp_queues',
  node_uname_info: 'uname',
  node_tcp_connection_states: 'tcpstat',
  node_exporter_build_info: EXPORTER,
  // cpu_common.go / cpu_linux.go (subsystem "cpu")
  node_cpu_seconds_total: 'cpu',
  node_cpu_guest_seconds_total: 'cpu',
  node_cpu_info: 'cpu',
  node_cpu_flag_info: 'cpu',
  node_cpu_bug_info: 'cpu',
  node_cpu_core_throttles_total: 'cpu',
  node_cpu_package_throttles_total: 'cpu',
  node_cpu_isolated: 'cpu',
  node_cpu_online: 'cpu',
  // cpufreq_common.go (subsystem "cpu" too); node_cpu_frequency_hertz is shared, see below
  node_cpu_frequency_avg_hertz: 'cpufreq',
  node_cpu_frequency_min_hertz: 'cpufreq',
  node_cpu_frequency_max_hertz: 'cpufreq',
  node_cpu_scaling_frequency_hertz: 'cpufreq',
  node_cpu_scaling_frequency_min_hertz: 'cpufreq',
  node_cpu_scaling_frequency_max_hertz: 'cpufreq',
  node_cpu_scaling_governor: 'cpufreq',
  // netdev_common.go: "network_address" + "info"
  node_network_address_info: 'netdev',
  // netclass_linux.go fields named *_total or transmit_* that would match netdev's prefixes
  node_network_transmit_queue_length: 'netclass',
  node_network_carrier_changes_total: 'netclass',
  node_network_carrier_up_changes_total: 'netclass',
  node_network_carrier_down_changes_total: 'netclass',
  // network_route_linux.go (subsystem "network")
  node_network_route_info: 'network_route',
  node_network_routes: 'network_route',
  // ethtool_linux.go's link-mode families (subsystem "network")
  node_network_advertised_speed_bytes: 'ethtool',
  node_network_asymmetricpause_advertised: 'ethtool',
  node_network_asymmetricpause_supported: 'ethtool',
  node_network_autonegotiate: 'ethtool',
  node_network_autonegotiate_advertised: 'ethtool',
  node_network_autonegotiate_supported: 'ethtool',
  node_network_pause_advertised: 'ethtool',
  node_network_pause_supported: 'ethtool',
  node_network_supported_port_info: 'ethtool',
  node_network_supported_speed_bytes: 'ethtool',
};

const p = (prefix: string, collector: string): readonly [string, string] => [prefix, collector];

const PREFIXES: readonly (readonly [string, string])[] = [
  p('go_', EXPORTER),
  p('process_', EXPORTER),
  p('promhttp_', EXPORTER),
  p('node_cpu_vulnerabilities_', 'cpu_vulnerabilities'),
  p('node_cpu_', 'cpu'),
  p('node_memory_numa_', 'meminfo_numa'),
  p('node_memory_', 'meminfo'),
  p('node_network_receive_', 'netdev'),
  p('node_network_transmit_', 'netdev'),
  p('node_network_', 'netclass'),
  p('node_nf_conntrack_', 'conntrack'),
  p('node_entropy_', 'entropy'),
  p('node_kernel_hung_', 'kernel_hung'),
  p('node_disk_', 'diskstats'),
  p('node_md_', 'mdadm'),
  p('node_thermal_zone_', 'thermal_zone'),
  p('node_cooling_device_', 'thermal_zone'),
  p('node_power_supply_', 'powersupplyclass'),
  p('node_tape_', 'tapestats'),
  p('node_mountstats_', 'mountstats'),
  p('node_swap_', 'swap'),
  ...[
    'arp', 'bcache', 'bcachefs', 'bonding', 'btrfs', 'buddyinfo', 'cgroups', 'dmmultipath', 'drbd', 'drm',
    'edac', 'ethtool', 'fibrechannel', 'filefd', 'filesystem', 'hwmon', 'infiniband', 'ipvs', 'ksmd', 'lnstat',
    'logind', 'netstat', 'nfs', 'nfsd', 'nvme', 'nvmesubsystem', 'os', 'pcidevice', 'perf', 'pressure',
    'processes', 'qdisc', 'rapl', 'schedstat', 'selinux', 'slabinfo', 'sockstat', 'softnet', 'sysctl',
    'systemd', 'textfile', 'time', 'timex', 'vmstat', 'watchdog', 'wifi', 'xfrm', 'xfs', 'zfs', 'zoneinfo',
  ].map((s) => p(`node_${s}_`, s)),
].sort((a, b) => b[0].length - a[0].length);

/** The HELP the textfile collector gives a family its file does not describe. */
const TEXTFILE_HELP = 'Metric read from ';

/**
 * Returns the node_exporter collector that emits family `name`: by the static table
 * above, `node_scrape_collector_*` by its `collector` label, a family whose HELP is the
 * textfile collector's default by `textfile`, else {@link UNKNOWN}.
 *   ("node_sockstat_TCP_inuse") → "sockstat"; ("node_boot_time_seconds") → "stat"
 * `node_cpu_frequency_hertz` is emitted by cpu (with cpu.info: labels core, cpu, package;
 * HELP "… from /proc/cpuinfo.") and by cpufreq (label cpu only): labels or HELP decide.
 */
export function collectorOf(name: string, labels?: Labels, help?: string): string {
  if (name.startsWith('node_scrape_collector_')) return labels?.collector ?? SCRAPE;
  if (name === 'node_cpu_frequency_hertz') {
    if (labels) return 'package' in labels || 'core' in labels ? 'cpu' : 'cpufreq';
    return help?.includes('/proc/cpuinfo') ? 'cpu' : 'cpufreq';
  }
  const exact = EXACT[name];
  if (exact !== undefined) return exact;
  for (const [prefix, collector] of PREFIXES) if (name.startsWith(prefix)) return collector;
  if (help?.startsWith(TEXTFILE_HELP)) return 'textfile';
  return UNKNOWN;
}

/**
 * Returns the collector a whole family belongs to: {@link SCRAPE} for the per-collector
 * scrape families, otherwise that of its first sample (or its name and HELP when empty).
 */
export function familyCollectorOf(f: { readonly name: string; readonly help?: string; readonly samples: readonly { readonly name: string; readonly labels: Labels }[] }): string {
  if (f.name.startsWith('node_scrape_collector_')) return SCRAPE;
  const s = f.samples[0];
  return s ? collectorOf(s.name, s.labels, f.help) : collectorOf(f.name, undefined, f.help);
}
