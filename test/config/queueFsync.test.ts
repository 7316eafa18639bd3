import { loadConfig } from '../../src/config/load';

describe('exporter.queue.fsync', () => {
  const fsync = (args: string[], env: NodeJS.ProcessEnv = {}) => loadConfig({ args: ['--global.app-name', 'x', ...args], env }).exporter.queue.fsync;

  it('defaults to batch and takes never, batch or always from a flag or the environment', () => {
    expect(fsync([])).toBe('batch');
    expect(fsync(['--push.queue.fsync', 'always'])).toBe('always');
    expect(fsync([], { RXPORTER_EXPORTER_QUEUE_FSYNC: 'never' })).toBe('never');
  });

  it('rejects another value, naming the key and the values it takes', () => {
    expect(() => fsync(['--push.queue.fsync', 'sometimes'])).toThrow(/exporter\.queue\.fsync.*never.*batch.*always.*sometimes/);
  });
});
