import { mkdtempSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { firstValueFrom, lastValueFrom, take, toArray } from 'rxjs';
import { createKubeClient, isGone, KubeApiError, statusError, type KubeClient, type WatchEvent } from '../../src/kube/client';
import type { KubeConnection } from '../../src/kube/config';
import { KUBE_RESOURCES } from '../../src/kube/resources';
import type { KubeObject } from '../../src/ksm/types';
import { makeTestCerts, type TestCerts } from '../support/kubeCerts';
import { startKubeApiServer, type KubeApiServer } from '../support/kubeApiServer';
import { rejection } from '../support/thrown';

const { pods, nodes, leases } = KUBE_RESOURCES;
const pod = (name: string, namespace = 'default', nodeName = 'n1'): KubeObject => ({ metadata: { name, namespace }, spec: { nodeName } });
const plain = (server: string): KubeConnection => ({ server, insecureSkipTlsVerify: false, source: 'test' });

describe('KubeClient against the fixture API server', () => {
  let api: KubeApiServer;
  let client: KubeClient;
  beforeEach(async () => {
    api = await startKubeApiServer({ bookmarkMs: 50 });
    client = createKubeClient(plain(api.url), { requestTimeoutMs: 2000 });
  });
  afterEach(async () => {
    await client.close();
    await api.close();
  });

  it('lists every namespace or one, page by page with limit and continue', async () => {
    for (const n of ['a', 'b', 'c']) api.put('pods', pod(n, 'ns1'));
    api.put('pods', pod('d', 'ns2'));
    const all = await firstValueFrom(client.list(pods));
    expect(all.items.map((p) => p.metadata.name)).toEqual(['a', 'b', 'c', 'd']);
    expect(all.metadata.resourceVersion).toBe('4');
    const ns1 = await firstValueFrom(client.list(pods, { namespace: 'ns1' }));
    expect(ns1.items.map((p) => p.metadata.name)).toEqual(['a', 'b', 'c']);
    const p1 = await firstValueFrom(client.list(pods, { limit: 3 }));
    expect(p1.items).toHaveLength(3);
    expect(p1.metadata.continue).toBeTruthy();
    const p2 = await firstValueFrom(client.list(pods, { limit: 3, continue: p1.metadata.continue }));
    expect(p2.items.map((p) => p.metadata.name)).toEqual(['d']);
    expect(p2.metadata.continue).toBeUndefined();
    expect(api.requests).toContain('GET /api/v1/pods?limit=3');
  });

  it('answers an expired continue token with a 410 Expired KubeApiError', async () => {
    for (const n of ['a', 'b']) api.put('pods', pod(n));
    const p1 = await firstValueFrom(client.list(pods, { limit: 1 }));
    api.expireContinueTokens();
    const e = await rejection(firstValueFrom(client.list(pods, { limit: 1, continue: p1.metadata.continue })));
    expect(e).toBeInstanceOf(KubeApiError);
    expect(e).toMatchObject({ code: 'RXP_KUBE', status: 410, reason: 'Expired', retryable: false });
    expect(isGone(e)).toBe(true);
  });

  it('creates, reads, updates with optimistic concurrency and deletes a Lease', async () => {
    const lease = { metadata: { name: 'rxporter', namespace: 'kube-system' }, spec: { holderIdentity: 'a', leaseDurationSeconds: 15 } };
    const created = await firstValueFrom(client.create(leases, lease));
    expect(created).toMatchObject({ apiVersion: 'coordination.k8s.io/v1', kind: 'Lease', metadata: { name: 'rxporter', resourceVersion: '1' } });
    expect(await rejection(firstValueFrom(client.create(leases, lease)))).toMatchObject({ status: 409, reason: 'AlreadyExists' });
    const got = await firstValueFrom(client.get(leases, 'kube-system', 'rxporter'));
    const updated = await firstValueFrom(client.update(leases, { ...got, spec: { ...got.spec, holderIdentity: 'b' } }));
    expect(updated.metadata.resourceVersion).toBe('2');
    // The first reader's copy is now stale: 409 Conflict, not retryable.
    const stale = await rejection(firstValueFrom(client.update(leases, { ...got, spec: { holderIdentity: 'c' } })));
    expect(stale).toMatchObject({ status: 409, reason: 'Conflict', retryable: false });
    expect(api.object('leases', 'kube-system', 'rxporter')?.spec).toMatchObject({ holderIdentity: 'b' });
    await firstValueFrom(client.delete(leases, 'kube-system', 'rxporter'));
    expect(await rejection(firstValueFrom(client.get(leases, 'kube-system', 'rxporter')))).toMatchObject({ status: 404, reason: 'NotFound' });
  });

  it('streams watch events from a resourceVersion, with bookmarks, and completes at timeoutSeconds', async () => {
    api.put('nodes', { metadata: { name: 'n1' } });
    const rv = String(api.resourceVersion);
    const events: WatchEvent[] = [];
    const done = lastValueFrom(client.watch(nodes, { resourceVersion: rv, allowWatchBookmarks: true, timeoutSeconds: 1 }).pipe(toArray()));
    await new Promise((r) => setTimeout(r, 100));
    api.put('nodes', { metadata: { name: 'n2' } });
    api.put('nodes', { metadata: { name: 'n1', labels: { a: 'b' } } });
    api.remove('nodes', undefined, 'n2');
    events.push(...(await done));
    const changes = events.filter((e) => e.type !== 'BOOKMARK').map((e) => `${e.type} ${e.object.metadata.name}`);
    expect(changes).toEqual(['ADDED n2', 'MODIFIED n1', 'DELETED n2']);
    const bookmarks = events.filter((e) => e.type === 'BOOKMARK');
    expect(bookmarks.length).toBeGreaterThan(0);
    expect(bookmarks[bookmarks.length - 1].object.metadata.resourceVersion).toBe(String(api.resourceVersion));
  });

  it('emits the ERROR event of a watch from a compacted resourceVersion', async () => {
    api.put('pods', pod('a'));
    api.put('pods', pod('b'));
    api.compact();
    const [ev] = await lastValueFrom(client.watch(pods, { resourceVersion: '1' }).pipe(toArray()));
    expect(ev.type).toBe('ERROR');
    expect(ev.object).toMatchObject({ kind: 'Status', code: 410, reason: 'Expired' });
  });

  it('fails a watch that the server refuses with HTTP 410 as gone', async () => {
    const api2 = await startKubeApiServer({ watchGoneAs: 'http' });
    const c2 = createKubeClient(plain(api2.url), { requestTimeoutMs: 2000 });
    try {
      api2.put('pods', pod('a'));
      api2.put('pods', pod('b'));
      api2.compact();
      const e = await rejection(firstValueFrom(c2.watch(pods, { resourceVersion: '1' })));
      expect(isGone(e)).toBe(true);
    } finally {
      await c2.close();
      await api2.close();
    }
  });

  it('errors (retryable) when the server drops a watch mid-stream', async () => {
    const got = lastValueFrom(client.watch(pods, { resourceVersion: '0' }).pipe(toArray()));
    await new Promise((r) => setTimeout(r, 100));
    api.put('pods', pod('a'));
    await new Promise((r) => setTimeout(r, 100));
    api.dropWatches();
    const e = await rejection(got);
    expect(e).toBeInstanceOf(KubeApiError);
    expect((e as KubeApiError).retryable).toBe(true);
  });

  it('times out a request to a hung server (RXP_TIMEOUT, retryable) and a watch that goes silent', async () => {
    const quick = createKubeClient(plain(api.url), { requestTimeoutMs: 300 });
    try {
      api.hang(true);
      const e = await rejection(firstValueFrom(quick.list(pods)));
      expect(e).toMatchObject({ code: 'RXP_TIMEOUT', retryable: true });
      expect((e as Error).message).toMatch(/GET \/api\/v1\/pods: timed out after 300 ms/);
      api.hang(false);
      const w = await rejection(firstValueFrom(quick.watch(pods, { resourceVersion: '0', idleTimeoutMs: 300 }).pipe(take(1))));
      expect(w).toMatchObject({ code: 'RXP_TIMEOUT', retryable: true });
      expect((w as Error).message).toMatch(/without an event/);
    } finally {
      await quick.close();
    }
  });
});

describe('statusError', () => {
  it('takes reason, message and code from a Status body, the body itself otherwise', () => {
    const s = statusError('GET /x', 500, JSON.stringify({ kind: 'Status', status: 'Failure', reason: 'InternalError', message: 'etcd down', code: 500 }));
    expect(s).toMatchObject({ status: 500, reason: 'InternalError', retryable: true });
    expect(s.message).toBe('GET /x: HTTP 500 InternalError: etcd down');
    expect(statusError('GET /x', 403, 'forbidden\n')).toMatchObject({ status: 403, reason: undefined, retryable: false, message: 'GET /x: HTTP 403: forbidden' });
    expect(statusError('GET /x', 429, '{}')).toMatchObject({ retryable: true });
  });
});

describe('KubeClient over TLS with a bearer token', () => {
  let certs: TestCerts;
  let dir: string;
  beforeAll(() => {
    certs = makeTestCerts();
    dir = mkdtempSync(join(tmpdir(), 'rxp-kube-token-'));
  });
  afterAll(() => {
    certs.remove();
    rmSync(dir, { recursive: true, force: true });
  });

  it('verifies the server with the CA, authenticates with a client certificate and sends the token', async () => {
    const api = await startKubeApiServer({ tls: { key: certs.serverKey, cert: certs.serverCert, ca: certs.ca, requestCert: true }, tokens: ['t0k'] });
    const conn: KubeConnection = { server: api.url, ca: certs.ca, cert: certs.clientCert, key: certs.clientKey, token: 't0k', insecureSkipTlsVerify: false, source: 'test' };
    const c = createKubeClient(conn, { requestTimeoutMs: 2000 });
    const noToken = createKubeClient({ ...conn, token: undefined }, { requestTimeoutMs: 2000 });
    const noCa = createKubeClient({ ...conn, ca: undefined }, { requestTimeoutMs: 2000 });
    try {
      api.put('nodes', { metadata: { name: 'n1' } });
      expect((await firstValueFrom(c.list(nodes))).items).toHaveLength(1);
      expect(await rejection(firstValueFrom(noToken.list(nodes)))).toMatchObject({ status: 401, reason: 'Unauthorized' });
      expect(((await rejection(firstValueFrom(noCa.list(nodes)))) as Error).message).toMatch(/certificate/i);
    } finally {
      await Promise.all([c.close(), noToken.close(), noCa.close()]);
      await api.close();
    }
  });

  it('skips verification with insecure-skip-tls-verify', async () => {
    const api = await startKubeApiServer({ tls: { key: certs.serverKey, cert: certs.serverCert } });
    const c = createKubeClient({ server: api.url, insecureSkipTlsVerify: true, source: 'test' }, { requestTimeoutMs: 2000 });
    try {
      expect((await firstValueFrom(c.list(nodes))).items).toEqual([]);
    } finally {
      await c.close();
      await api.close();
    }
  });

  it('re-reads a token file when it is rotated', async () => {
    const file = join(dir, 'token');
    writeFileSync(file, 'first\n');
    let valid = ['first'];
    const api = await startKubeApiServer({ tokens: () => valid });
    const c = createKubeClient({ server: api.url, tokenFile: file, insecureSkipTlsVerify: false, source: 'test' }, { requestTimeoutMs: 2000 });
    try {
      expect((await firstValueFrom(c.list(nodes))).items).toEqual([]);
      valid = ['second'];
      // Rotated as the kubelet does: a new file moved over the old one.
      writeFileSync(join(dir, 'token.new'), 'second\n');
      renameSync(join(dir, 'token.new'), file);
      expect((await firstValueFrom(c.list(nodes))).items).toEqual([]);
    } finally {
      await c.close();
      await api.close();
    }
  });
});
