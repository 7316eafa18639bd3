import { gauge, type Sample } from '../../src/model/family';
import { decodeWriteRequest, RemoteWriteEncoder } from '../../src/encode/remoteWrite';
import { ProtoWriter, ProtoReader } from '../../src/encode/protobuf';

const STALE_NAN = 0x7ff0000000000002n;

describe('RemoteWriteEncoder', () => {
  const fams = [
    gauge('node_load1', 'l', [{ labels: {}, value: 0.25 }]),
    gauge('node_filesystem_avail_bytes', 'a', [
      { labels: { mountpoint: '/', device: '/dev/sda1', Zone: 'é' }, value: 1.5e10 },
      { labels: { mountpoint: '/boot', device: '/dev/sda2' }, value: NaN },
    ]),
  ];

  it('writes one series per sample with sorted unique labels, base labels and the timestamp', () => {
    const [{ body, samples }] = new RemoteWriteEncoder().encode(fams, 1_700_000_000_123, { nodeName: 'n1', masterIp: '', Zone: 'base' });
    expect(samples).toBe(3);
    const series = decodeWriteRequest(body);
    expect(series.map((s) => s.labels)).toEqual([
      // masterIp is empty: no label
      [['Zone', 'base'], ['__name__', 'node_load1'], ['nodeName', 'n1']],
      // byte order: 'Z' < '_' < 'd'; the sample's Zone wins over the base label
      [['Zone', 'é'], ['__name__', 'node_filesystem_avail_bytes'], ['device', '/dev/sda1'], ['mountpoint', '/'], ['nodeName', 'n1']],
      [['Zone', 'base'], ['__name__', 'node_filesystem_avail_bytes'], ['device', '/dev/sda2'], ['mountpoint', '/boot'], ['nodeName', 'n1']],
    ]);
    for (const s of series) for (const [i, l] of s.labels.entries()) if (i > 0) expect(s.labels[i - 1][0] < l[0]).toBe(true);
    expect(series.map((s) => s.samples.map((x) => x.timestampMs))).toEqual([[1_700_000_000_123], [1_700_000_000_123], [1_700_000_000_123]]);
    expect(series[0].samples[0].value).toBe(0.25);
    expect(series[1].samples[0].value).toBe(1.5e10);
  });

  it('never writes a label whose value is empty (remote-write 1.0: "MUST NOT contain any empty label names or values")', () => {
    const e = new RemoteWriteEncoder();
    const samples: Sample[] = [
      { labels: { device: 'sda', device_error: '' }, value: 1 },
      // an empty value of the sample's own is no label: the base label of that name stays
      { labels: { device: 'sdb', dc: '' }, value: 2 },
    ];
    for (let pass = 0; pass < 2; pass++) {
      const [{ body }] = e.encode([gauge('node_x', 'h', samples)], 7, { nodeName: 'n1', masterIp: '', dc: 'fra1' });
      expect(decodeWriteRequest(body).map((s) => s.labels)).toEqual([
        [['__name__', 'node_x'], ['dc', 'fra1'], ['device', 'sda'], ['nodeName', 'n1']],
        [['__name__', 'node_x'], ['dc', 'fra1'], ['device', 'sdb'], ['nodeName', 'n1']],
      ]);
    }
  });

  it('sends NaN as the ordinary NaN, never the stale marker', () => {
    const [{ body }] = new RemoteWriteEncoder().encode(fams, 1, {});
    const nan = decodeWriteRequest(body)[2].samples[0];
    expect(Number.isNaN(nan.value)).toBe(true);
    expect(nan.bits).toBe(0x7ff8000000000000n);
    expect(nan.bits).not.toBe(STALE_NAN);
  });

  it('splits a snapshot into bodies of at most maxSamples samples, each a valid WriteRequest', () => {
    const many = [gauge('m', 'h', Array.from({ length: 25 }, (_, i) => ({ labels: { i: String(i) }, value: i })))];
    const bodies = new RemoteWriteEncoder().encode(many, 5, { nodeName: 'n' }, 10);
    expect(bodies.map((b) => b.samples)).toEqual([10, 10, 5]);
    const all = bodies.flatMap((b) => decodeWriteRequest(b.body));
    expect(all.map((s) => s.samples[0].value)).toEqual(Array.from({ length: 25 }, (_, i) => i));
    // concatenated bodies decode as one request
    const joined = Buffer.concat(bodies.map((b) => b.body));
    expect(decodeWriteRequest(joined)).toHaveLength(25);
  });

  it('gives the same bytes when the string cache is warm', () => {
    const e = new RemoteWriteEncoder();
    const a = e.encode(fams, 9, { nodeName: 'n' })[0].body;
    const b = e.encode(fams, 9, { nodeName: 'n' })[0].body;
    expect(Buffer.from(a).equals(Buffer.from(b))).toBe(true);
  });
});

describe('ProtoWriter', () => {
  it.each([0, 1, 127, 128, 300, 2 ** 31, 2 ** 40 + 3, 1_700_000_000_000, -1, -1_700_000_000_000])('round-trips int64 %d', (v) => {
    const w = new ProtoWriter(1);
    w.int64(v);
    expect(new ProtoReader(w.finish()).int64()).toBe(v);
  });
});

describe('RemoteWriteEncoder with histogram series', () => {
  it('sets __name__ from each sample\'s series name', () => {
    const [req] = new RemoteWriteEncoder().encode(
      [{ name: 'h', help: 'H.', type: 'histogram', samples: [{ name: 'h_sum', labels: {}, value: 1 }, { name: 'h_count', labels: {}, value: 2 }] }],
      1000,
      {},
    );
    const names = decodeWriteRequest(req.body).map((s) => s.labels.find(([n]) => n === '__name__')?.[1]);
    expect(names).toEqual(['h_sum', 'h_count']);
  });
});
