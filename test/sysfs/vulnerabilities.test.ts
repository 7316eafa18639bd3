import { parseVulnerability } from '../../src/sysfs/vulnerabilities';

describe('parseVulnerability', () => {
  it.each([
    ['Not affected\n', 'not affected', ''],
    ['Vulnerable\n', 'vulnerable', ''],
    ['Vulnerable: Clear CPU buffers attempted, no microcode\n', 'vulnerable', 'Clear CPU buffers attempted, no microcode'],
    ['Mitigation: usercopy/swapgs barriers and __user pointer sanitization\n', 'mitigation', 'usercopy/swapgs barriers and __user pointer sanitization'],
    ['Unknown: No mitigations\n', 'unknown', 'No mitigations'],
    ['KVM: Mitigation: Split huge pages\n', 'unknown', 'KVM: Mitigation: Split huge pages'],
    ['', 'unknown', ''],
  ])('reads %j as state %j, mitigation %j', (text, state, mitigation) => {
    expect(parseVulnerability('x', text)).toEqual({ codename: 'x', state, mitigation });
  });
});
