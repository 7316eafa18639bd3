import { rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { adminState, createNetclassCollector, netclassDefinition } from '../../src/collectors/netclass';
import { RxporterError } from '../../src/errors';
import { collectOnEditedCopy, copyNeFixtures, expectUpstreamConformance, recordingLog, removeNeFixtures } from '../support/neFixtures';

/** node_network_* families that netclass owns (the *_total statistics are netdev's, node_network_up/info are ours). */
const NAMES = /^node_network_(?!(receive|transmit)_.*_total$|address_info$)/;
const upstream = createNetclassCollector({ ignoredDevices: '(dmz|int)', ignoreInvalidSpeed: true });
const NET = (root: string, ...p: string[]) => join(root, 'sys', 'class', 'net', ...p);
const devices = (fams: { samples: readonly { labels: Record<string, string> }[] }[] | undefined) =>
  [...new Set(fams!.flatMap((f) => f.samples.map((s) => s.labels.device)))].sort();

describe('netclass collector', () => {
  let root: string;
  beforeAll(() => {
    root = copyNeFixtures(['sys']);
  });
  afterAll(() => removeNeFixtures(root));

  it("matches node_exporter's e2e output on upstream's fixtures (with its flags), sample for sample", async () => {
    await expectUpstreamConformance(upstream, root, NAMES, 37);
  });

  it('exports negative speeds unless --collector.netclass.ignore-invalid-speed', async () => {
    const c = createNetclassCollector({ ignoredDevices: '^$', ignoreInvalidSpeed: false });
    const r = await collectOnEditedCopy(c, ['sys'], () => undefined);
    const speed = r.families!.find((f) => f.name === 'node_network_speed_bytes')!;
    expect(speed.samples.find((s) => s.labels.device === 'bond0')?.value).toBe(-125000);
    expect(devices(r.families)).toEqual(['bond0', 'dmz', 'eth0', 'int']);
  });

  it('declares node_exporter’s flags and defaults', () => {
    expect(Object.values(netclassDefinition.options!).map((o) => [o.arg, o.default])).toEqual([
      ['collector.netclass.ignored-devices', '^$'],
      ['collector.netclass.ignore-invalid-speed', false],
      ['collector.netclass.netlink', false],
    ]);
  });

  it('leaves out a property whose value does not parse, as procfs does', async () => {
    const r = await collectOnEditedCopy(upstream, ['sys'], (root) => writeFileSync(NET(root, 'bond0', 'mtu'), 'lots\n'));
    const mtu = r.families!.find((f) => f.name === 'node_network_mtu_bytes')!;
    expect(mtu.samples.map((s) => s.labels.device)).toEqual(['eth0']);
  });

  it('skips an interface that vanished between listing and reading, with a debug line', async () => {
    const log = recordingLog();
    // eth0 is a symlink into /sys/devices: removing its target leaves it dangling, as when the device goes away.
    const r = await collectOnEditedCopy(upstream, ['sys'], (root) => rmSync(join(root, 'sys', 'devices', 'pci0000:00', '0000:00:03.0', '0000:03:00.0', 'net'), { recursive: true }), log);
    expect(devices(r.families)).toEqual(['bond0']);
    expect(log.lines).toContainEqual(expect.objectContaining({ level: 'debug', meta: expect.objectContaining({ device: 'eth0' }) }));
  });

  it('reports RXP_NO_DATA when /sys/class/net is absent', async () => {
    const r = await collectOnEditedCopy(upstream, ['sys'], (root) => rmSync(join(root, 'sys', 'class', 'net'), { recursive: true }));
    expect(r.error).toBeInstanceOf(RxporterError);
    expect(r.error).toMatchObject({ code: 'RXP_NO_DATA' });
  });

  it.each([
    [0x1303, 'up'],
    [0x1302, 'down'],
    [undefined, 'unknown'],
  ])('reads admin state %s as %s', (flags, state) => expect(adminState(flags)).toBe(state));
});
