import { acceptsOpenMetrics, encodeOpenMetrics, encodeOpenMetricsBytes, encodeText, encodeTextBytes, normalizeFamilies } from '../../src/encode/text';
import { counter, gauge, type MetricFamily } from '../../src/model/family';

const fams: MetricFamily[] = [
  gauge('node_b', 'B with "quotes" and \\ backslash\nand newline.', [
    { labels: { z: '1', a: 'x"y' }, value: 2 },
    { labels: { z: '0', a: 'x"y' }, value: 1 },
    { labels: { a: 'a\\b\nc', z: '0' }, value: NaN },
  ]),
  counter('node_a_total', 'A.', [{ labels: {}, value: 1.6658055168e10 }]),
  counter('node_c_seconds', 'C.', [{ labels: { cpu: '1' }, value: Infinity }, { labels: { cpu: '0' }, value: -Infinity }]),
];

describe('encodeText', () => {
  it('sorts families and samples, escapes help and label values, prints Go numbers', () => {
    expect(encodeText(fams)).toBe(
      [
        '# HELP node_a_total A.',
        '# TYPE node_a_total counter',
        'node_a_total 1.6658055168e+10',
        '# HELP node_b B with "quotes" and \\\\ backslash\\nand newline.',
        '# TYPE node_b gauge',
        'node_b{a="a\\\\b\\nc",z="0"} NaN',
        'node_b{a="x\\"y",z="0"} 1',
        'node_b{a="x\\"y",z="1"} 2',
        '# HELP node_c_seconds C.',
        '# TYPE node_c_seconds counter',
        'node_c_seconds{cpu="0"} -Inf',
        'node_c_seconds{cpu="1"} +Inf',
        '',
      ].join('\n'),
    );
  });

  it('merges families of the same name and drops duplicate series, keeping the first', () => {
    const out = encodeText([
      gauge('node_x', 'X.', [{ labels: { a: '1' }, value: 1 }]),
      gauge('node_x', 'X.', [{ labels: { a: '1' }, value: 9 }, { labels: { a: '2' }, value: 2 }]),
    ]);
    expect(out).toBe('# HELP node_x X.\n# TYPE node_x gauge\nnode_x{a="1"} 1\nnode_x{a="2"} 2\n');
  });

  it('adds extra labels without overriding a sample\'s own', () => {
    const [f] = normalizeFamilies([gauge('m', 'M.', [{ labels: { nodeName: 'own' }, value: 1 }])], { nodeName: 'n1', masterIp: '' });
    expect(f.samples[0].sample.labels).toEqual({ nodeName: 'own', masterIp: '' });
  });
});

describe('encodeTextBytes and encodeOpenMetricsBytes', () => {
  const unicode: MetricFamily[] = [
    ...fams,
    gauge('node_u', 'Hélp with \\ and\n"ü"', [
      { labels: { v: 'ünïcode "q" \\ \n' }, value: 1 },
      { labels: { v: '日本' }, value: 2 },
      { labels: { v: 'x'.repeat(70000) }, value: 3 }, // past the writer's first buffer
    ]),
  ];

  it('writes the UTF-8 bytes of the string encoders, with or without extra labels', () => {
    for (const extra of [undefined, { nodeName: 'nœud' }]) {
      expect(encodeTextBytes(unicode, extra).equals(Buffer.from(encodeText(unicode, extra)))).toBe(true);
      expect(encodeOpenMetricsBytes(unicode, extra).equals(Buffer.from(encodeOpenMetrics(unicode, extra)))).toBe(true);
    }
  });

  it('starts afresh after an encoding that threw', () => {
    const broken = [gauge('node_x', 'X.', [{ labels: { a: undefined as unknown as string }, value: 1 }])];
    expect(() => encodeTextBytes(broken)).toThrow(TypeError);
    expect(encodeTextBytes(fams.slice(1, 2)).toString()).toBe('# HELP node_a_total A.\n# TYPE node_a_total counter\nnode_a_total 1.6658055168e+10\n');
  });
});

describe('encodeOpenMetrics', () => {
  it('strips _total from counter metadata, adds it to samples, maps untyped to unknown and ends with # EOF', () => {
    const out = encodeOpenMetrics([
      ...fams.slice(1),
      { name: 'node_u', help: 'U.', type: 'untyped', samples: [{ labels: {}, value: 3 }] },
    ]);
    expect(out).toBe(
      [
        '# HELP node_a A.',
        '# TYPE node_a counter',
        'node_a_total 1.6658055168e+10',
        '# HELP node_c_seconds C.',
        '# TYPE node_c_seconds counter',
        'node_c_seconds_total{cpu="0"} -Inf',
        'node_c_seconds_total{cpu="1"} +Inf',
        '# HELP node_u U.',
        '# TYPE node_u unknown',
        'node_u 3',
        '# EOF',
        '',
      ].join('\n'),
    );
  });
});

describe('acceptsOpenMetrics', () => {
  it.each([
    [undefined, false],
    ['text/plain', false],
    ['application/openmetrics-text;version=1.0.0,application/openmetrics-text;version=0.0.1;q=0.75,text/plain;version=0.0.4;q=0.5,*/*;q=0.1', true],
    ['text/plain;q=1,application/openmetrics-text;q=0.5', false],
    ['application/openmetrics-text; version=1.0.0', true],
  ])('%p → %p', (accept, want) => expect(acceptsOpenMetrics(accept)).toBe(want));
});

describe('histograms and summaries', () => {
  const h: MetricFamily = {
    name: 'req_seconds',
    help: 'Requests.',
    type: 'histogram',
    samples: [
      { name: 'req_seconds_count', labels: { path: '/b' }, value: 2 },
      { name: 'req_seconds_bucket', labels: { path: '/b', le: '+Inf' }, value: 2 },
      { name: 'req_seconds_bucket', labels: { path: '/b', le: '10' }, value: 1 },
      { name: 'req_seconds_bucket', labels: { path: '/b', le: '2.5' }, value: 1 },
      { name: 'req_seconds_sum', labels: { path: '/b' }, value: 4.5 },
      { name: 'req_seconds_bucket', labels: { path: '/a', le: '+Inf' }, value: 1 },
      { name: 'req_seconds_sum', labels: { path: '/a' }, value: 0.5 },
      { name: 'req_seconds_count', labels: { path: '/a' }, value: 1 },
    ],
  };
  const want = [
    '# HELP req_seconds Requests.',
    '# TYPE req_seconds histogram',
    'req_seconds_bucket{le="+Inf",path="/a"} 1',
    'req_seconds_sum{path="/a"} 0.5',
    'req_seconds_count{path="/a"} 1',
    'req_seconds_bucket{le="2.5",path="/b"} 1',
    'req_seconds_bucket{le="10",path="/b"} 1',
    'req_seconds_bucket{le="+Inf",path="/b"} 2',
    'req_seconds_sum{path="/b"} 4.5',
    'req_seconds_count{path="/b"} 2',
  ];

  it('writes a histogram typed, per metric: buckets by bound, then _sum, then _count', () => {
    expect(encodeText([h])).toBe(`${want.join('\n')}\n`);
  });

  it('keeps _sum and _count apart from each other when removing duplicate series', () => {
    expect(encodeText([h, h])).toBe(`${want.join('\n')}\n`);
  });

  it('writes the same series in OpenMetrics', () => {
    expect(encodeOpenMetrics([h])).toBe(`${want.join('\n')}\n# EOF\n`);
  });

  it('orders a summary\'s quantiles numerically before _sum and _count', () => {
    const s: MetricFamily = {
      name: 'rpc',
      help: 'RPC.',
      type: 'summary',
      samples: [
        { name: 'rpc_count', labels: {}, value: 9 },
        { labels: { quantile: '0.99' }, value: 3 },
        { labels: { quantile: '0.5' }, value: 1 },
        { name: 'rpc_sum', labels: {}, value: 12 },
      ],
    };
    expect(encodeText([s])).toBe('# HELP rpc RPC.\n# TYPE rpc summary\nrpc{quantile="0.5"} 1\nrpc{quantile="0.99"} 3\nrpc_sum 12\nrpc_count 9\n');
  });
});
