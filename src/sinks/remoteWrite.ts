import { RemoteWriteEncoder, REMOTE_WRITE_HEADERS } from '../encode/remoteWrite';
import { snappyCompress } from '../encode/snappy';
import type { Labels } from '../model/family';
import type { HttpClient } from './http';
import type { SinkSpec } from './spec';
import { joinBodies } from './compress';

/** Options of remoteWriteSink. */
export interface RemoteWriteSinkOptions {
  readonly url: string;
  readonly client: HttpClient;
  readonly baseLabels: () => Labels;
  /** Samples per request at most; larger snapshots are split. */
  readonly maxSamplesPerRequest: number;
}

/**
 * Returns true for the statuses remote-write 1.0 says to retry: every 5xx (501 included) and
 * 429; senders must not retry any other 4xx (408 included). Source: prometheus.io/docs/specs/
 * remote_write_spec, "Retries & Backoff".
 */
export const isRemoteWriteRetryableStatus = (s: number): boolean => s === 429 || (s >= 500 && s < 600);

/**
 * Returns the Prometheus remote-write 1.0 sink: a snapshot becomes WriteRequests of at most
 * maxSamplesPerRequest samples, each sent alone (snappy block compression) and in order, so
 * every series' samples arrive in time order. Failures are retried as the spec says
 * (isRemoteWriteRetryableStatus); no label with an empty value is sent. Authorization and
 * extra headers are the client's (HttpClientOptions.client).
 */
export function remoteWriteSink(o: RemoteWriteSinkOptions): SinkSpec {
  const encoder = new RemoteWriteEncoder();
  return {
    name: 'remote_write',
    conflate: false,
    maxItems: 1,
    maxBytes: 0,
    encode: (b) =>
      encoder
        .encode(b.families, b.timestampMs, o.baseLabels(), Math.max(1, o.maxSamplesPerRequest))
        .map((p) => ({ seq: b.seq, timestampMs: b.timestampMs, samples: p.samples, body: p.body })),
    send: (ps) =>
      o.client.request({ method: 'POST', url: o.url, headers: REMOTE_WRITE_HEADERS, body: snappyCompress(joinBodies(ps)), retryableStatus: isRemoteWriteRetryableStatus }),
  };
}
