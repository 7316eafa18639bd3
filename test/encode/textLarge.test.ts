import { encodeOpenMetricsBytes, encodeText, encodeTextBytes } from '../../src/encode/text';
import { gauge, type MetricFamily } from '../../src/model/family';

/** A family of `n` samples whose text is several MB (the writer hands such outputs out without a copy). */
const big = (n: number, tag: string): MetricFamily[] => [
  gauge('kube_pod_info', 'Information about pod.', Array.from({ length: n }, (_, i) => ({ labels: { pod: `pod-${String(i).padStart(6, '0')}`, tag, node: 'ñode-é' }, value: i }))),
];

describe('encodeTextBytes of large outputs', () => {
  it('returns a buffer the next encodes do not overwrite, equal to the string encoder', () => {
    const a = big(60_000, 'first');
    const first = encodeTextBytes(a);
    const copy = Buffer.from(first);
    expect(first.length).toBeGreaterThan(1024 * 1024);
    const second = encodeTextBytes(big(60_000, 'other'));
    const third = encodeOpenMetricsBytes(big(70_000, 'third'));
    encodeTextBytes([gauge('node_x', 'X.', [{ labels: {}, value: 1 }])]);
    expect(first.equals(copy)).toBe(true);
    expect(second.toString('utf8')).toBe(encodeText(big(60_000, 'other')));
    expect(third.toString('utf8').endsWith('# EOF\n')).toBe(true);
    expect(first.toString('utf8')).toBe(encodeText(a));
    expect(first.toString('utf8')).toContain('kube_pod_info{node="ñode-é",pod="pod-000000",tag="first"} 0\n');
  });

  it('encodes a smaller output after a large one in full', () => {
    encodeTextBytes(big(60_000, 'large'));
    const small = encodeTextBytes(big(3, 'small')).toString('utf8');
    expect(small).toBe(
      [
        '# HELP kube_pod_info Information about pod.',
        '# TYPE kube_pod_info gauge',
        'kube_pod_info{node="ñode-é",pod="pod-000000",tag="small"} 0',
        'kube_pod_info{node="ñode-é",pod="pod-000001",tag="small"} 1',
        'kube_pod_info{node="ñode-é",pod="pod-000002",tag="small"} 2',
        '',
      ].join('\n'),
    );
  });
});

describe('encodeTextBytes label names', () => {
  it('writes each sample with its own label names when families and samples change them', () => {
    const fams: MetricFamily[] = [
      gauge('a', 'A.', [
        { labels: { x: '1', y: '2' }, value: 1 },
        { labels: { y: '3', é: 'ü' }, value: 2 },
        { labels: { x: '0', y: '2' }, value: 3 },
      ]),
      gauge('b', 'B.', [{ labels: { x: '1', y: '2' }, value: 1 }, { labels: {}, value: 4 }]),
    ];
    const text = encodeTextBytes(fams).toString('utf8');
    expect(text).toBe(encodeText(fams));
    expect(text).toContain('a{y="3",é="ü"} 2\n');
    expect(text).toContain('b 4\nb{x="1",y="2"} 1\n');
  });
});
