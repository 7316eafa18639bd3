import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { readCgroupFile } from '../../src/cgroup/read';
import { thrownCode } from '../support/edge';

describe('readCgroupFile', () => {
  let dir: string;
  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), 'rxp-cgread-'));
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('reads a small file in one go and a file larger than its buffer to the end', () => {
    writeFileSync(join(dir, 'small'), 'usage_usec 1\n');
    const big = 'x'.repeat(40 * 1024 + 7);
    writeFileSync(join(dir, 'big'), big);
    expect(readCgroupFile(join(dir, 'small'))).toBe('usage_usec 1\n');
    expect(readCgroupFile(join(dir, 'big'))).toBe(big);
    expect(readCgroupFile('/proc/self/status')).toMatch(/^Name:/);
  });

  it('returns undefined for a missing file or cgroup and throws RXP_PROC_READ for other failures', () => {
    expect(readCgroupFile(join(dir, 'nope'))).toBeUndefined();
    expect(readCgroupFile(join(dir, 'nope/memory.stat'))).toBeUndefined();
    expect(thrownCode(() => readCgroupFile(dir))).toBe('RXP_PROC_READ'); // EISDIR
  });
});
