import { createSelinuxCollector, parseSelinuxConfigMode, readSelinux, selinuxFamilies, selinuxMount } from '../../src/collectors/selinux';
import { collectAll, fixtureContext } from '../support/neFixtures';

const files = (m: Record<string, string>) => (p: string): string => {
  if (p in m) return m[p];
  throw Object.assign(new Error(`ENOENT: ${p}`), { code: 'ENOENT' });
};

describe('selinux collector', () => {
  it.each([
    ['SELINUX=enforcing\n', 1],
    ['# comment\nSELINUXTYPE=targeted\nSELINUX="permissive"\n', 0],
    ['SELINUX=disabled\n', -1],
    ['', -1],
  ])('reads the configured mode of %j as %p', (text, mode) => expect(parseSelinuxConfigMode(text)).toBe(mode));

  it('reports enabled 0 only when SELinux is off', () => {
    expect(selinuxFamilies({ enabled: false, configMode: -1, currentMode: -1 })).toEqual([
      { name: 'node_selinux_enabled', help: 'SELinux is enabled, 1 is true, 0 is false', type: 'gauge', samples: [{ labels: {}, value: 0 }] },
    ]);
  });

  it('reads both modes when enabled; an unreadable enforce file is -1', () => {
    const read = files({ '/etc/selinux/config': 'SELINUX=enforcing\n', '/sel/enforce': '0' });
    expect(readSelinux('/sel', read)).toEqual({ enabled: true, configMode: 1, currentMode: 0 });
    expect(readSelinux('/sel', files({}))).toEqual({ enabled: true, configMode: -1, currentMode: -1 });
    expect(selinuxFamilies(readSelinux('/sel', read)).map((f) => [f.name, f.samples[0].value])).toEqual([
      ['node_selinux_enabled', 1],
      ['node_selinux_config_mode', 1],
      ['node_selinux_current_mode', 0],
    ]);
  });

  it('finds no selinuxfs when the kernel does not offer it', () => {
    expect(selinuxMount(files({ '/proc/filesystems': 'nodev\tsysfs\nnodev\tproc\n' }))).toBe('');
  });

  it.each([
    ['read-write at /sys/fs/selinux', '/sys/fs/selinux', 'rw', 'rw', '/sys/fs/selinux'],
    ['read-only per mount (go-selinux refuses it: ST_RDONLY)', '/sys/fs/selinux', 'ro', 'rw', ''],
    ['read-only in the superblock', '/sys/fs/selinux', 'rw', 'ro', ''],
    ['read-write elsewhere', '/selinux', 'rw,nosuid', 'rw', '/selinux'],
    ['read-only elsewhere', '/selinux', 'ro,nosuid', 'rw', ''],
  ])('takes a selinuxfs mounted %s as go-selinux does', (_n, mnt, opts, superOpts, want) => {
    const read = files({
      '/proc/filesystems': 'nodev\tsysfs\nnodev\tselinuxfs\n',
      '/proc/self/mountinfo': `21 1 8:1 / / rw - ext4 /dev/sda1 rw\n30 21 0:20 / ${mnt} ${opts} - selinuxfs selinuxfs ${superOpts}\n`,
      '/proc/thread-self/attr/current': 'system_u:system_r:node_exporter_t:s0\0',
    });
    expect(selinuxMount(read, (p) => (p === mnt ? 0xf97cff8c : 0xef53))).toBe(want);
  });

  it("runs on this host and reports what go-selinux would (this machine's state)", async () => {
    const fams = await collectAll(createSelinuxCollector(), fixtureContext('/nonexistent'));
    expect(fams[0].name).toBe('node_selinux_enabled');
    expect(fams).toHaveLength(fams[0].samples[0].value === 1 ? 3 : 1);
  });
});
