import { encodeVmImport, countSamples } from '../encode/vmImport';
import type { Labels } from '../model/family';
import type { HttpClient } from './http';
import type { SinkSpec } from './spec';
import { gzip, joinBodies } from './compress';

/** Returns the URL vmagent and VictoriaMetrics import the Prometheus text format at, from their base URL. */
export const vmImportUrl = (base: string): string => `${base.replace(/\/+$/, '')}/api/v1/import/prometheus`;

/**
 * Returns the vmagent / VictoriaMetrics sink: every sample as a timestamped text line,
 * consecutive batches joined and gzip'd into one POST with Content-Encoding: gzip
 * (without that header VictoriaMetrics answers 204 and stores nothing).
 */
export function vmImportSink(o: { url: string; client: HttpClient; baseLabels: () => Labels }): SinkSpec {
  const url = vmImportUrl(o.url);
  return {
    name: 'vmagent',
    conflate: false,
    maxItems: 64,
    maxBytes: 16 << 20,
    encode: (b) => [
      { seq: b.seq, timestampMs: b.timestampMs, samples: countSamples(b.families), body: Buffer.from(encodeVmImport(b.families, b.timestampMs, o.baseLabels())) },
    ],
    send: (ps) =>
      o.client.request({
        method: 'POST',
        url,
        headers: { 'content-type': 'text/plain; version=0.0.4', 'content-encoding': 'gzip' },
        body: gzip(joinBodies(ps)),
      }),
  };
}
