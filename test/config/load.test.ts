import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { isEnabled, section } from '../../src/collectors';
import { loadConfig } from '../../src/config/load';
import { parseDuration } from '../../src/config/duration';
import { RxporterError } from '../../src/errors';
import { configError } from '../support/configError';

const dir = mkdtempSync(join(tmpdir(), 'rxp-config-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
const file = (name: string, text: string) => {
  const p = join(dir, name);
  writeFileSync(p, text);
  return p;
};
describe('loadConfig', () => {
  it('reads YAML, resolves durations to milliseconds and keeps defaults', () => {
    const c = loadConfig({ file: file('a.yaml', 'global:\n  appName: app\ncollect:\n  interval: 1m30s\n') });
    expect(c.global.appName).toBe('app');
    expect(c.collect.interval).toBe(90_000);
    expect(c.collect.timeout).toBe(10_000);
    expect(c.web.listenAddress).toBe('127.0.0.1:9100');
    expect(c.path).toEqual({ procfs: '/proc', sysfs: '/sys', rootfs: '/', udevData: '/run/udev/data' });
    expect(c.log).toEqual({ level: 'info', format: 'logfmt' });
  });

  it('reads JSON; env overrides the file and flags override env', () => {
    const f = file('b.json', JSON.stringify({ global: { appName: 'file' }, path: { procfs: '/file/proc' } }));
    const c = loadConfig({
      file: f,
      env: { RXPORTER_APP_NAME: 'env', RXPORTER_PATH_PROCFS: '/env/proc', NODE_NAME: 'n1', MASTER_IP: '10.0.0.1' },
      args: ['--path.procfs', '/flag/proc', '--collect.interval=5s', '--log.format=json'],
    });
    expect(c.global).toMatchObject({ appName: 'env', nodeName: 'n1', masterIp: '10.0.0.1' });
    expect(c.path.procfs).toBe('/flag/proc');
    expect(c.collect.interval).toBe(5000);
    expect(c.log.format).toBe('json');
  });

  it('takes collector switches from flags, negated flags and the file', () => {
    const c = loadConfig({
      values: { global: { appName: 'x' }, collectors: { filesystem: { enabled: false } } },
      args: ['--collector.disable-defaults', '--no-collector.meminfo'],
    });
    expect(c.collectors.disableDefaults).toBe(true);
    expect(section(c, 'meminfo').enabled).toBe(false);
    expect(section(c, 'filesystem').enabled).toBe(false);
  });

  it('enables collectors by list and switches the node group off', () => {
    const on = (values: unknown, name: string) => isEnabled(loadConfig({ values }), { name, defaultEnabled: name !== 'drbd' });
    const v = (c: unknown) => ({ global: { appName: 'x' }, collectors: c });
    expect(on(v({ node: { enabled: false } }), 'meminfo')).toBe(false);
    expect(on(v({ node: { enabled: false }, enabled: ['meminfo'] }), 'meminfo')).toBe(true);
    expect(on(v({ enabled: ['drbd'] }), 'drbd')).toBe(true);
    expect(on(v({ disabled: ['meminfo'] }), 'meminfo')).toBe(false);
    expect(on(v({ disabled: ['meminfo'], meminfo: { enabled: true } }), 'meminfo')).toBe(true);
    expect(on(v({}), 'meminfo')).toBe(true);
    expect(on(v({}), 'drbd')).toBe(false);
  });

  it('rejects an unknown collector in the lists, naming it', () => {
    expect(configError(() => loadConfig({ values: { global: { appName: 'x' }, collectors: { enabled: ['meminfo', 'memnifo'] } } })).message).toMatch(
      /collectors\.enabled: unknown collector: value was "memnifo"/,
    );
  });

  it('fails when global.appName is empty in file, flag and env', () => {
    const e = configError(() => loadConfig({ file: file('c.yaml', 'global:\n  appName: ""\n') }));
    expect(e.message).toMatch(/^global\.appName must be set/);
    expect(e.message).toContain('RXPORTER_APP_NAME');
  });

  it.each([
    ['an unknown key', 'global:\n  appName: a\n  colour: red\n', /global\.colour: unknown key .*value was "red"/],
    ['a bad duration', 'global:\n  appName: a\ncollect:\n  interval: 30 secs\n', /collect\.interval: must be a duration such as 30s, 1m30s or 500ms: value was "30 secs"/],
    ['a wrong type', 'global:\n  appName: a\nweb:\n  baseLabels: "yes"\n', /web\.baseLabels: must be true or false: value was "yes"/],
    ['a bad enum', 'global:\n  appName: a\nlog:\n  format: xml\n', /log\.format: must be one of the possible values: \["logfmt","json"\]: value was "xml"/],
    ['a bad listen address', 'global:\n  appName: a\nweb:\n  listenAddress: localhost\n', /web\.listenAddress: must be HOST:PORT.*value was "localhost"/],
    ['a bad regexp', 'global:\n  appName: a\ncollectors:\n  filesystem:\n    fsTypesExclude: "(("\n', /collectors\.filesystem\.fsTypesExclude: must be a valid regular expression/],
  ])('names the key, the value and what was expected for %s', (_n, text, msg) => {
    expect(configError(() => loadConfig({ file: file('d.yaml', text) })).message).toMatch(msg);
  });

  it('reports a bad flag value with the key', () => {
    expect(configError(() => loadConfig({ args: ['--global.app-name=a', '--collect.timeout=soon'] })).message).toMatch(
      /collect\.timeout: must be a duration.*value was "soon"/,
    );
  });

  it('reports a missing file and a syntax error with the file name', () => {
    expect(configError(() => loadConfig({ file: join(dir, 'missing.yaml') })).message).toBe(`config file ${join(dir, 'missing.yaml')}: no such file`);
    const yamlError = configError(() => loadConfig({ file: file('e.yaml', 'global: [unclosed\n') })).message;
    expect(yamlError).toMatch(/^config file .*e\.yaml: not valid YAML: .* at line \d+, column \d+:?$/);
    expect(yamlError.split('\n')).toHaveLength(1); // one log line, without the parser's code frame
    expect(configError(() => loadConfig({ file: file('e.json', '{"global": ') })).message).toMatch(/^config file .*e\.json: not valid JSON: /);
  });

  it('says so when the config file is a directory', () => {
    expect(configError(() => loadConfig({ file: dir })).message).toBe(`config file ${dir}: is a directory; --config takes a YAML or JSON file`);
  });

  it.each([
    ['empty.yaml', ''],
    ['empty.json', ''],
    ['blank.yaml', ' \n\n'],
    ['blank.json', '\n  \n'],
    ['comments.yaml', '# nothing set yet\n'],
  ])('treats %s as a file with no settings (empty YAML and empty JSON alike)', (name, text) => {
    const c = loadConfig({ file: file(name, text), args: ['--global.app-name=x'] });
    expect(c.collect.interval).toBe(30_000);
  });

  it.each([
    ['list.yaml', '- a\n- b\n', 'a list'],
    ['scalar.yaml', 'hello\n', '"hello"'],
    ['scalar.json', '42', '42'],
  ])('refuses %s whose top level is not a mapping', (name, text, what) => {
    expect(configError(() => loadConfig({ file: file(name, text), args: ['--global.app-name=x'] })).message).toMatch(
      new RegExp(`^config file .*${name.replace('.', '\\.')}: must hold a mapping of keys \\(e\\.g\\. "global:"\\), not ${what.replace('"', '\\"')}`),
    );
  });
});

describe('parseDuration', () => {
  it.each([
    ['30s', 30_000],
    ['1m30s', 90_000],
    ['500ms', 500],
    ['1h', 3_600_000],
    ['1.5s', 1500],
    ['250', 250],
    [250, 250],
  ])('%p → %p ms', (v, ms) => expect(parseDuration(v)).toBe(ms));
  it.each(['', '30', '-1s', '1x', 's', '30 s'].filter((v) => v !== '30'))('rejects %p', (v) => expect(() => parseDuration(v)).toThrow(RxporterError));
});
