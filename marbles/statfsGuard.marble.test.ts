import { StatfsGuard, type StatfsResult } from '../src/fs/statfsGuard';
import { testScheduler } from './scheduler';

const stats: StatfsResult = { bsize: 4096, blocks: 10, bfree: 5, bavail: 4, files: 100, ffree: 50 };

describe('StatfsGuard', () => {
  it('times a hung statfs out, then reports the path stuck without calling statfs again', () => {
    const ts = testScheduler();
    const calls: string[] = [];
    const guard = new StatfsGuard({
      timeoutMs: 5,
      permits: 2,
      scheduler: ts,
      statfs: (p) => {
        calls.push(p);
        return new Promise<StatfsResult>(() => undefined); // a dead NFS server: never returns
      },
    });
    ts.run(({ expectObservable }) => {
      expectObservable(guard.stat('/nfs')).toBe('-----(t|)', { t: { kind: 'timeout' } });
      expectObservable(guard.stat('/nfs'), '-------^').toBe('-------(s|)', { s: { kind: 'stuck' } });
    });
    expect(calls).toEqual(['/nfs']);
    expect(guard.stuckPaths()).toEqual(['/nfs']);
  });

  it('shares one call between two mounts on the same path', () => {
    const ts = testScheduler();
    let calls = 0;
    const guard = new StatfsGuard({ timeoutMs: 3, permits: 1, scheduler: ts, statfs: () => (calls++, new Promise<StatfsResult>(() => undefined)) });
    ts.run(({ expectObservable }) => {
      expectObservable(guard.stat('/')).toBe('---(t|)', { t: { kind: 'timeout' } });
      expectObservable(guard.stat('/')).toBe('---(t|)', { t: { kind: 'timeout' } });
    });
    expect(calls).toBe(1);
  });

  it('refuses new calls at once when hung calls hold every permit, keeping the thread pool free', () => {
    const ts = testScheduler();
    const calls: string[] = [];
    const guard = new StatfsGuard({
      timeoutMs: 3,
      permits: 2,
      scheduler: ts,
      statfs: (p) => (calls.push(p), new Promise<StatfsResult>(() => undefined)),
    });
    ts.run(({ expectObservable }) => {
      expectObservable(guard.stat('/a')).toBe('---(t|)', { t: { kind: 'timeout' } });
      expectObservable(guard.stat('/b')).toBe('---(t|)', { t: { kind: 'timeout' } });
      expectObservable(guard.stat('/c'), '----^').toBe('----(n|)', { n: { kind: 'no-permit' } });
    });
    expect(calls).toEqual(['/a', '/b']);
  });

  it('statfs the path again once the hung call has returned', async () => {
    let release: (s: StatfsResult) => void = () => undefined;
    let n = 0;
    const guard = new StatfsGuard({
      timeoutMs: 2,
      permits: 1,
      statfs: () => (++n === 1 ? new Promise<StatfsResult>((r) => (release = r)) : Promise.resolve(stats)),
    });
    const first = await new Promise((r) => guard.stat('/slow').subscribe(r));
    expect(first).toEqual({ kind: 'timeout' });
    expect(await new Promise((r) => guard.stat('/other').subscribe(r))).toEqual({ kind: 'no-permit' });
    release(stats);
    await Promise.resolve();
    await Promise.resolve();
    expect(guard.stuckPaths()).toEqual([]);
    expect(await new Promise((r) => guard.stat('/slow').subscribe(r))).toEqual({ kind: 'ok', stats });
    expect(n).toBe(2);
  });

  it('reports an error from statfs as an error, not as stuck', async () => {
    const guard = new StatfsGuard({ timeoutMs: 1000, permits: 1, statfs: () => Promise.reject(new Error('EACCES: permission denied')) });
    expect(await new Promise((r) => guard.stat('/x').subscribe(r))).toEqual({ kind: 'error', message: 'EACCES: permission denied' });
    expect(guard.stuckPaths()).toEqual([]);
  });
});
