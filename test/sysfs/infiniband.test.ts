import { parseInfinibandCounter, parseInfinibandRate, parseInfinibandState } from '../../src/sysfs/infiniband';

describe('parseInfinibandState', () => {
  it.each([
    ['4: ACTIVE\n', 4],
    ['5: LinkUp', 5],
    [' 1 :DOWN', 1],
  ])('reads %j as %d', (text, id) => expect(parseInfinibandState(text)).toBe(id));

  it.each([['ACTIVE'], [''], ['x: ACTIVE'], ['1: a: b'], ['-1: DOWN'], ['4294967296: BIG']])('rejects %j', (text) => {
    expect(() => parseInfinibandState(text)).toThrow(expect.objectContaining({ code: 'RXP_PROC_PARSE' }));
  });
});

describe('parseInfinibandRate', () => {
  it.each([
    ['40 Gb/sec (4X QDR)\n', 5e9],
    ['10 Gb/sec (4X)', 1.25e9],
    ['2.5 Gb/sec (1X SDR)', 312500000],
    // float32 rounding as procfs: 14.0625 is exact, 0.1 is not
    ['0.1 Gb/sec', Math.trunc(Math.fround(0.1) * 125000000)],
  ])('reads %j as %d bytes/s', (text, v) => expect(parseInfinibandRate(text)).toBe(v));

  it.each([['40'], [''], ['fast Gb/sec'], ['0x10 Gb/sec']])('rejects %j', (text) => {
    expect(() => parseInfinibandRate(text)).toThrow(/invalid rate/);
  });
});

describe('parseInfinibandCounter', () => {
  it.each([
    ['link_downed', '7', 7],
    ['port_rcv_data', '4631917', 4631917 * 4],
    ['port_xmit_data_64', '3733440', 3733440 * 4],
    ['link_downed', '0x10', 16],
    ['port_rcv_data', '18446744073709551615', Number((18446744073709551615n * 4n) % 2n ** 64n)],
    ['symbol_error', 'N/A (no PMA)', undefined],
  ])('reads %s = %j', (file, text, v) => expect(parseInfinibandCounter(file, text)).toBe(v));

  it.each([['link_downed', '-1'], ['link_downed', ''], ['link_downed', '12 kB']])('rejects %s = %j', (file, text) => {
    expect(() => parseInfinibandCounter(file, text)).toThrow(/invalid counter/);
  });
});
