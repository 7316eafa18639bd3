import { rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { createSysctlCollector, parseSysctlSpec, sanitizeMetricName, sysctlDefinition, sysctlFamilies } from '../../src/collectors/sysctl';
import { RxporterError } from '../../src/errors';
import { loadConfig } from '../../src/config/load';
import { collectAll, collectOnEditedCopy, copyNeFixtures, expectUpstreamConformance, fixtureContext, removeNeFixtures } from '../support/neFixtures';
import { thrown } from '../support/thrown';

// upstream's e2e flags: a repeated list flag, one value with commas in it
const UPSTREAM_FLAGS = [
  '--collector.sysctl.include-info=kernel.seccomp.actions_avail',
  '--collector.sysctl.include=fs.file-nr',
  '--collector.sysctl.include=fs.file-nr:total,current,max',
  '--collector.sysctl.include=kernel.threads-max',
];

describe('sysctl collector', () => {
  let root: string;
  beforeAll(() => {
    root = copyNeFixtures(['proc']);
  });
  afterAll(() => removeNeFixtures(root));

  it("matches node_exporter's e2e output on upstream's fixtures with upstream's repeated flags", async () => {
    const config = loadConfig({ args: ['--global.app-name=x', ...UPSTREAM_FLAGS] });
    const section = (config.collectors as unknown as Record<string, Record<string, unknown>>).sysctl;
    await expectUpstreamConformance(sysctlDefinition.create(section), root, /^node_sysctl_/, 15);
  });

  it('gets each repeated flag value whole, keys after the colon included', () => {
    const config = loadConfig({ args: ['--global.app-name=x', ...UPSTREAM_FLAGS] });
    const section = (config.collectors as unknown as Record<string, Record<string, unknown>>).sysctl;
    expect(section.include).toEqual(['fs.file-nr', 'fs.file-nr:total,current,max', 'kernel.threads-max']);
    expect(section.includeInfo).toEqual(['kernel.seccomp.actions_avail']);
  });

  it.each([
    ['fs.file-nr', 'fs_file_nr'],
    ['net.ipv4.conf.all.rp_filter', 'net_ipv4_conf_all_rp_filter'],
    ['a_.b', 'a_b'],
    ['a._b', 'a_b'],
    ['a.._.b', 'a__b'],
    ['__a..b__', '__a_b__'],
    ['x-_-y', 'x__y'],
  ])('sanitizes %j to %j', (name, want) => expect(sanitizeMetricName(name)).toBe(want));

  it.each([
    ['no values', parseSysctlSpec('x.y', true), []],
    ['one value but keys', parseSysctlSpec('x.y:a', true), [1]],
    ['more values than keys', parseSysctlSpec('x.y:a,b', true), [1, 2, 3]],
    ['mapped strings', parseSysctlSpec('x.y:a,b', false), ['p', 'q']],
  ])('fails like node_exporter for %s', (_n, spec, values) => {
    const e = thrown(() => sysctlFamilies(spec, values as number[]));
    expect(e).toBeInstanceOf(RxporterError);
    expect(e).toMatchObject({ code: 'RXP_PROC_PARSE' });
  });

  it('exports a one-value info sysctl with index 0', () => {
    expect(sysctlFamilies(parseSysctlSpec('kernel.hostname', false), ['box'])).toEqual([
      { name: 'node_sysctl_info', help: 'sysctl info', type: 'gauge', samples: [{ labels: { name: 'kernel.hostname', value: 'box', index: '0' }, value: 1 }] },
    ]);
  });

  it('exports nothing with no sysctl selected', async () => {
    expect(await collectAll(createSysctlCollector([]), fixtureContext(root))).toEqual([]);
  });

  it.each([
    ['the sysctl is missing', null, 'RXP_PROC_MISSING'],
    ['the sysctl is empty', '', 'RXP_PROC_PARSE'],
    ['a value is not an integer', 'many\n', 'RXP_PROC_PARSE'],
  ])('fails the cycle with an RxporterError when %s', async (_n, content, code) => {
    const c = createSysctlCollector([parseSysctlSpec('kernel.threads-max', true)]);
    const p = (dir: string) => join(dir, 'proc/sys/kernel/threads-max');
    const r = await collectOnEditedCopy(c, ['proc'], (dir) => (content === null ? rmSync(p(dir)) : writeFileSync(p(dir), content)));
    expect(r.error).toBeInstanceOf(RxporterError);
    expect(r.error).toMatchObject({ code });
  });
});
