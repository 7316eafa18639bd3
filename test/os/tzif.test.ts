import { existsSync, readFileSync } from 'node:fs';
import { loadLocalTzif, parsePosixTz, parseTzif, zoneAbbreviation } from '../../src/os/tzif';

const zoneinfo = (name: string) => `/usr/share/zoneinfo/${name}`;
const have = (name: string) => existsSync(zoneinfo(name));

describe('TZif zone names', () => {
  it.each([
    ['CET-1CEST,M3.5.0,M10.5.0/3', { std: 'CET', stdOffset: 3600, dst: 'CEST' }],
    ['UTC0', { std: 'UTC', stdOffset: 0, dst: undefined }],
    ['<+0330>-3:30', { std: '+0330', stdOffset: 12600, dst: undefined }],
    ['EST5EDT,M3.2.0,M11.1.0', { std: 'EST', stdOffset: -18000, dst: 'EDT' }],
  ])('parses the POSIX TZ string %j', (tz, want) => expect(parsePosixTz(tz)).toEqual(want));

  it('refuses data that is not TZif or is truncated', () => {
    expect(parseTzif(Buffer.from('not a zone file at all, certainly not TZif.....'))).toBeUndefined();
    expect(parseTzif(Buffer.from('TZif2'))).toBeUndefined();
  });

  it('names UTC for $TZ "" and "UTC" (no zone file), as Go', () => {
    expect(loadLocalTzif({ TZ: '' })).toBeUndefined();
    expect(loadLocalTzif({ TZ: 'UTC' })).toBeUndefined();
    expect(loadLocalTzif({ TZ: 'No/Such_Zone' })).toBeUndefined();
  });

  // The machine's tzdata: Debian's tzdata package ships these files.
  const berlin = have('Europe/Berlin') ? parseTzif(readFileSync(zoneinfo('Europe/Berlin'))) : undefined;
  it.each([
    [Date.UTC(2026, 0, 15) / 1000, 3600, 'CET'],
    [Date.UTC(2026, 6, 15) / 1000, 7200, 'CEST'],
    [Date.UTC(2045, 6, 15) / 1000, 7200, 'CEST'], // after the last transition: the footer decides
    [Date.UTC(1990, 0, 15) / 1000, 3600, 'CET'],
  ])('names Europe/Berlin at %p (offset %p) %j', (t, offset, want) => {
    expect(berlin).toBeDefined();
    expect(zoneAbbreviation(berlin!, t, offset)).toBe(want);
  });

  it('loads a zone named by $TZ, with or without a leading colon', () => {
    expect(loadLocalTzif({ TZ: ':Europe/Berlin' })?.footer).toBe('CET-1CEST,M3.5.0,M10.5.0/3');
    expect(loadLocalTzif({ TZ: 'Etc/UTC' })?.footer).toBe('UTC0');
  });
});
