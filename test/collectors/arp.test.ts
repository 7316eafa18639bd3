import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { arpDefinition, createArpCollector } from '../../src/collectors/arp';
import { RxporterError } from '../../src/errors';
import { parseArp } from '../../src/procfs/arp';
import { collectAll, collectWithFile, copyNeFixtures, expectUpstreamConformance, fixtureContext, removeNeFixtures } from '../support/neFixtures';

describe('arp collector', () => {
  let root: string;
  beforeAll(() => {
    root = copyNeFixtures(['proc']);
  });
  afterAll(() => removeNeFixtures(root));

  it("matches node_exporter's e2e output with upstream's flags (--no-collector.arp.netlink, device-exclude=nope)", async () => {
    await expectUpstreamConformance(arpDefinition.create({ deviceExclude: 'nope', netlink: false }), root, /^node_arp_/, 2);
  });

  it('reads the live /proc/net/arp in netlink mode, whatever --path.procfs says', async () => {
    const live = copyNeFixtures(['proc']);
    try {
      writeFileSync(join(live, 'proc', 'net', 'arp'), 'IP address HW type Flags HW address Mask Device\n10.1.1.1 0x1 0x2 00:11:22:33:44:55 * wlan7\n');
      const c = createArpCollector({ deviceInclude: '', deviceExclude: '', netlink: true, liveProcPath: join(live, 'proc') });
      const fams = await collectAll(c, fixtureContext(root));
      expect(fams[0].samples).toEqual([{ labels: { device: 'wlan7' }, value: 1 }]);
    } finally {
      removeNeFixtures(live);
    }
  });

  it('honours device-include', async () => {
    const fams = await collectAll(arpDefinition.create({ deviceInclude: '^eth1$', netlink: false }), fixtureContext(root));
    expect(fams[0].samples).toEqual([{ labels: { device: 'eth1' }, value: 3 }]);
  });

  it('declares node_exporter’s flags', () => {
    expect(Object.values(arpDefinition.options!).map((o) => [o.arg, o.default])).toEqual([
      ['collector.arp.device-include', ''],
      ['collector.arp.device-exclude', ''],
      ['collector.arp.netlink', true],
    ]);
  });

  it.each([
    ['net/arp is absent', null, 'RXP_PROC_MISSING'],
    ['a line is truncated', 'IP address HW type Flags HW address Mask Device\n10.0.0.1 0x1 0x2\n', 'RXP_PROC_PARSE'],
    ['a MAC is garbled', '10.0.0.1 0x1 0x2 zz:aa:dd:ee:aa:bb * eth0\n', 'RXP_PROC_PARSE'],
  ])('fails the cycle when %s', async (_n, content, code) => {
    const r = await collectWithFile(arpDefinition.create({ netlink: false }), ['proc'], ['proc', 'net', 'arp'], content);
    expect(r.error).toBeInstanceOf(RxporterError);
    expect(r.error).toMatchObject({ code });
  });
});

describe('parseArp', () => {
  it('accepts an empty file and a header alone', () => {
    expect(parseArp('')).toEqual([]);
    expect(parseArp('IP address       HW type     Flags       HW address            Mask     Device\n')).toEqual([]);
  });
  it.each([['0x100 flags', '10.0.0.1 0x1 0x100 00:11:22:33:44:55 * eth0'], ['mixed separators', '10.0.0.1 0x1 0x2 00:11-22:33:44:55 * eth0']])('rejects %s', (_n, line) => {
    expect(() => parseArp(line)).toThrow(/invalid line/);
  });
});
