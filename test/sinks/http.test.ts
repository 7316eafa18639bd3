import { firstValueFrom } from 'rxjs';
import { createHttpClient, HttpError, isRetryableStatus, parseRetryAfter, type HttpClient } from '../../src/sinks/http';
import { isRemoteWriteRetryableStatus } from '../../src/sinks/remoteWrite';
import { endlessBody, startTestReceiver, type TestReceiver } from '../support/testReceiver';

describe('isRetryableStatus', () => {
  it.each([
    [408, true],
    [429, true],
    [500, true],
    [502, true],
    [503, true],
    [504, true],
    [501, false],
    [400, false],
    [401, false],
    [404, false],
    [413, false],
  ])('%d → %s', (s, r) => expect(isRetryableStatus(s)).toBe(r));
});

describe('isRemoteWriteRetryableStatus (remote-write 1.0: every 5xx and 429, no other 4xx)', () => {
  it.each([
    [429, true],
    [500, true],
    [501, true],
    [503, true],
    [599, true],
    [408, false],
    [400, false],
    [404, false],
    [413, false],
  ])('%d → %s', (s, r) => expect(isRemoteWriteRetryableStatus(s)).toBe(r));
});

describe('parseRetryAfter', () => {
  const now = Date.parse('2026-01-01T00:00:00Z');
  it.each([
    ['7', 7000],
    [' 0 ', 0],
    ['Thu, 01 Jan 2026 00:00:30 GMT', 30_000],
    ['Wed, 31 Dec 2025 23:59:00 GMT', 0],
    ['soon', undefined],
    ['', undefined],
    [undefined, undefined],
  ])('%j → %j ms', (v, ms) => expect(parseRetryAfter(v, now)).toBe(ms));
});

describe('createHttpClient response bodies', () => {
  let rx: TestReceiver | undefined;
  let client: HttpClient | undefined;
  afterEach(async () => {
    await client?.close();
    await rx?.close();
    client = undefined;
    rx = undefined;
  });
  const failure = (c: HttpClient, url: string): Promise<HttpError> =>
    firstValueFrom(c.request({ method: 'POST', url, body: new Uint8Array(3) })).then(
      (s) => {
        throw new Error(`expected a failure, got ${s}`);
      },
      (e: unknown) => e as HttpError,
    );

  it('classifies by status before reading: a 400 with an endless body is rejected at once, with at most 4 KiB of it read', async () => {
    let written: (n: number) => void = () => undefined;
    const closedAfter = new Promise<number>((resolve) => (written = resolve));
    rx = await startTestReceiver((_q, _n, res) => endlessBody(res, 400, written));
    const outcomes: string[] = [];
    client = createHttpClient({ timeoutMs: 5000, userAgent: 't', onOutcome: (c) => outcomes.push(c) });
    const e = await failure(client, rx.url);
    expect(e).toBeInstanceOf(HttpError);
    expect(e.status).toBe(400);
    expect(e.retryable).toBe(false);
    expect(e.code).toBe('RXP_SINK_HTTP');
    expect(e.body?.startsWith('receiver says no: xxx')).toBe(true);
    expect(e.body!.length).toBeLessThanOrEqual(4096);
    expect(outcomes).toEqual(['400']);
    // the rest is discarded unread: the client closes the connection, so the server gets to
    // write only what the socket buffers hold, not the endless body
    expect(await closedAfter).toBeLessThan(64 << 20);
  });

  it('keeps the status of a response whose body stalls after the headers (no timeout, no retry)', async () => {
    rx = await startTestReceiver((_q, _n, res) => {
      res.writeHead(413, { 'content-type': 'text/plain' });
      res.write('too large');
    });
    client = createHttpClient({ timeoutMs: 300, userAgent: 't' });
    const e = await failure(client, rx.url);
    expect([e.status, e.retryable, e.code, e.body]).toEqual([413, false, 'RXP_SINK_HTTP', 'too large']);
  });

  it('delivers a 2xx whatever its body, without reading all of it', async () => {
    let written: (n: number) => void = () => undefined;
    const closedAfter = new Promise<number>((resolve) => (written = resolve));
    rx = await startTestReceiver((_q, _n, res) => endlessBody(res, 200, written));
    client = createHttpClient({ timeoutMs: 5000, userAgent: 't' });
    expect(await firstValueFrom(client.request({ method: 'POST', url: rx.url, body: new Uint8Array(3) }))).toBe(200);
    expect(await closedAfter).toBeLessThan(64 << 20);
  });

  it('retries 5xx and 429 for remote write as the spec says: 501 retryable, 408 not', async () => {
    const statuses = [501, 408];
    rx = await startTestReceiver((_q, n, res) => res.writeHead(statuses[n]).end());
    client = createHttpClient({ timeoutMs: 5000, userAgent: 't' });
    const rw = (url: string) =>
      firstValueFrom(client!.request({ method: 'POST', url, body: new Uint8Array(1), retryableStatus: isRemoteWriteRetryableStatus })).catch((e: HttpError) => e);
    const [a, b] = [await rw(rx.url), await rw(rx.url)] as HttpError[];
    expect([a.status, a.retryable, b.status, b.retryable]).toEqual([501, true, 408, false]);
  });
});
