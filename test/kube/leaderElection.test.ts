import { loadConfig } from '../../src/config/load';
import { electionDurationProblems, electionTarget, microTime } from '../../src/kube/leaderElection';
import { configError } from '../support/configError';

const load = (...args: string[]) => loadConfig({ args: ['--global.app-name=a', '--kube.leader-elect', ...args] });

describe('leader election settings', () => {
  it("accepts client-go's defaults (15 s, 10 s, 2 s) and short test durations", () => {
    expect(load().kube.leaderElection).toMatchObject({ leaseDuration: 15_000, renewDeadline: 10_000, retryPeriod: 2000 });
    expect(electionDurationProblems({ leaseDurationMs: 3000, renewDeadlineMs: 2000, retryPeriodMs: 500 })).toEqual([]);
  });

  it('checks the durations only when an election runs', () => {
    expect(loadConfig({ args: ['--global.app-name=a', '--kube.leader-elect.lease-duration=5s'] }).kube.leaderElection.leaseDuration).toBe(5000);
  });

  it.each([
    [['--kube.leader-elect.lease-duration=10s'], /leaseDuration \(10000 ms\) must be greater than kube.leaderElection.renewDeadline \(10000 ms\)/],
    [['--kube.leader-elect.renew-deadline=20s'], /leaseDuration \(15000 ms\) must be greater than .*renewDeadline \(20000 ms\)/],
    [['--kube.leader-elect.retry-period=9s'], /renewDeadline \(10000 ms\) must be greater than kube.leaderElection.retryPeriod·1.2 \(10800 ms\)/],
  ])('rejects %j with a config error naming both keys', (args, message) => {
    expect(configError(() => load(...args)).message).toMatch(message);
  });

  it('names the namespace: configured, else the context, else $POD_NAMESPACE, else default', () => {
    const env = { POD_NAMESPACE: 'pod-ns', POD_NAME: 'ksm-0' };
    expect(electionTarget({ namespace: 'cfg', identity: '', contextNamespace: 'ctx', env }).namespace).toBe('cfg');
    expect(electionTarget({ namespace: '', identity: '', contextNamespace: 'ctx', env }).namespace).toBe('ctx');
    expect(electionTarget({ namespace: '', identity: '', env }).namespace).toBe('pod-ns');
    expect(electionTarget({ namespace: '', identity: '', env: {} }).namespace).toBe('default');
  });

  it('names the identity: configured, else $POD_NAME, else host name and pid', () => {
    expect(electionTarget({ namespace: '', identity: 'me', env: { POD_NAME: 'ksm-0' } }).identity).toBe('me');
    expect(electionTarget({ namespace: '', identity: '', env: { POD_NAME: 'ksm-0' } }).identity).toBe('ksm-0');
    expect(electionTarget({ namespace: '', identity: '', env: {}, hostname: 'h1', pid: 42 }).identity).toBe('h1_42');
  });

  it('writes times as MicroTime (RFC 3339, microseconds, UTC)', () => {
    expect(microTime(Date.UTC(2026, 10, 30, 1, 2, 3, 456))).toBe('2026-11-30T01:02:03.456000Z');
  });
});
