import { bcryptWorker, createBasicAuth, parseBasicAuth } from '../../src/server/basicAuth';
import { tokenBucket } from '../../src/server/webGate';
import { htpasswdHash } from '../support/tlsFiles';

const basic = (s: string) => `Basic ${Buffer.from(s).toString('base64')}`;

describe('parseBasicAuth', () => {
  it.each([
    [basic('alice:pw'), { user: 'alice', password: 'pw' }],
    [`basic ${Buffer.from('alice:p:w').toString('base64')}`, { user: 'alice', password: 'p:w' }],
    [basic(':'), { user: '', password: '' }],
    [basic('alice'), undefined],
    ['Basic', undefined],
    ['Basic !!!!', undefined],
    ['Basic YWxpY2U6cHc', undefined],
    ['Bearer YWxpY2U6cHc=', undefined],
    [undefined, undefined],
  ])('%s -> %j', (header, expected) => {
    expect(parseBasicAuth(header)).toEqual(expected);
  });
});

describe('bcryptWorker', () => {
  it('checks htpasswd -B hashes off the main thread, false for a wrong password or a broken hash, and starts again after close', async () => {
    const hash = htpasswdHash('pw', 4);
    const w = bcryptWorker();
    try {
      expect(await Promise.all([w.compare('pw', hash), w.compare('px', hash), w.compare('pw', '$2y$04$broken')])).toEqual([true, false, false]);
      await w.close();
      expect(await w.compare('pw', hash)).toBe(true);
    } finally {
      await w.close();
    }
  });
});

describe('createBasicAuth', () => {
  const users = { alice: 'HASH-A' };
  it('does not cache a check that could not run: the next request checks again', async () => {
    let calls = 0;
    const auth = createBasicAuth(async () => {
      calls++;
      if (calls === 1) throw new Error('worker died');
      return true;
    });
    expect(await auth.check(users, basic('alice:pw'))).toBe(false);
    expect(await auth.check(users, basic('alice:pw'))).toBe(true);
    expect(await auth.check(users, basic('alice:pw'))).toBe(true);
    expect(calls).toBe(2);
  });

  it('shares one check among identical requests in flight', async () => {
    let calls = 0;
    let release: (ok: boolean) => void = () => undefined;
    const auth = createBasicAuth(() => {
      calls++;
      return new Promise<boolean>((r) => (release = r));
    });
    const all = Promise.all([1, 2, 3].map(() => auth.check(users, basic('alice:pw'))));
    release(true);
    expect(await all).toEqual([true, true, true]);
    expect(calls).toBe(1);
  });

  it('keeps 100 results and drops the oldest tenth when full', async () => {
    const seen: string[] = [];
    const auth = createBasicAuth(async (password) => {
      seen.push(password);
      return false;
    });
    for (let i = 0; i <= 100; i++) await auth.check(users, basic(`alice:${i}`));
    await auth.check(users, basic('alice:100')); // cached
    await auth.check(users, basic('alice:50')); // cached
    await auth.check(users, basic('alice:0')); // dropped with the oldest tenth
    expect(seen.slice(101)).toEqual(['0']);
    expect(auth.checks()).toBe(102);
  });
});

describe('tokenBucket', () => {
  it('allows burst calls at once, then one per interval, never saving more than burst', () => {
    let t = 0;
    const allow = tokenBucket({ intervalMs: 1000, burst: 2 }, () => t);
    expect([allow(), allow(), allow()]).toEqual([true, true, false]);
    t = 999;
    expect(allow()).toBe(false);
    t = 1999;
    expect([allow(), allow()]).toEqual([true, false]);
    t = 100_000;
    expect([allow(), allow(), allow()]).toEqual([true, true, false]);
  });

  it('allows every call without a rate_limit, none with burst 0', () => {
    expect(tokenBucket(undefined, () => 0)()).toBe(true);
    expect(tokenBucket({ intervalMs: 1, burst: 0 }, () => 5)()).toBe(false);
  });
});

describe('unknown users', () => {
  it('are checked against the costliest configured hash (as long as a known user) and always refused', async () => {
    const seen: string[] = [];
    const auth = createBasicAuth(async (password, hash) => {
      seen.push(hash);
      return password === 'right';
    });
    const users = { a: '$2y$05$aaaa', b: '$2y$12$bbbb', c: '$2y$10$cccc' };
    expect(await auth.check(users, basic('mallory:right'))).toBe(false);
    expect(seen).toEqual(['$2y$12$bbbb']);
    expect(await auth.check({}, basic('mallory:right'))).toBe(false);
    expect(seen).toHaveLength(1);
  });
});
