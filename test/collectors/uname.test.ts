import { readFileSync } from 'node:fs';
import { release } from 'node:os';
import { readUtsname, uname, unameFamily } from '../../src/collectors/uname';
import { collectAll, fixtureContext } from '../support/neFixtures';

describe('uname collector', () => {
  it('exports the kernel uname(2) fields as labels of node_uname_info', async () => {
    const [fam] = await collectAll(uname, fixtureContext('/nonexistent'));
    expect(fam.name).toBe('node_uname_info');
    expect(fam.help).toBe('Labeled system information as provided by the uname system call.');
    expect(fam.samples[0].value).toBe(1);
    expect(Object.keys(fam.samples[0].labels).sort()).toEqual(['domainname', 'machine', 'nodename', 'release', 'sysname', 'version']);
  });

  it("reads this kernel's fields, the NIS domain from the host's procfs", () => {
    const u = readUtsname();
    expect(u.sysname).toBe('Linux');
    expect(u.release).toBe(release());
    expect(u.release).toBe(readFileSync('/proc/sys/kernel/osrelease', 'utf8').trim());
    expect(u.version).toBe(readFileSync('/proc/sys/kernel/version', 'utf8').trim());
    expect(u.nodename).toBe(readFileSync('/proc/sys/kernel/hostname', 'utf8').trim());
    expect(u.domainname).toBe(readFileSync('/proc/sys/kernel/domainname', 'utf8').trim());
  });

  it('builds the family from given fields', () => {
    const u = { sysname: 'Linux', release: '6.1.0', version: '#1 SMP', machine: 'x86_64', nodename: 'box', domainname: '(none)' };
    expect(unameFamily(u).samples).toEqual([{ labels: u, value: 1 }]);
  });
});
