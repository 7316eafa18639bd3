import { parseSoftnet } from '../../src/procfs/softnet';
import { parseXfrmStat } from '../../src/procfs/xfrmStat';

const cols = (n: number, last = '') => `${Array.from({ length: n }, (_, i) => (i + 1).toString(16).padStart(8, '0')).join(' ')}${last}`;

describe('parseSoftnet', () => {
  it('numbers CPUs by line before Linux 5.14 and reads the index column after', () => {
    expect(parseSoftnet(`${cols(11)}\n${cols(11)}\n`).map((s) => s.index)).toEqual([0, 1]);
    const s = parseSoftnet(`${cols(12)} 00000007\n`)[0];
    expect(s).toEqual({ processed: 1, dropped: 2, timeSqueezed: 3, cpuCollision: 9, receivedRps: 10, flowLimitCount: 11, backlogLen: 12, index: 7 });
  });

  it('reads a 2.6.23 line of 9 columns with zeros for the newer ones', () => {
    expect(parseSoftnet(`${cols(9)}\n`)[0]).toMatchObject({ receivedRps: 0, flowLimitCount: 0, backlogLen: 0 });
  });

  it('accepts an empty file', () => expect(parseSoftnet('')).toEqual([]));

  it.each([
    ['a truncated line', `${cols(8)}\n`, /at least 9/],
    ['a non-hex column', `${cols(8)} zz\n`, /invalid value/],
    ['a column over 32 bits', `${cols(8)} 100000000\n`, /invalid value/],
  ])('rejects %s', (_n, text, msg) => expect(() => parseSoftnet(text)).toThrow(msg));
});

describe('parseXfrmStat', () => {
  it('reads name/value lines', () => {
    expect([...parseXfrmStat('XfrmInError   1\nXfrmFutureError -2\n')]).toEqual([['XfrmInError', 1], ['XfrmFutureError', -2]]);
  });

  it.each([['one field', 'XfrmInError\n'], ['three fields', 'XfrmInError 1 2\n'], ['a non-number', 'XfrmInError 1.5\n']])('rejects %s', (_n, text) => {
    expect(() => parseXfrmStat(text)).toThrow(expect.objectContaining({ code: 'RXP_PROC_PARSE' }));
  });
});
