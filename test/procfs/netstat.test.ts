import { parseNetstatPairs, parseSnmp6 } from '../../src/procfs/netstat';

describe('parseNetstatPairs', () => {
  it('reads name/value line pairs per protocol, the last pair of a protocol winning', () => {
    const s = parseNetstatPairs('Tcp: RtoMin MaxConn\nTcp: 200 -1\nUdp: InErrors\nUdp: 5\nTcp: RtoMin\nTcp: 7\n', 'f');
    expect([...s.keys()]).toEqual(['Tcp', 'Udp']);
    expect([...s.get('Tcp')!]).toEqual([['RtoMin', 7]]);
  });

  it('accepts an empty file', () => expect(parseNetstatPairs('', 'f').size).toBe(0));

  it.each([
    ['a truncated pair', 'Tcp: A B\n', /field count mismatch/],
    ['an extra value', 'Tcp: A\nTcp: 1 2\n', /field count mismatch/],
    ['a header without protocol', ' A\n 1\n', /invalid header/],
    ['a non-number', 'Tcp: A\nTcp: one\n', /invalid value/],
    ['an empty value', 'Tcp: A B\nTcp: 1 \n', /invalid value/],
  ])('rejects %s with RXP_PROC_PARSE', (_n, text, msg) => {
    expect(() => parseNetstatPairs(text, 'f')).toThrow(msg);
    expect(() => parseNetstatPairs(text, 'f')).toThrow(expect.objectContaining({ code: 'RXP_PROC_PARSE' }));
  });
});

describe('parseSnmp6', () => {
  it('splits names at the first 6 and skips lines without one or without a value', () => {
    const s = parseSnmp6('Ip6InReceives   12\nUdpLite6InErrors 3\nbogus 1\nIcmp6InMsgs\n');
    expect([...s.get('Ip6')!]).toEqual([['InReceives', 12]]);
    expect([...s.get('UdpLite6')!]).toEqual([['InErrors', 3]]);
    expect(s.size).toBe(2);
  });

  it('rejects a non-number', () => expect(() => parseSnmp6('Ip6InReceives x\n')).toThrow(/invalid value/));
});
