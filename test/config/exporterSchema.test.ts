import { loadConfig } from '../../src/config/load';
import { enabledSinks } from '../../src/sinks';

const base = ['--global.app-name', 'x'];

describe('exporter config', () => {
  it('has the documented defaults, durations in ms', () => {
    const c = loadConfig({ args: base }).exporter;
    expect(c).toMatchObject({
      enable: null,
      standby: false,
      pushInterval: 30_000,
      retryCount: 3,
      retry: { initialBackoff: 1000, maxBackoff: 60_000 },
      queue: { dir: '' },
      pushgateway: { url: '', job: '', deleteOnShutdown: true },
      vmagent: { url: '' },
      remoteWrite: { url: '', headers: {}, bearerToken: '' },
    });
    expect(enabledSinks(loadConfig({ args: base }))).toEqual({ pushgateway: false, vmagent: false, remoteWrite: false });
  });

  it('takes the issue flags and enables a sink when its URL is set', () => {
    const c = loadConfig({
      args: [...base, '--push.pushgateway.url', 'http://pg:9091', '--push.vm.url', 'http://vm:8428', '--push.remote-write.url', 'http://p:9090/api/v1/write', '--push.interval', '15s', '--push.retry.max-backoff', '2m'],
    });
    expect(c.exporter.pushgateway.url).toBe('http://pg:9091');
    expect(c.exporter.pushInterval).toBe(15_000);
    expect(c.exporter.retry.maxBackoff).toBe(120_000);
    expect(enabledSinks(c)).toEqual({ pushgateway: true, vmagent: true, remoteWrite: true });
  });

  it('reads maps and secrets from the environment', () => {
    const c = loadConfig({
      args: base,
      env: {
        RXPORTER_EXPORTER_REMOTE_WRITE_HEADERS: '{"X-Scope-OrgID":"t1"}',
        RXPORTER_EXPORTER_REMOTE_WRITE_BEARER_TOKEN: 's3cret',
        RXPORTER_EXPORTER_PUSHGATEWAY_GROUPING_LABELS: '{"dc":"fra1"}',
        RXPORTER_EXPORTER_STANDBY: 'true',
      },
    });
    expect(c.exporter.remoteWrite.headers).toEqual({ 'X-Scope-OrgID': 't1' });
    expect(c.exporter.remoteWrite.bearerToken).toBe('s3cret');
    expect(c.exporter.pushgateway.groupingLabels).toEqual({ dc: 'fra1' });
    expect(c.exporter.standby).toBe(true);
  });

  it('turns every sink off with exporter.enable false', () => {
    expect(enabledSinks(loadConfig({ args: [...base, '--push.vm.url', 'http://vm:8428', '--no-push.enable'] }))).toEqual({
      pushgateway: false,
      vmagent: false,
      remoteWrite: false,
    });
  });

  it.each([
    [['--push.interval', '3x'], /exporter.pushInterval.*duration/],
    [['--push.retry-count', '-1'], /exporter.retryCount/],
  ])('rejects %j naming the key', (args, msg) => {
    expect(() => loadConfig({ args: [...base, ...args] })).toThrow(msg);
  });

  it.each([
    [['--push.vm.enable'], /exporter.vmagent.enable is true but exporter.vmagent.url is empty/],
    [['--push.pushgateway.url', 'pg:9091'], /exporter.pushgateway.url: must be an http/],
  ])('refuses %j when the sinks are built', (args, msg) => {
    expect(() => enabledSinks(loadConfig({ args: [...base, ...args] }))).toThrow(msg);
  });
});
