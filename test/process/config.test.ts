import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { RxporterError } from '../../src/errors';
import { goBase, matchAndName, parseProcessNamesConfig, readProcessNamesConfig, type ProcAttributes } from '../../src/process/config';
import { compileGoRegexp } from '../../src/process/goRegexp';
import { compileNameTemplate, goTimeString } from '../../src/process/goTemplate';
import { fixture } from '../support/paths';

const proc = (o: Partial<ProcAttributes> = {}): ProcAttributes => ({
  name: 'postgres',
  cmdline: ['/usr/lib/postgresql/15/bin/postgres', '-D', '/var/lib/pg', '-c', 'config_file=/etc/pg.conf'],
  pid: 300,
  startTime: { seconds: 1700000030, nanos: 120000000 },
  username: () => 'postgres',
  cgroups: () => ['/system.slice/postgresql.service', '/'],
  ...o,
});

const nameOf = (yaml: string, p: ProcAttributes = proc()): string | undefined => matchAndName(parseProcessNamesConfig(yaml, 'test.yml'), p);

const configError = (yaml: string): string => {
  try {
    parseProcessNamesConfig(yaml, 'test.yml');
  } catch (e) {
    expect(e).toBeInstanceOf(RxporterError);
    expect((e as RxporterError).code).toBe('RXP_CONFIG');
    return (e as Error).message;
  }
  throw new Error('no error');
};

describe("process-exporter's config file", () => {
  it.each([
    ['{{.Comm}}', 'postgres'],
    ['{{.ExeBase}}', 'postgres'],
    ['{{.ExeFull}}', '/usr/lib/postgresql/15/bin/postgres'],
    ['{{.Username}}', 'postgres'],
    ['{{.PID}}', '300'],
    ['{{.StartTime}}', '2023-11-14 22:13:50.12 +0000 UTC'],
    ['{{.Cgroups}}', '[/system.slice/postgresql.service /]'],
    ['{{.Matches.cfg}}', '/etc/pg.conf'],
    ['{{index .Matches "cfg"}}', '/etc/pg.conf'],
    ['{{.Matches.nope}}', '<no value>'],
    ['{{ .Comm }}-{{- " x" -}}', undefined],
    ['pg {{- /* a comment */ -}} : {{.Comm}}', 'pg: postgres'],
  ])('expands the name template %s as Go text/template does', (tmpl, want) => {
    const yaml = `process_names:\n  - name: '${tmpl}'\n    cmdline: ['config_file=(?P<cfg>\\S+)']\n`;
    if (want === undefined) expect(configError(yaml)).toMatch(/process_names\[0\]\.name: bad name template .*unsupported action/);
    else expect(nameOf(yaml)).toBe(want);
  });

  it('uses {{.ExeBase}} by default, and the comm as ExeBase/ExeFull when the cmdline is empty', () => {
    expect(nameOf('process_names: [{comm: [postgres]}]')).toBe('postgres');
    expect(nameOf('process_names: [{name: "{{.ExeBase}}/{{.ExeFull}}", comm: [kthreadd]}]', proc({ name: 'kthreadd', cmdline: [] }))).toBe('kthreadd/kthreadd');
  });

  it('needs every matcher of a rule to match, and takes the first rule that does', () => {
    const yaml = `process_names:
  - name: both
    comm: [postgres]
    exe: [/usr/bin/postgres]
  - name: exe-any-path
    exe: [postgres]
    cmdline: ['-D', 'nomatch']
  - name: regexps
    cmdline: ['-D', '^/usr']
  - name: last
    comm: [postgres]
`;
    expect(nameOf(yaml)).toBe('regexps');
    expect(nameOf(yaml, proc({ cmdline: ['/usr/bin/postgres'] }))).toBe('both');
    expect(nameOf(yaml, proc({ cmdline: ['/opt/postgres'] }))).toBe('last');
    expect(nameOf(yaml, proc({ name: 'x', cmdline: ['/opt/other'] }))).toBeUndefined();
  });

  it('matches exe on the base name of the first argument, or on the full path when the rule has a slash', () => {
    const yaml = 'process_names: [{name: full, exe: [/usr/sbin/nginx]}, {name: base, exe: [nginx]}]';
    expect(nameOf(yaml, proc({ cmdline: ['/usr/sbin/nginx', '-g'] }))).toBe('full');
    expect(nameOf(yaml, proc({ cmdline: ['/opt/nginx'] }))).toBe('base');
    expect(nameOf(yaml, proc({ cmdline: [] }))).toBeUndefined();
  });

  it('reads the test fixture rules file', () => {
    const cfg = readProcessNamesConfig(fixture('proc-process', 'rules.yml'));
    expect(cfg.rules).toHaveLength(3);
    expect(cfg.usesUsername).toBe(true);
    expect(cfg.usesCgroups).toBe(false);
  });

  it.each([
    ['process_names: [{name: x}]', /test\.yml: process_names\[0\]: no matchers provided \(expected comm, exe or cmdline\)/],
    ['process_names: [{comm: nginx}]', /process_names\[0\]\.comm: expected a list of strings, got "nginx"/],
    ['process_names: [{comm: [[a]]}]', /process_names\[0\]\.comm\[0\]: expected a string/],
    ['process_names: [{cmdlines: [x]}]', /process_names\[0\]\.cmdlines: unknown key \(expected name, comm, exe or cmdline\)/],
    ['process_names: [{cmdline: ["(unclosed"]}]', /process_names\[0\]\.cmdline\[0\]: bad cmdline regex "\(unclosed"/],
    ['process_names: [{comm: [a], name: "{{.Nope}}"}]', /process_names\[0\]\.name: bad name template "\{\{\.Nope\}\}": unknown field \.Nope/],
    ['process_names: [{comm: [a], name: "{{.Comm"}]', /process_names\[0\]\.name: .*unclosed action/],
    ['process_names: {comm: [a]}', /process_names: expected a list of rules/],
    ['process_names: [oops]', /process_names\[0\]: expected a mapping/],
    ['process_names: [{comm: [a]}\n  - x', /test\.yml: \(file\): not valid YAML/],
    ['- a\n- b\n', /\(file\): expected a mapping with a process_names list/],
  ])('refuses %j naming the file, the key and what was expected', (yaml, want) => {
    expect(configError(yaml)).toMatch(want);
  });

  it('ignores top-level keys other than process_names, as process-exporter', () => {
    expect(nameOf('other: 1\nprocess_names: [{comm: [postgres]}]')).toBe('postgres');
  });

  it('names the file it cannot read', () => {
    const dir = mkdtempSync(join(tmpdir(), 'rxp-pcfg-'));
    try {
      expect(() => readProcessNamesConfig(join(dir, 'missing.yml'))).toThrow(/collector\.process\.config: cannot read .*missing\.yml/);
      writeFileSync(join(dir, 'bad.yml'), 'process_names: [{}]\n');
      expect(() => readProcessNamesConfig(join(dir, 'bad.yml'))).toThrow(/bad\.yml: process_names\[0\]: no matchers/);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe('Go regexps and templates', () => {
  it.each([
    ['(?P<name>\\w+)=(?P<v>\\d+)', 'a=1', { name: 'a', v: '1' }],
    ['(?i)^POSTGRES', 'postgres -D', {}],
    ['[[:digit:]]+$', 'worker 42', {}],
    ['\\Aa.b\\z', 'a\nb', null],
    ['(?s)\\Aa.b\\z', 'a\nb', {}],
    ['nginx\\: worker', 'nginx: worker process', {}],
  ])('compiles %s like RE2', (src, text, groups) => {
    const m = compileGoRegexp(src).exec(text);
    if (groups === null) expect(m).toBeNull();
    else expect({ ...(m?.groups ?? {}) }).toEqual(groups);
  });

  it('refuses the ungreedy flag and unknown POSIX classes', () => {
    expect(() => compileGoRegexp('(?U)a+')).toThrow(/ungreedy/);
    expect(() => compileGoRegexp('[[:nope:]]')).toThrow(/unknown class/);
  });

  it('prints start times as Go time.Time.String and base names as filepath.Base', () => {
    expect(goTimeString({ seconds: 1700000000, nanos: 0 })).toBe('2023-11-14 22:13:20 +0000 UTC');
    expect(goTimeString({ seconds: 1700000000, nanos: 500000000 })).toBe('2023-11-14 22:13:20.5 +0000 UTC');
    expect([goBase('/usr/bin/x'), goBase('a/b/'), goBase(''), goBase('///'), goBase('x')]).toEqual(['x', 'b', '.', '/', 'x']);
  });

  it('reports which lazily read fields a template uses', () => {
    const t = compileNameTemplate('{{.Username}}');
    expect([t.usesUsername, t.usesCgroups]).toEqual([true, false]);
  });
});
