import { countSamples, encodeVmImport } from '../../src/encode/vmImport';
import { counter, gauge } from '../../src/model/family';

describe('encodeVmImport', () => {
  it('writes one line per sample with base labels and the millisecond timestamp', () => {
    const text = encodeVmImport(
      [
        gauge('node_load1', 'h', [{ labels: {}, value: 0.25 }]),
        counter('node_x_total', 'h', [
          { labels: { a: 'q"\\\nz' }, value: 1.6658055168e10 },
          { labels: { nodeName: 'own' }, value: NaN },
          { labels: {}, value: -Infinity },
        ]),
      ],
      1_700_000_000_123.4,
      { nodeName: 'n1', masterIp: '' },
    );
    expect(text).toBe(
      [
        'node_load1{nodeName="n1"} 0.25 1700000000123',
        'node_x_total{nodeName="n1",a="q\\"\\\\\\nz"} 16658055168 1700000000123',
        'node_x_total{nodeName="own"} NaN 1700000000123',
        'node_x_total{nodeName="n1"} -Inf 1700000000123',
        '',
      ].join('\n'),
    );
  });

  it('never writes a label whose value is empty; an empty own value leaves the base label of that name', () => {
    const text = encodeVmImport(
      [
        gauge('node_x', 'h', [
          { labels: { device: 'sda', device_error: '' }, value: 1 },
          { labels: { dc: '' }, value: 2 },
          { labels: { masterIp: '10.0.0.1', e: '' }, value: 3 },
        ]),
      ],
      9,
      { nodeName: 'n1', masterIp: '', dc: 'fra1' },
    );
    expect(text).toBe(['node_x{nodeName="n1",dc="fra1",device="sda"} 1 9', 'node_x{nodeName="n1",dc="fra1"} 2 9', 'node_x{nodeName="n1",dc="fra1",masterIp="10.0.0.1"} 3 9', ''].join('\n'));
    expect(encodeVmImport([gauge('up', 'h', [{ labels: { a: '' }, value: 1 }])], 5, { b: '' })).toBe('up 1 5\n');
  });

  it('writes no braces without labels', () => {
    expect(encodeVmImport([gauge('up', 'h', [{ labels: {}, value: 1 }])], 5, {})).toBe('up 1 5\n');
  });

  it('counts samples', () => {
    expect(countSamples([gauge('a', 'h', [{ labels: {}, value: 1 }]), gauge('b', 'h', [])])).toBe(1);
  });
});

describe('encodeVmImport with histogram series', () => {
  it('names each sample by its series (_bucket, _sum, _count)', () => {
    const text = encodeVmImport(
      [
        {
          name: 'h',
          help: 'H.',
          type: 'histogram',
          samples: [
            { name: 'h_bucket', labels: { le: '+Inf' }, value: 2 },
            { name: 'h_sum', labels: {}, value: 1.5 },
            { name: 'h_count', labels: {}, value: 2 },
          ],
        },
      ],
      1000,
      { nodeName: 'n' },
    );
    expect(text).toBe('h_bucket{nodeName="n",le="+Inf"} 2 1000\nh_sum{nodeName="n"} 1.5 1000\nh_count{nodeName="n"} 2 1000\n');
  });
});
