import { cleanMetricName, explodeSensorFilename, toValidUtf8 } from '../../src/sysfs/hwmon';

describe('explodeSensorFilename', () => {
  it.each([
    ['temp1_input', { type: 'temp', num: 1, property: 'input' }],
    ['temp1_crit_alarm', { type: 'temp', num: 1, property: 'crit_alarm' }],
    ['pwm1_auto_point2_pwm', { type: 'pwm', num: 1, property: 'auto_point2_pwm' }],
    ['beep_enable', { type: 'beep_enable', num: 0, property: '' }],
    ['fan12', { type: 'fan', num: 12, property: '' }],
    ['name', { type: 'name', num: 0, property: '' }],
    ['1abc', undefined],
    ['in0_', undefined],
    ['temp1x', undefined],
    ['', undefined],
  ])('splits %j', (name, want) => {
    expect(explodeSensorFilename(name)).toEqual(want);
  });
});

describe('cleanMetricName', () => {
  it.each([
    ['coretemp.0', 'coretemp_0'],
    ['Asus-NB-WMI', 'asus_nb_wmi'],
    ['__x__\n', 'x'],
    ['a:b', 'a:b'],
    ['ünï', 'n'],
    ['', ''],
  ])('cleans %j to %j', (raw, want) => {
    expect(cleanMetricName(raw)).toBe(want);
  });
});

describe('toValidUtf8', () => {
  it.each([
    ['valid text', Buffer.from('Core 0'), 'Core 0'],
    ['a run of invalid bytes as one U+FFFD', Buffer.from([0x61, 0xff, 0xfe, 0x62]), 'a\uFFFDb'],
    ['a truncated multibyte sequence', Buffer.from([0x61, 0xe2, 0x82]), 'a\uFFFD'],
    ['a control byte kept', Buffer.from([0x1c, 0x41]), '\u001cA'],
    ['multibyte characters kept', Buffer.from('°C'), '°C'],
    ['a surrogate encoding rejected', Buffer.from([0xed, 0xa0, 0x80]), '\uFFFD'],
  ])('keeps %s', (_n, b, want) => {
    expect(toValidUtf8(b)).toBe(want);
  });
});
