import { parseNetDev } from '../../src/procfs/netDev';
import { parseNetClassAttribute } from '../../src/sysfs/netClass';

const HEAD = 'Inter-|   Receive |  Transmit\n face |bytes packets|bytes\n';
const seq = (n: number) => Array.from({ length: n }, (_, i) => i + 1).join(' ');

describe('parseNetDev', () => {
  it('parses interfaces after the two header lines', () => {
    const d = parseNetDev(`${HEAD}    lo: ${seq(16)}\nveth:1: ${seq(16)}\n`);
    expect(d.map((l) => l.name)).toEqual(['lo', 'veth:1']);
    expect(d[0].stats.transmit_compressed).toBe(16);
  });

  it.each([
    ['an empty file', ''],
    ['headers only', HEAD],
  ])('accepts %s', (_n, text) => expect(parseNetDev(text)).toEqual([]));

  it.each([
    ['a truncated line', `${HEAD}  lo: 1 2 3\n`, /invalid line/],
    ['no colon', `${HEAD}  lo ${seq(16)}\n`, /invalid line/],
    ['an empty name', `${HEAD}  : ${seq(16)}\n`, /invalid line/],
    ['a non-number', `${HEAD}  lo: x ${seq(15)}\n`, /invalid value/],
  ])('rejects %s with RXP_PROC_PARSE', (_n, text, msg) => {
    expect(() => parseNetDev(text)).toThrow(msg);
    expect(() => parseNetDev(text)).toThrow(expect.objectContaining({ code: 'RXP_PROC_PARSE' }));
  });
});

describe('parseNetClassAttribute', () => {
  it.each([
    ['flags', '0x1303', 4867],
    ['speed', '-1', -1],
    ['mtu', '1500', 1500],
    ['mtu', '010', 8],
  ])('reads %s = %j as %d (ParseInt base 0)', (attr, text, v) => {
    const ints = new Map<string, number>();
    parseNetClassAttribute(attr, text, ints, new Map());
    expect(ints.get(attr)).toBe(v);
  });

  it('drops a number that does not parse and ignores unknown attributes', () => {
    const ints = new Map<string, number>();
    const texts = new Map<string, string>();
    parseNetClassAttribute('mtu', 'big', ints, texts);
    parseNetClassAttribute('uevent', 'x', ints, texts);
    parseNetClassAttribute('operstate', 'up', ints, texts);
    expect([...ints]).toEqual([]);
    expect([...texts]).toEqual([['operstate', 'up']]);
  });
});
