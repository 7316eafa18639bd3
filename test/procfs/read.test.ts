import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { joinPath, readFileText, readProcText, withoutStacks } from '../../src/procfs/read';
import { RxporterError } from '../../src/errors';

describe('joinPath', () => {
  const roots = ['/proc', '/', '.', '..', '../x', 'fixtures/a', '/a/', '/a//b', '/a/./b', '', 'a/../b'];
  const rels = ['stat', 'net/dev', './x', '../y', 'a//b', 'a/', '/abs', '', 'a/./b', '.hidden', 'x/.y', 'devices/pci0000:00/0000:00:01.0'];
  it.each(roots.flatMap((r) => rels.map((l) => [r, l])))('joins %j and %j as path.join does', (root, rel) => {
    expect(joinPath(root, rel)).toBe(join(root, rel));
  });
});

describe('readProcText', () => {
  let dir: string;
  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), 'rxp-read-'));
    writeFileSync(join(dir, 'small'), 'cpu 1 2 3\n');
    writeFileSync(join(dir, 'big'), `${'ü'.repeat(100000)}end\n`); // larger than the shared buffer
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('reads a small file, a file larger than its buffer, and a small one again', () => {
    expect(readProcText(dir, 'small')).toBe('cpu 1 2 3\n');
    expect(readProcText(dir, 'big')).toBe(`${'ü'.repeat(100000)}end\n`);
    expect(readProcText(dir, 'small')).toBe('cpu 1 2 3\n');
  });

  it('reads whole files when a short read ends them, the live /proc/self/status included', () => {
    expect(readFileText(join(dir, 'big'), true)).toBe(`${'ü'.repeat(100000)}end\n`);
    expect(readFileText(join(dir, 'small'), true)).toBe('cpu 1 2 3\n');
    expect(readFileText('/proc/self/status', true)).toMatch(/\nvoluntary_ctxt_switches:\s+\d+\nnonvoluntary_ctxt_switches:\s+\d+\n$/);
  });

  it('throws RXP_PROC_MISSING with the ENOENT cause for a missing file, and keeps stack traces on', () => {
    const limit = Error.stackTraceLimit;
    let err: unknown;
    try {
      readProcText(dir, 'nope');
    } catch (e) {
      err = e;
    }
    expect(err).toBeInstanceOf(RxporterError);
    expect((err as RxporterError).code).toBe('RXP_PROC_MISSING');
    expect(((err as RxporterError).cause as NodeJS.ErrnoException).code).toBe('ENOENT');
    expect(Error.stackTraceLimit).toBe(limit);
  });

  it('throws RXP_PROC_READ for a directory', () => {
    expect(() => readProcText(dir, '.')).toThrow(expect.objectContaining({ code: 'RXP_PROC_READ' }));
  });
});

describe('withoutStacks', () => {
  it('restores the stack trace limit after a throw', () => {
    const limit = Error.stackTraceLimit;
    expect(() => withoutStacks(() => { throw new Error('x'); })).toThrow('x');
    expect(Error.stackTraceLimit).toBe(limit);
  });
});
