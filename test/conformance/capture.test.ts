import { chmodSync, existsSync, lstatSync, mkdirSync, mkdtempSync, readFileSync, readlinkSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { captureHost } from '../../tools/conformance/capture';

/** Builds a small fake /proc and /sys with the shapes the capture must handle. */
function fakeHost(root: string): { proc: string; sys: string } {
  const proc = join(root, 'proc');
  const sys = join(root, 'sys');
  const file = (p: string, text: string | Buffer) => {
    mkdirSync(join(p, '..'), { recursive: true });
    writeFileSync(p, text);
  };
  file(join(proc, 'meminfo'), 'MemTotal: 1 kB\n');
  file(join(proc, '1', 'mounts'), '/dev/vda / ext4 rw 0 0\n');
  file(join(proc, '1', 'environ'), 'SECRET=1\n'); // per-process file not listed: never copied
  file(join(proc, '42', 'stat'), '42 (x) S\n');
  file(join(proc, 'pressure', 'cpu'), 'some avg10=0.00\n');
  file(join(proc, 'pressure', 'deep', 'too', 'far'), 'x\n');
  file(join(proc, 'zoneinfo'), Buffer.alloc(2048, 0x41)); // over the test's 1 KiB bound
  symlinkSync('self/mounts', join(proc, 'mounts'));
  file(join(sys, 'devices', 'virtual', 'net', 'lo', 'mtu'), '65536\n');
  file(join(sys, 'devices', 'virtual', 'net', 'lo', 'statistics', 'rx_bytes'), '7\n');
  file(join(sys, 'devices', 'virtual', 'net', 'lo', 'power', 'control'), 'auto\n');
  file(join(sys, 'devices', 'virtual', 'net', 'lo', 'queues', 'rx-0', 'rps_cpus'), '0\n');
  file(join(sys, 'devices', 'virtual', 'net', 'lo', 'deep', 'a', 'b'), 'too deep\n');
  file(join(sys, 'devices', 'virtual', 'net', 'lo', 'writeonly'), '');
  chmodSync(join(sys, 'devices', 'virtual', 'net', 'lo', 'writeonly'), 0o200);
  mkdirSync(join(sys, 'class', 'net'), { recursive: true });
  symlinkSync('../../devices/virtual/net/lo', join(sys, 'class', 'net', 'lo'));
  symlinkSync('/etc/passwd', join(sys, 'class', 'net', 'escape'));
  symlinkSync('../../devices/virtual/net/gone', join(sys, 'class', 'net', 'gone'));
  file(join(sys, 'devices', 'platform', 'coretemp.0', 'name'), 'coretemp\n');
  file(join(sys, 'devices', 'platform', 'coretemp.0', 'hwmon', 'hwmon0', 'temp1_input'), '40000\n');
  symlinkSync('../../../coretemp.0', join(sys, 'devices', 'platform', 'coretemp.0', 'hwmon', 'hwmon0', 'device'));
  mkdirSync(join(sys, 'class', 'hwmon'), { recursive: true });
  symlinkSync('../../devices/platform/coretemp.0/hwmon/hwmon0', join(sys, 'class', 'hwmon', 'hwmon0'));
  file(join(sys, 'devices', 'unrelated', 'big'), 'not listed\n');
  return { proc, sys };
}

describe('captureHost', () => {
  let root: string;
  let dest: string;
  let report: ReturnType<typeof captureHost>;

  beforeAll(() => {
    root = mkdtempSync(join(tmpdir(), 'rxp-capture-'));
    const { proc, sys } = fakeHost(join(root, 'host'));
    dest = join(root, 'out');
    report = captureHost({
      dest,
      procPath: proc,
      sysPath: sys,
      maxFileBytes: 1024,
      procRoots: [{ path: 'meminfo' }, { path: '1/mounts' }, { path: 'mounts' }, { path: 'zoneinfo' }, { path: 'missing' }, { path: 'pressure', depth: 1 }],
      sysRoots: [
        { path: 'class/net', depth: 1, follow: true, targetDepth: 2, exclude: /^(power|queues)$/ },
        { path: 'class/hwmon', depth: 1, follow: true, targetDepth: 1, followNames: ['device'] },
      ],
    });
  });

  afterAll(() => rmSync(root, { recursive: true, force: true }));

  const out = (...p: string[]) => join(dest, ...p);

  it('copies the listed files byte for byte and no per-process files', () => {
    expect(readFileSync(out('proc', 'meminfo'), 'utf8')).toBe('MemTotal: 1 kB\n');
    expect(readFileSync(out('proc', '1', 'mounts'), 'utf8')).toBe('/dev/vda / ext4 rw 0 0\n');
    expect(existsSync(out('proc', '1', 'environ'))).toBe(false);
    expect(existsSync(out('proc', '42'))).toBe(false);
  });

  it('keeps symlinks as relative links', () => {
    expect(readlinkSync(out('proc', 'mounts'))).toBe('self/mounts');
    expect(readlinkSync(out('sys', 'class', 'net', 'lo'))).toBe('../../devices/virtual/net/lo');
    expect(readFileSync(out('sys', 'class', 'net', 'lo', 'mtu'), 'utf8')).toBe('65536\n');
  });

  it('follows class links to their device directories, within the depth and exclusions', () => {
    expect(readFileSync(out('sys', 'devices', 'virtual', 'net', 'lo', 'statistics', 'rx_bytes'), 'utf8')).toBe('7\n');
    expect(existsSync(out('sys', 'devices', 'virtual', 'net', 'lo', 'power'))).toBe(false);
    expect(existsSync(out('sys', 'devices', 'virtual', 'net', 'lo', 'queues'))).toBe(false);
    expect(existsSync(out('sys', 'devices', 'virtual', 'net', 'lo', 'deep', 'a', 'b'))).toBe(false);
    expect(existsSync(out('sys', 'devices', 'unrelated'))).toBe(false);
  });

  it("follows hwmon's device link by name, one level", () => {
    expect(readFileSync(out('sys', 'class', 'hwmon', 'hwmon0', 'temp1_input'), 'utf8')).toBe('40000\n');
    expect(lstatSync(out('sys', 'devices', 'platform', 'coretemp.0', 'hwmon', 'hwmon0', 'device')).isSymbolicLink()).toBe(true);
    expect(readFileSync(out('sys', 'class', 'hwmon', 'hwmon0', 'device', 'name'), 'utf8')).toBe('coretemp\n');
  });

  it('keeps a dangling relative link, drops an absolute one that leaves the tree', () => {
    expect(readlinkSync(out('sys', 'class', 'net', 'gone'))).toBe('../../devices/virtual/net/gone');
    expect(existsSync(out('sys', 'class', 'net', 'escape'))).toBe(false);
    expect(report.outside).toEqual(['sys/class/net/escape']);
  });

  it('bounds directory depth, skips big and write-only files, reports absent roots', () => {
    expect(readFileSync(out('proc', 'pressure', 'cpu'), 'utf8')).toBe('some avg10=0.00\n');
    expect(existsSync(out('proc', 'pressure', 'deep', 'too'))).toBe(false);
    expect(existsSync(out('proc', 'zoneinfo'))).toBe(false);
    expect(report.tooBig).toEqual(['proc/zoneinfo']);
    expect(existsSync(out('sys', 'devices', 'virtual', 'net', 'lo', 'writeonly'))).toBe(false);
    expect(report.absent).toEqual(['proc/missing']);
  });

  it('counts what it wrote', () => {
    expect(report.files).toBe(7);
    expect(report.symlinks).toBe(5);
    expect(report.bytes).toBe(
      ['MemTotal: 1 kB\n', '/dev/vda / ext4 rw 0 0\n', 'some avg10=0.00\n', '65536\n', '7\n', '40000\n', 'coretemp\n'].join('').length,
    );
  });

  it('stops copying files once the total bound is reached', () => {
    const { proc, sys } = { proc: join(root, 'host', 'proc'), sys: join(root, 'host', 'sys') };
    const r = captureHost({ dest: join(root, 'small'), procPath: proc, sysPath: sys, maxTotalBytes: 10, procRoots: [{ path: 'meminfo' }, { path: '1/mounts' }], sysRoots: [] });
    expect(r.files).toBe(1);
    expect(r.overBudget).toEqual(['proc/1/mounts']);
  });
});
