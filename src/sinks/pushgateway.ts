import { encodeText } from '../encode/text';
import { countSamples } from '../encode/vmImport';
import type { Labels } from '../model/family';
import type { HttpClient } from './http';
import type { SinkSpec } from './spec';
import { gzip } from './compress';

const base64url = (s: string): string => Buffer.from(s, 'utf8').toString('base64url');

/**
 * Returns one grouping-key pair as Pushgateway path segments: a value that is empty or has a
 * "/" goes base64 (`name@base64/value`, "=" for the empty value), others URL-escaped.
 */
export const groupingSegment = (name: string, value: string): string =>
  value === '' || value.includes('/') ? `${name}@base64/${value === '' ? '=' : base64url(value)}` : `${name}/${encodeURIComponent(value)}`;

/** Returns the group URL `<url>/metrics/job/<job>/nodeName/<nodeName>[/<label>/<value>…]`. */
export function pushgatewayGroupUrl(url: string, job: string, nodeName: string, grouping: Readonly<Record<string, string>>): string {
  const parts = [groupingSegment('job', job), groupingSegment('nodeName', nodeName)];
  for (const [k, v] of Object.entries(grouping)) if (k !== 'job' && k !== 'nodeName') parts.push(groupingSegment(k, v));
  return `${url.replace(/\/+$/, '')}/metrics/${parts.join('/')}`;
}

/**
 * Returns the Pushgateway sink: it keeps only the newest snapshot, PUTs it as the whole group
 * (text format without timestamps, which Pushgateway refuses, gzip'd) and, when
 * deleteOnShutdown, DELETEs the group on a clean shutdown.
 */
export function pushgatewaySink(o: {
  url: string;
  job: string;
  nodeName: string;
  groupingLabels: Readonly<Record<string, string>>;
  deleteOnShutdown: boolean;
  client: HttpClient;
  baseLabels: () => Labels;
}): SinkSpec {
  const url = pushgatewayGroupUrl(o.url, o.job, o.nodeName, o.groupingLabels);
  return {
    name: 'pushgateway',
    conflate: true,
    maxItems: 1,
    maxBytes: 0,
    encode: (b) => [{ seq: b.seq, timestampMs: b.timestampMs, samples: countSamples(b.families), body: Buffer.from(encodeText(b.families, o.baseLabels())) }],
    send: (ps) =>
      o.client.request({
        method: 'PUT',
        url,
        headers: { 'content-type': 'text/plain; version=0.0.4', 'content-encoding': 'gzip' },
        body: gzip(ps[ps.length - 1].body),
      }),
    skipFinalPush: o.deleteOnShutdown,
    shutdown: o.deleteOnShutdown ? () => o.client.request({ method: 'DELETE', url }) : undefined,
  };
}
