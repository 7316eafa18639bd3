import { formatIpv6, parseIpvsAddress, parseIpvsBackends, parseIpvsStats } from '../../src/procfs/ipvs';

describe('parseIpvsStats', () => {
  it('reads the five hexadecimal totals of the third line', () => {
    const s = parseIpvsStats('   Total Incoming\n   Conns  Packets\n 16AA370 E33656E5        0     51D8C8883AB3                0\n\n');
    expect(s).toEqual({ connections: 0x16aa370, incomingPackets: 0xe33656e5, outgoingPackets: 0, incomingBytes: 0x51d8c8883ab3, outgoingBytes: 0 });
  });

  it.each([
    ['an empty file', ''],
    ['four fields', 'a\nb\n 1 2 3 4\n\n'],
    ['a non-hex field', 'a\nb\n 1 2 3 4 G\n\n'],
  ])('rejects %s', (_n, text) => expect(() => parseIpvsStats(text)).toThrow(expect.objectContaining({ code: 'RXP_PROC_PARSE' })));
});

describe('parseIpvsAddress', () => {
  it.each([
    ['C0A80016:0CEA', '192.168.0.22', 3306],
    ['[2620:0000:0000:0000:0000:0000:0000:0001]:0050', '2620::1', 80],
    ['[0000:0000:0000:0000:0000:ffff:0a00:0001]:0050', '10.0.0.1', 80],
    ['[2001:0db8:0000:0001:0000:0000:0000:0001]:01BB', '2001:db8:0:1::1', 443],
  ])('reads %s', (s, address, port) => expect(parseIpvsAddress(s, s)).toEqual({ address, port }));

  it.each([['C0A8001:0CEA'], ['ZZA80016:0CEA'], ['C0A80016:0CEG'], ['[2620:0000]:0050']])('rejects %s', (s) => {
    expect(() => parseIpvsAddress(s, s)).toThrow(expect.objectContaining({ code: 'RXP_PROC_PARSE' }));
  });
});

describe('formatIpv6', () => {
  it.each([
    [[0, 0, 0, 0, 0, 0, 0, 0], '::'],
    [[0, 0, 0, 0, 0, 0, 0, 1], '::1'],
    [[1, 0, 1, 0, 0, 1, 0, 0], '1:0:1::1:0:0'],
    [[0x2001, 0xdb8, 0, 0, 1, 0, 0, 1], '2001:db8::1:0:0:1'],
    [[1, 2, 3, 4, 5, 6, 7, 8], '1:2:3:4:5:6:7:8'],
  ])('formats %j as %s', (g, s) => expect(formatIpv6(g)).toBe(s));
});

describe('parseIpvsBackends', () => {
  it('skips headers and short lines and keeps the firewall mark', () => {
    const b = parseIpvsBackends('IP Virtual Server\nProt LocalAddress:Port\n  -> RemoteAddress:Port Forward\nFWM  10001000 wlc\n  -> C0A8321A:0CEA Tunnel 20 64 1\n  -> C0A8321A:0CEA Tunnel\nx\n');
    expect(b).toEqual([
      { localAddress: '', localPort: 0, localMark: '10001000', remoteAddress: '192.168.50.26', remotePort: 3306, proto: 'FWM', weight: 20, activeConn: 64, inactConn: 1 },
    ]);
  });
});
