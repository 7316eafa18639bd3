import { flagSpecs, parseFlags } from '../../src/config/flags';
import { loadConfig } from '../../src/config/load';
import { configSchema } from '../../src/config/schema';
import { configError } from '../support/configError';

const base = ['--global.app-name=x'];
const section = (args: string[], name: string) =>
  (loadConfig({ args: [...base, ...args] }).collectors as unknown as Record<string, Record<string, unknown>>)[name];
const refusal = (args: string[]) => configError(() => loadConfig({ args: [...base, ...args] })).message;

describe('command-line flags', () => {
  // kingpin (node_exporter's flag parser) refuses a repeated flag that is not cumulative:
  // "flag 'x' cannot be repeated"; convict used to join the values with a comma.
  it.each([
    [['--push.vm.url', 'http://a:8428', '--push.vm.url=http://b:8428'], 'flag --push.vm.url given twice (--push.vm.url http://a:8428, then --push.vm.url=http://b:8428)'],
    [['--global.node-name=a', '--global.node-name=b'], 'flag --global.node-name given twice (--global.node-name=a, then --global.node-name=b)'],
    [['--collector.meminfo', '--no-collector.meminfo'], 'flag --collector.meminfo given twice (--collector.meminfo, then --no-collector.meminfo)'],
    [['--no-collector.meminfo', '--collector.meminfo=true'], 'flag --collector.meminfo given twice (--no-collector.meminfo, then --collector.meminfo=true)'],
    [['--collect.interval=5s', '--collect.interval=5s'], 'flag --collect.interval given twice (--collect.interval=5s, then --collect.interval=5s)'],
  ])('refuses a single-valued flag given twice: %j', (args, msg) => {
    expect(refusal(args)).toMatch(new RegExp(`^${msg.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}: only list flags may be repeated`));
  });

  it('takes a list flag repeated, keeping commas inside each value', () => {
    const s = section(['--collector.sysctl.include=fs.file-nr:total,current,max', '--collector.sysctl.include', 'kernel.threads-max'], 'sysctl');
    expect(s.include).toEqual(['fs.file-nr:total,current,max', 'kernel.threads-max']);
    expect(section(['--collector.textfile.directory=/a,b', '--collector.textfile.directory=/c'], 'textfile').directory).toEqual(['/a,b', '/c']);
  });

  it('lets a list flag replace the list of the file and the environment', () => {
    const c = loadConfig({
      values: { global: { appName: 'x' }, collectors: { textfile: { directory: ['/file'] } } },
      env: { RXPORTER_COLLECTOR_TEXTFILE_DIRECTORY: '/env1,/env2' },
    });
    expect((c.collectors as unknown as Record<string, Record<string, unknown>>).textfile.directory).toEqual(['/env1', '/env2']);
    const f = loadConfig({ args: [...base, '--collector.textfile.directory=/flag'], env: { RXPORTER_COLLECTOR_TEXTFILE_DIRECTORY: '/env' } });
    expect((f.collectors as unknown as Record<string, Record<string, unknown>>).textfile.directory).toEqual(['/flag']);
  });

  it('reads a list from the environment as a JSON array when a value holds commas', () => {
    const c = loadConfig({ args: base, env: { RXPORTER_COLLECTOR_SYSCTL_INCLUDE: '["fs.file-nr:total,current,max","kernel.threads-max"]' } });
    expect((c.collectors as unknown as Record<string, Record<string, unknown>>).sysctl.include).toEqual(['fs.file-nr:total,current,max', 'kernel.threads-max']);
  });

  it.each([
    [['--web.listen-adress=:1'], 'unknown flag --web.listen-adress (see --help)'],
    [['--web.listen-adress', ':1'], 'unknown flag --web.listen-adress (see --help)'],
    [['--no-path.procfs'], 'unknown flag --no-path.procfs (see --help)'],
    [['--push.vm.url'], '--push.vm.url needs a value (--push.vm.url=VALUE or --push.vm.url VALUE)'],
    [['--push.vm.url', '--path.procfs=/p'], '--push.vm.url needs a value (--push.vm.url=VALUE or --push.vm.url VALUE)'],
    [['--no-collector.cpu=false'], '--no-collector.cpu takes no value (use --collector.cpu=false or --no-collector.cpu): got "--no-collector.cpu=false"'],
    [['stray'], 'unexpected argument "stray" (flags start with --; see --help)'],
  ])('refuses %j with one clear line', (args, msg) => {
    expect(refusal(args)).toBe(msg);
  });

  it('lists every flag problem, one line each', () => {
    expect(refusal(['--nope', '--global.node-name=a', '--global.node-name=b', 'stray']).split('\n')).toHaveLength(3);
  });

  it('parses switches, values and lists in order', () => {
    const specs = flagSpecs(configSchema());
    expect(specs.get('collector.meminfo')).toEqual({ key: 'collectors.meminfo.enabled', kind: 'switch' });
    expect(specs.get('collector.sysctl.include')).toEqual({ key: 'collectors.sysctl.include', kind: 'list' });
    expect(specs.get('push.vm.url')).toEqual({ key: 'exporter.vmagent.url', kind: 'value' });
    expect(parseFlags(['--no-collector.cpu', '--collector.stat=false', '--path.procfs', '/p', '--collector.sysctl.include=a:b,c'], specs)).toEqual([
      { key: 'collectors.cpu.enabled', value: false },
      { key: 'collectors.stat.enabled', value: 'false' },
      { key: 'path.procfs', value: '/p' },
      { key: 'collectors.sysctl.include', value: ['a:b,c'] },
    ]);
  });
});
