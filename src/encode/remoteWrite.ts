import type { Labels, MetricFamily } from '../model/family';
import { int64Size, ProtoReader, ProtoWriter, StringBytesCache, tag, varintSize } from './protobuf';

/** Headers of a remote-write 1.0 request. */
export const REMOTE_WRITE_HEADERS: Readonly<Record<string, string>> = {
  'Content-Encoding': 'snappy',
  'Content-Type': 'application/x-protobuf',
  'X-Prometheus-Remote-Write-Version': '0.1.0',
};

const byteCompare = (a: string, b: string): number => (a < b ? -1 : a > b ? 1 : 0);

const TS_LABELS = tag(1, 2); // TimeSeries.labels, WriteRequest.timeseries
const TS_SAMPLES = tag(2, 2); // TimeSeries.samples
const LABEL_NAME = tag(1, 2);
const LABEL_VALUE = tag(2, 2);
const SAMPLE_VALUE = tag(1, 1);
const SAMPLE_TS = tag(2, 0);

/**
 * Encoder state kept between snapshots. The same series come back in every snapshot, so the
 * encoded labels of each series are cached by family name and label set: after the first
 * snapshot a sample costs one key, one lookup, one copy and its value and timestamp.
 */
export class RemoteWriteEncoder {
  private readonly strings = new StringBytesCache();
  private readonly w = new ProtoWriter(256 * 1024);
  private series = new Map<string, Uint8Array>();
  private baseKey = '';
  private readonly scratch = new ProtoWriter(4 * 1024);

  /** @param maxSeries series whose labels are cached; the cache starts over past it. */
  constructor(private readonly maxSeries = 50_000) {}

  /**
   * Returns the encoded Label fields (tag, length, name, value …) of one series, sorted by
   * name, without empty values (an empty own value leaves the base label of that name).
   */
  private labelsOf(name: string, l: Labels, base: Labels, baseNames: readonly string[]): Uint8Array {
    const names = ['__name__'];
    for (const n of baseNames) if (base[n] !== '' && !l[n]) names.push(n);
    for (const n in l) if (n !== '__name__' && l[n] !== '') names.push(n);
    names.sort(byteCompare);
    const w = this.scratch;
    w.pos = 0;
    for (let i = 0; i < names.length; i++) {
      const n = names[i];
      if (i > 0 && names[i - 1] === n) continue; // unique names (cannot happen from objects, kept as a guard)
      const nb = this.strings.get(n);
      const vb = this.strings.get(n === '__name__' ? name : l[n] || base[n]);
      w.ensure(16 + nb.length + vb.length);
      w.buf[w.pos++] = TS_LABELS;
      w.varint(1 + varintSize(nb.length) + nb.length + 1 + varintSize(vb.length) + vb.length);
      w.buf[w.pos++] = LABEL_NAME;
      w.varint(nb.length);
      w.bytes(nb);
      w.buf[w.pos++] = LABEL_VALUE;
      w.varint(vb.length);
      w.bytes(vb);
    }
    return w.finish();
  }

  /**
   * Returns the families as WriteRequest bodies (uncompressed protobuf), each with at most
   * `maxSamples` samples: one TimeSeries per sample, labels `__name__`, `base` and the sample's
   * own (which win over base) sorted by name and unique, none with an empty value (remote-write
   * 1.0, "Labels": MUST NOT contain empty label values), the snapshot's timestamp on each.
   * Concatenated bodies are again a valid WriteRequest (repeated field 1).
   */
  encode(families: readonly MetricFamily[], timestampMs: number, base: Labels, maxSamples = Infinity): { body: Uint8Array; samples: number }[] {
    const baseNames = Object.keys(base);
    let bk = '';
    for (const n of baseNames) bk += `${n}\u0001${base[n]}\u0000`;
    if (bk !== this.baseKey || this.series.size > this.maxSeries) {
      this.series = new Map();
      this.baseKey = bk;
    }
    const out: { body: Uint8Array; samples: number }[] = [];
    const w = this.w;
    const ts = Math.round(timestampMs);
    const sampleLen = 1 + 8 + 1 + int64Size(ts);
    // The timestamp's varint is the same for every sample of the snapshot: encode it once.
    const tw = new ProtoWriter(16);
    tw.int64(ts);
    const tsBytes = tw.finish();
    let inBody = 0;
    w.pos = 0;
    const flush = () => {
      if (inBody === 0) return;
      out.push({ body: w.finish(), samples: inBody });
      w.pos = 0;
      inBody = 0;
    };
    for (const f of families) {
      for (const s of f.samples) {
        const l = s.labels;
        const name = s.name ?? f.name;
        let key = name;
        for (const n in l) key += `\u0000${n}\u0001${l[n]}`;
        let lb = this.series.get(key);
        if (lb === undefined) {
          lb = this.labelsOf(name, l, base, baseNames);
          this.series.set(key, lb);
        }
        const seriesLen = lb.length + 2 + sampleLen; // sampleLen < 128: a one-byte length
        w.ensure(16 + seriesLen);
        const buf = w.buf;
        buf[w.pos++] = TS_LABELS;
        w.varint(seriesLen);
        buf.set(lb, w.pos);
        w.pos += lb.length;
        buf[w.pos++] = TS_SAMPLES;
        buf[w.pos++] = sampleLen;
        buf[w.pos++] = SAMPLE_VALUE;
        w.double(s.value);
        buf[w.pos++] = SAMPLE_TS;
        buf.set(tsBytes, w.pos);
        w.pos += tsBytes.length;
        if (++inBody >= maxSamples) flush();
      }
    }
    flush();
    return out;
  }
}

/** A decoded TimeSeries (tests and debugging). */
export interface DecodedSeries {
  readonly labels: [string, string][];
  readonly samples: { value: number; timestampMs: number; bits: bigint }[];
}

const utf8 = new TextDecoder();

/** Returns the series of an uncompressed WriteRequest. */
export function decodeWriteRequest(buf: Uint8Array): DecodedSeries[] {
  const r = new ProtoReader(buf);
  const out: DecodedSeries[] = [];
  while (!r.done()) {
    const t = r.varint();
    if (t !== TS_LABELS) {
      r.skip(t & 7);
      continue;
    }
    const ts = r.bytes();
    const sr = new ProtoReader(ts);
    const series: DecodedSeries = { labels: [], samples: [] };
    while (!sr.done()) {
      const st = sr.varint();
      if (st === TS_LABELS) {
        const lr = new ProtoReader(sr.bytes());
        let name = '';
        let value = '';
        while (!lr.done()) {
          const lt = lr.varint();
          if (lt === LABEL_NAME) name = utf8.decode(lr.bytes());
          else if (lt === LABEL_VALUE) value = utf8.decode(lr.bytes());
          else lr.skip(lt & 7);
        }
        series.labels.push([name, value]);
      } else if (st === TS_SAMPLES) {
        const pr = new ProtoReader(sr.bytes());
        let value = 0;
        let bits = 0n;
        let timestampMs = 0;
        while (!pr.done()) {
          const pt = pr.varint();
          if (pt === SAMPLE_VALUE) {
            const at = pr.pos;
            bits = pr.doubleBits();
            pr.pos = at;
            value = pr.double();
          } else if (pt === SAMPLE_TS) timestampMs = pr.int64();
          else pr.skip(pt & 7);
        }
        series.samples.push({ value, timestampMs, bits });
      } else sr.skip(st & 7);
    }
    out.push(series);
  }
  return out;
}
