import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { drbdNumber, parseDrbd } from '../../src/procfs/drbd';
import { thrownCode } from '../support/edge';
import { upstreamDir } from '../support/upstream';

describe('parseDrbd', () => {
  it('attributes each pair to its device', () => {
    const f = parseDrbd(readFileSync(join(upstreamDir(), 'fixtures/proc/drbd'), 'utf8'));
    expect(f.find((x) => x.key === 'cs')).toEqual({ device: 'drbd1', key: 'cs', value: 'Connected' });
    expect(f.find((x) => x.key === 'ns')).toEqual({ device: 'drbd1', key: 'ns', value: '17324442' });
    expect(f.find((x) => x.key === 'version')).toEqual({ device: 'unknown', key: 'version', value: '' }); // not a device: its key is no number
  });

  it.each([
    ['an empty file', '', []],
    ['pairs before any device', 'ns:5', [{ device: 'unknown', key: 'ns', value: '5' }]],
    ['words with two colons (skipped)', '0: a:b:c ns:1', [{ device: 'drbd0', key: 'ns', value: '1' }]],
    ['a truncated pair', '0: ns', []],
  ])('reads %s', (_n, text, want) => {
    expect(parseDrbd(text)).toEqual(want);
  });

  it('rejects a non-number', () => {
    expect(thrownCode(() => drbdNumber({ device: 'drbd0', key: 'ns', value: 'x' }))).toBe('RXP_PROC_PARSE');
  });
});
