import { join } from 'node:path';
import { defer, from, Observable } from 'rxjs';
import { RxporterError } from '../errors';
import type { Log } from '../log/types';
import type { MetricFamily, Sample } from '../model/family';
import { readProcText } from '../procfs/read';
import { isMissing } from '../sysfs/read';
import type { Collector, CollectorDefinition } from './types';

/** A WiFi interface as mdlayher/wifi's Interface (JSON field names matched case-insensitively, as Go does). */
export interface WifiInterface {
  readonly name: string;
  readonly frequency: number;
}

/** A BSS: its SSID, BSSID (MAC) and client status (0 authenticated, 1 associated, 2 IBSS joined). */
export interface WifiBss {
  readonly ssid: string;
  readonly bssid: string;
  readonly status: number;
}

/** A station's statistics; durations in nanoseconds. */
export interface WifiStation {
  readonly hardwareAddr: string;
  readonly connected: number;
  readonly inactive: number;
  readonly receivedBytes: number;
  readonly transmittedBytes: number;
  readonly receivedPackets: number;
  readonly transmittedPackets: number;
  readonly receiveBitrate: number;
  readonly transmitBitrate: number;
  readonly signal: number;
  readonly transmitRetries: number;
  readonly transmitFailed: number;
  readonly beaconLoss: number;
}

const bad = (file: string, what: string) => new RxporterError('RXP_PROC_PARSE', `wifi fixture ${file}: ${what}`);

/** Returns the value of `key` in `o`, matched as encoding/json does: exact name first, then case-insensitively. */
function field(o: Record<string, unknown>, key: string): unknown {
  if (key in o) return o[key];
  const lower = key.toLowerCase();
  for (const k of Object.keys(o)) if (k.toLowerCase() === lower) return o[k];
  return undefined;
}

const int = (o: Record<string, unknown>, key: string, file: string): number => {
  const v = field(o, key);
  if (v === undefined || v === null) return 0;
  if (typeof v !== 'number' || !Number.isInteger(v)) throw bad(file, `${key} is not an integer`);
  return v;
};

const str = (o: Record<string, unknown>, key: string, file: string): string => {
  const v = field(o, key);
  if (v === undefined || v === null) return '';
  if (typeof v !== 'string') throw bad(file, `${key} is not a string`);
  return v;
};

/** Returns a net.HardwareAddr (base64 in JSON) as Go prints it: "aa:bb:cc:dd:ee:ff", "" when empty. */
function mac(o: Record<string, unknown>, key: string, file: string): string {
  const b64 = str(o, key, file);
  if (!/^[A-Za-z0-9+/]*={0,2}$/.test(b64) || b64.length % 4 !== 0) throw bad(file, `${key} is not base64`);
  return [...Buffer.from(b64, 'base64')].map((b) => b.toString(16).padStart(2, '0')).join(':');
}

const objects = (v: unknown, file: string): Record<string, unknown>[] => {
  if (v === null) return [];
  if (!Array.isArray(v)) throw bad(file, 'not a JSON array');
  return v.map((x) => {
    if (x === null) return {};
    if (typeof x !== 'object' || Array.isArray(x)) throw bad(file, 'array element is not an object');
    return x as Record<string, unknown>;
  });
};

const json = (text: string, file: string): unknown => {
  try {
    return JSON.parse(text) as unknown;
  } catch (e) {
    throw new RxporterError('RXP_PROC_PARSE', `wifi fixture ${file}: ${(e as Error).message}`, false, { cause: e });
  }
};

/** Returns the interfaces of an interfaces.json fixture. Throws RXP_PROC_PARSE on malformed JSON or fields of the wrong type. */
export const parseWifiInterfaces = (text: string, file = 'interfaces.json'): WifiInterface[] =>
  objects(json(text, file), file).map((o) => ({ name: str(o, 'Name', file), frequency: int(o, 'Frequency', file) }));

/** Returns the BSS of a <iface>/bss.json fixture. */
export function parseWifiBss(text: string, file = 'bss.json'): WifiBss {
  const v = json(text, file);
  if (typeof v !== 'object' || v === null || Array.isArray(v)) throw bad(file, 'not a JSON object');
  const o = v as Record<string, unknown>;
  return { ssid: str(o, 'SSID', file), bssid: mac(o, 'BSSID', file), status: int(o, 'Status', file) };
}

/** Returns the stations of a <iface>/stationinfo.json fixture. */
export const parseWifiStations = (text: string, file = 'stationinfo.json'): WifiStation[] =>
  objects(json(text, file), file).map((o) => ({
    hardwareAddr: mac(o, 'HardwareAddr', file),
    connected: int(o, 'Connected', file),
    inactive: int(o, 'Inactive', file),
    receivedBytes: int(o, 'ReceivedBytes', file),
    transmittedBytes: int(o, 'TransmittedBytes', file),
    receivedPackets: int(o, 'ReceivedPackets', file),
    transmittedPackets: int(o, 'TransmittedPackets', file),
    receiveBitrate: int(o, 'ReceiveBitrate', file),
    transmitBitrate: int(o, 'TransmitBitrate', file),
    signal: int(o, 'Signal', file),
    transmitRetries: int(o, 'TransmitRetries', file),
    transmitFailed: int(o, 'TransmitFailed', file),
    beaconLoss: int(o, 'BeaconLoss', file),
  }));

/** Returns Go's Duration.Seconds() of `ns` nanoseconds. */
const seconds = (ns: number): number => Math.trunc(ns / 1e9) + (ns % 1e9) / 1e9;

/** Returns "client", "ad-hoc" or "unknown" for a BSS status, as node_exporter names them. */
export const bssMode = (status: number): string => (status === 0 || status === 1 ? 'client' : status === 2 ? 'ad-hoc' : 'unknown');

/** What one interface showed: its BSS and stations when known. */
export interface WifiDevice {
  readonly iface: WifiInterface;
  readonly bss?: WifiBss;
  readonly stations: readonly WifiStation[];
}

const STATION: readonly [string, string, 'counter' | 'gauge', (s: WifiStation) => number][] = [
  ['station_connected_seconds_total', 'The total number of seconds a station has been connected to an access point.', 'counter', (s) => seconds(s.connected)],
  ['station_inactive_seconds', 'The number of seconds since any wireless activity has occurred on a station.', 'gauge', (s) => seconds(s.inactive)],
  ['station_receive_bits_per_second', 'The current WiFi receive bitrate of a station, in bits per second.', 'gauge', (s) => s.receiveBitrate],
  ['station_transmit_bits_per_second', 'The current WiFi transmit bitrate of a station, in bits per second.', 'gauge', (s) => s.transmitBitrate],
  ['station_receive_bytes_total', 'The total number of bytes received by a WiFi station.', 'counter', (s) => s.receivedBytes],
  ['station_transmit_bytes_total', 'The total number of bytes transmitted by a WiFi station.', 'counter', (s) => s.transmittedBytes],
  ['station_signal_dbm', 'The current WiFi signal strength, in decibel-milliwatts (dBm).', 'gauge', (s) => s.signal],
  ['station_transmit_retries_total', 'The total number of times a station has had to retry while sending a packet.', 'counter', (s) => s.transmitRetries],
  ['station_transmit_failed_total', 'The total number of times a station has failed to send a packet.', 'counter', (s) => s.transmitFailed],
  ['station_beacon_loss_total', 'The total number of times a station has detected a beacon loss.', 'counter', (s) => s.beaconLoss],
  ['station_transmitted_packets_total', 'The total number of packets transmitted by a station.', 'counter', (s) => s.transmittedPackets],
  ['station_received_packets_total', 'The total number of packets received by a station.', 'counter', (s) => s.receivedPackets],
];

/** Returns node_exporter's node_wifi_* families for the devices. */
export function wifiFamilies(devices: readonly WifiDevice[]): MetricFamily[] {
  const freq: Sample[] = [];
  const info: Sample[] = [];
  const st = STATION.map(() => [] as Sample[]);
  for (const d of devices) {
    freq.push({ labels: { device: d.iface.name }, value: d.iface.frequency * 1000 * 1000 });
    if (d.bss) info.push({ labels: { device: d.iface.name, bssid: d.bss.bssid, ssid: d.bss.ssid, mode: bssMode(d.bss.status) }, value: 1 });
    for (const s of d.stations) {
      const labels = { device: d.iface.name, mac_address: s.hardwareAddr };
      STATION.forEach(([, , , get], i) => st[i].push({ labels, value: get(s) }));
    }
  }
  const fams: MetricFamily[] = [
    { name: 'node_wifi_interface_frequency_hertz', help: 'The current frequency a WiFi interface is operating at, in hertz.', type: 'gauge', samples: freq },
    { name: 'node_wifi_station_info', help: 'Labeled WiFi interface station information as provided by the operating system.', type: 'gauge', samples: info },
    ...STATION.map(([suffix, help, type], i): MetricFamily => ({ name: `node_wifi_${suffix}`, help, type, samples: st[i] })),
  ];
  return fams.filter((f) => f.samples.length > 0);
}

/** Returns the devices described by a fixtures directory laid out as node_exporter's --collector.wifi.fixtures. */
export function readWifiFixtures(dir: string, log: Log): WifiDevice[] {
  const optional = <T>(rel: string, parse: (t: string, f: string) => T): T | undefined => {
    try {
      return parse(readProcText(dir, rel), rel);
    } catch (e) {
      if (!isMissing(e)) throw e;
      log.debug('wifi information not found for device', { collector: 'wifi', file: rel });
      return undefined;
    }
  };
  const out: WifiDevice[] = [];
  for (const iface of parseWifiInterfaces(readProcText(dir, 'interfaces.json'))) {
    if (iface.name === '') continue;
    const bss = optional(join(iface.name, 'bss.json'), parseWifiBss);
    const stations = optional(join(iface.name, 'stationinfo.json'), parseWifiStations) ?? [];
    out.push({ iface, bss, stations });
  }
  return out;
}

/**
 * Returns the wifi collector. node_exporter asks the kernel over nl80211 (generic
 * netlink), which Node.js cannot open; rxporter therefore serves WiFi metrics only from
 * --collector.wifi.fixtures (upstream's JSON layout). Without it each cycle reports
 * RXP_NO_DATA, as node_exporter does on a host without nl80211.
 */
export function createWifiCollector(fixtures: string): Collector {
  return {
    name: 'wifi',
    defaultEnabled: false,
    collect: (ctx): Observable<MetricFamily> =>
      defer(() => {
        if (fixtures === '') throw new RxporterError('RXP_NO_DATA', 'wifi: nl80211 netlink is not available to Node.js; only --collector.wifi.fixtures is supported');
        return from(wifiFamilies(readWifiFixtures(fixtures, ctx.log)));
      }),
  };
}

/** The wifi collector's registration, with node_exporter's --collector.wifi.fixtures. */
export const wifiDefinition: CollectorDefinition = {
  name: 'wifi',
  defaultEnabled: false,
  options: {
    fixtures: { doc: 'test fixtures to use for wifi collector metrics', format: String, default: '', arg: 'collector.wifi.fixtures' },
  },
  create: (o) => createWifiCollector(String(o.fixtures ?? '')),
};
