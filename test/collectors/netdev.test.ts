import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { addressScope, createNetdevCollector, legacyNetDevNames, netdevDefinition, netdevFamilies, readLinkStats, type NetdevOptions } from '../../src/collectors/netdev';
import { createDeviceFilter } from '../../src/collectors/networkFilters';
import { RxporterError } from '../../src/errors';
import { actualExposition, collectAll, copyNeFixtures, expectedExposition, fixtureContext, recordingLog, removeNeFixtures } from '../support/neFixtures';

const STAT_FILES = [
  'collisions', 'multicast', 'rx_bytes', 'rx_compressed', 'rx_crc_errors', 'rx_dropped', 'rx_errors', 'rx_fifo_errors',
  'rx_frame_errors', 'rx_length_errors', 'rx_missed_errors', 'rx_nohandler', 'rx_over_errors', 'rx_packets',
  'tx_aborted_errors', 'tx_bytes', 'tx_carrier_errors', 'tx_compressed', 'tx_dropped', 'tx_errors', 'tx_fifo_errors',
  'tx_heartbeat_errors', 'tx_packets', 'tx_window_errors',
];

const base: NetdevOptions = { deviceInclude: '', deviceExclude: '', netlink: true, labelIfAlias: false, addressInfo: false, detailedMetrics: false };

/** A live-sysfs stand-in: each device's statistics files hold 1, 2, 3… in STAT_FILES order. */
function fakeLiveSys(devs: readonly string[]): string {
  const dir = mkdtempSync(join(tmpdir(), 'rxp-netdev-'));
  for (const d of devs) {
    const s = join(dir, 'class', 'net', d, 'statistics');
    mkdirSync(s, { recursive: true });
    STAT_FILES.forEach((f, i) => writeFileSync(join(s, f), `${i + 1}\n`));
  }
  return dir;
}

const value = (fams: { name: string; samples: readonly { labels: Record<string, string>; value: number }[] }[], name: string, dev: string) =>
  fams.find((f) => f.name === name)?.samples.find((s) => s.labels.device === dev)?.value;

describe('netdev collector', () => {
  let root: string;
  beforeAll(() => {
    root = copyNeFixtures(['proc', 'sys']);
  });
  afterAll(() => removeNeFixtures(root));

  it("matches node_exporter's e2e output (netlink mode, device-include=lo: the host's loopback, whose error counters are 0)", async () => {
    const c = netdevDefinition.create({ deviceInclude: 'lo' });
    const fams = await collectAll(c, fixtureContext(root));
    const names = /^node_network_(receive|transmit)_.*_total$/;
    expect(actualExposition(fams, names)).toBe(expectedExposition(names));
  });

  it('folds the netlink counters into /proc/net/dev names as the kernel does (detailed reading, legacy names)', async () => {
    const live = fakeLiveSys(['lo', 'eth9']);
    try {
      const fams = netdevFamilies(readLinkStats(live, createDeviceFilter('', ''), recordingLog()), false);
      const n = (f: string) => STAT_FILES.indexOf(f) + 1;
      expect(value(fams, 'node_network_receive_drop_total', 'lo')).toBe(n('rx_dropped') + n('rx_missed_errors'));
      expect(value(fams, 'node_network_receive_frame_total', 'lo')).toBe(n('rx_frame_errors') + n('rx_length_errors') + n('rx_over_errors') + n('rx_crc_errors'));
      expect(value(fams, 'node_network_transmit_carrier_total', 'eth9')).toBe(
        n('tx_carrier_errors') + n('tx_aborted_errors') + n('tx_heartbeat_errors') + n('tx_window_errors'),
      );
      expect(value(fams, 'node_network_receive_nohandler_total', 'lo')).toBe(n('rx_nohandler'));
      expect(fams.map((f) => f.name).sort()).toHaveLength(17);
    } finally {
      rmSync(live, { recursive: true, force: true });
    }
  });

  it('keeps the raw names with --collector.netdev.enable-detailed-metrics', async () => {
    const live = fakeLiveSys(['lo']);
    try {
      const fams = await collectAll(createNetdevCollector({ ...base, detailedMetrics: true, liveSysPath: live }), fixtureContext(root));
      expect(fams).toHaveLength(24);
      expect(value(fams, 'node_network_receive_missed_errors_total', 'lo')).toBe(STAT_FILES.indexOf('rx_missed_errors') + 1);
    } finally {
      rmSync(live, { recursive: true, force: true });
    }
  });

  it('reads <procfs>/net/dev with --no-collector.netdev.netlink, filtered by device-exclude', async () => {
    writeFileSync(
      join(root, 'proc', 'net', 'dev'),
      'Inter-|   Receive |  Transmit\n face |bytes packets|bytes\n    lo: 1 2 3 4 5 6 7 8 9 10 11 12 13 14 15 16\n  eth0: 1 2 3 4 5 6 7 8 9 10 11 12 13 14 15 16\n',
    );
    const fams = await collectAll(netdevDefinition.create({ netlink: false, deviceExclude: '^lo$' }), fixtureContext(root));
    expect(fams).toHaveLength(16);
    expect(value(fams, 'node_network_receive_errs_total', 'eth0')).toBe(3);
    expect(value(fams, 'node_network_transmit_colls_total', 'eth0')).toBe(14);
    expect(value(fams, 'node_network_receive_bytes_total', 'lo')).toBeUndefined();
    rmSync(join(root, 'proc', 'net', 'dev'));
  });

  it('by default reads the live /proc/net/dev plus rx_nohandler per device', async () => {
    const live = fakeLiveSys(['eth9']);
    mkdirSync(join(live, 'net'));
    writeFileSync(join(live, 'net', 'dev'), 'Inter-| Receive | Transmit\n face |bytes|bytes\n  eth9: 1 2 3 4 5 6 7 8 9 10 11 12 13 14 15 16\n');
    try {
      const fams = await collectAll(createNetdevCollector({ ...base, liveSysPath: live, liveProcPath: live }), fixtureContext(root));
      expect(fams).toHaveLength(17);
      expect(value(fams, 'node_network_receive_drop_total', 'eth9')).toBe(4);
      expect(value(fams, 'node_network_transmit_carrier_total', 'eth9')).toBe(15);
      expect(value(fams, 'node_network_receive_nohandler_total', 'eth9')).toBe(STAT_FILES.indexOf('rx_nohandler') + 1);
    } finally {
      rmSync(live, { recursive: true, force: true });
    }
  });

  it('skips a device whose statistics vanished between listing and reading', async () => {
    const live = fakeLiveSys(['lo', 'gone0']);
    rmSync(join(live, 'class', 'net', 'gone0', 'statistics'), { recursive: true });
    const log = recordingLog();
    try {
      const fams = await collectAll(createNetdevCollector({ ...base, detailedMetrics: true, liveSysPath: live }), fixtureContext(root, log));
      expect(value(fams, 'node_network_receive_errors_total', 'gone0')).toBeUndefined();
      expect(value(fams, 'node_network_receive_errors_total', 'lo')).toBeDefined();
      expect(log.lines).toContainEqual(expect.objectContaining({ level: 'debug', meta: expect.objectContaining({ device: 'gone0' }) }));
    } finally {
      rmSync(live, { recursive: true, force: true });
    }
  });

  it.each([
    ['a garbled statistics file', (live: string) => writeFileSync(join(live, 'class', 'net', 'lo', 'statistics', 'rx_bytes'), 'many\n'), 'RXP_PROC_PARSE'],
    ['no class/net at all', (live: string) => rmSync(join(live, 'class'), { recursive: true }), 'RXP_PROC_MISSING'],
  ])('fails the cycle on %s', async (_n, edit, code) => {
    const live = fakeLiveSys(['lo']);
    edit(live);
    try {
      const err = await collectAll(createNetdevCollector({ ...base, detailedMetrics: true, liveSysPath: live }), fixtureContext(root)).catch((e: unknown) => e);
      expect(err).toBeInstanceOf(RxporterError);
      expect(err).toMatchObject({ code });
    } finally {
      rmSync(live, { recursive: true, force: true });
    }
  });

  it('rejects device-include with device-exclude, and a deprecated flag with its successor', () => {
    expect(() => netdevDefinition.create({ deviceInclude: 'a', deviceExclude: 'b' })).toThrow(/mutually exclusive/);
    expect(() => netdevDefinition.create({ deviceInclude: 'a', deviceWhitelist: 'b' })).toThrow(/mutually exclusive/);
  });

  it('legacyNetDevNames leaves /proc/net/dev names alone but renames errors and drops', () => {
    const m = new Map([['receive_errors', 1], ['receive_dropped', 2], ['receive_fifo', 3]]);
    legacyNetDevNames(m);
    expect([...m]).toEqual([['receive_fifo', 3], ['receive_errs', 1], ['receive_drop', 2]]);
  });

  it.each([
    ['127.0.0.1', 'IPv4', 'link-local'],
    ['169.254.3.4', 'IPv4', 'link-local'],
    ['10.1.2.3', 'IPv4', 'global'],
    ['::1', 'IPv6', 'link-local'],
    ['fe80::1', 'IPv6', 'link-local'],
    ['2001:db8::1', 'IPv6', 'global'],
  ] as const)('scopes %s as %s', (a, fam, scope) => expect(addressScope(a, fam)).toBe(scope));
});
