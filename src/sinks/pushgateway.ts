import { encodeText } from '../encode/text';
import { countSamples } from '../encode/vmImport';
import type { Labels, MetricFamily } from '../model/family';
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

/**
 * Returns the group URL `<url>/metrics/job/<job>[/nodeName/<nodeName>][/<label>/<value>…]`;
 * a label whose value is empty is left out (to Prometheus it is no label).
 */
export function pushgatewayGroupUrl(url: string, job: string, nodeName: string, grouping: Readonly<Record<string, string>>): string {
  const parts = [groupingSegment('job', job)];
  if (nodeName !== '') parts.push(groupingSegment('nodeName', nodeName));
  for (const [k, v] of Object.entries(grouping)) if (k !== 'job' && k !== 'nodeName' && v !== '') parts.push(groupingSegment(k, v));
  return `${url.replace(/\/+$/, '')}/metrics/${parts.join('/')}`;
}

const withoutEmpty = (l: Labels): Labels => {
  for (const k in l) if (l[k] === '') return Object.fromEntries(Object.entries(l).filter(([, v]) => v !== ''));
  return l;
};

/**
 * Returns the text-format body of a push: the families with `base` labels added (a sample's
 * own non-empty label wins), no label with an empty value anywhere, and no timestamps.
 */
export function pushgatewayBody(families: readonly MetricFamily[], base: Labels): Buffer {
  const clean = families.map((f) => {
    const samples = f.samples.map((s) => {
      const labels = withoutEmpty(s.labels);
      return labels === s.labels ? s : { ...s, labels };
    });
    return samples.every((s, i) => s === f.samples[i]) ? f : { ...f, samples };
  });
  return Buffer.from(encodeText(clean, withoutEmpty(base)));
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
    encode: (b) => [{ seq: b.seq, timestampMs: b.timestampMs, samples: countSamples(b.families), body: pushgatewayBody(b.families, o.baseLabels()) }],
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
