import { readFileSync } from 'node:fs';
import { parseMounts, unescapeMountField } from '../../src/procfs/mounts';
import { fixture } from '../support/paths';

describe('parseMounts', () => {
  it('parses the mounts of a real machine', () => {
    const text = readFileSync(fixture('hosts', 'dev-vm-1', 'proc', '1', 'mounts'), 'utf8');
    const mounts = parseMounts(text);
    expect(mounts).toHaveLength(text.trim().split('\n').length);
    expect(mounts.find((m) => m.mountPoint === '/')).toMatchObject({ mountPoint: '/' });
    for (const m of mounts) expect(m.options.length).toBeGreaterThan(0);
  });

  it('skips garbage lines, reports them, and decodes octal escapes', () => {
    const bad: string[] = [];
    const mounts = parseMounts(readFileSync(fixture('edge', 'mounts', 'garbage-and-escapes'), 'utf8'), (l) => bad.push(l));
    expect(bad).toEqual(['garbage', 'only three fields']);
    expect(mounts.map((m) => m.mountPoint)).toEqual(['/', '/mnt/my disk', '/mnt/tab\tand\\slash', '/proc']);
    expect(mounts[1]).toEqual({ device: '/dev/sdb1', mountPoint: '/mnt/my disk', fsType: 'ext4', options: ['ro', 'nosuid'] });
  });

  it.each([
    ['an empty file', ''],
    ['only garbage', 'garbage\nmore garbage here\n'],
  ])('throws RXP_PROC_PARSE for %s', (_n, text) => {
    expect(() => parseMounts(text)).toThrow(expect.objectContaining({ code: 'RXP_PROC_PARSE' }) as Error);
  });

  it.each([
    ['/mnt/a\\040b', '/mnt/a b'],
    ['/plain', '/plain'],
    ['/x\\012y', '/x\ny'],
  ])('unescapes %s', (raw, want) => expect(unescapeMountField(raw)).toBe(want));
});
