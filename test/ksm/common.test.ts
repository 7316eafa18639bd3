import { RxporterError } from '../../src/errors';
import {
  allowlistedLabels,
  allowedKeys,
  conditionSamples,
  isExtendedResource,
  isOptedIn,
  ksmHelp,
  parseAllowlist,
  parseOptInList,
  parseQuantityNanos,
  parseTimeSeconds,
  promLabelName,
  quantityFloat,
  quantityValue,
  resourceValues,
  sanitizeLabelName,
  timeSeconds,
  toPromLabels,
} from '../../src/ksm/common';

describe('parseQuantityNanos / quantityValue / quantityFloat', () => {
  // Expectations follow k8s.io/apimachinery resource.Quantity: Value() and MilliValue()
  // round away from zero; KSM's convertValueToFloat64 is MilliValue()/1000.
  it.each([
    ['0', 0, 0],
    ['1', 1, 1],
    ['100m', 1, 0.1],
    ['250m', 1, 0.25],
    ['1500m', 2, 1.5],
    ['1.5', 2, 1.5],
    ['0.5', 1, 0.5],
    ['.5', 1, 0.5],
    ['1.', 1, 1],
    ['1n', 1, 0.001],
    ['1u', 1, 0.001],
    ['1.0001m', 1, 0.002],
    ['2k', 2000, 2000],
    ['1M', 1e6, 1e6],
    ['1G', 1e9, 1e9],
    ['1T', 1e12, 1e12],
    ['1P', 1e15, 1e15],
    ['1E', 1e18, 1e18],
    ['1Ki', 1024, 1024],
    ['1Mi', 1048576, 1048576],
    ['1.5Gi', 1610612736, 1610612736],
    ['128974848', 128974848, 128974848],
    ['129e6', 129e6, 129e6],
    ['129E6', 129e6, 129e6],
    ['123Mi', 128974848, 128974848],
    ['1e-3', 1, 0.001],
    ['-100m', -1, -0.1],
    ['+2', 2, 2],
    ['12e+3', 12000, 12000],
  ])('%s -> Value %d, float %d', (q, value, float) => {
    expect(quantityValue(q)).toBe(value);
    expect(quantityFloat(q)).toBe(float);
  });

  it('keeps exact nanos and rounds a sub-nano remainder away from zero', () => {
    expect(parseQuantityNanos('1.5Gi')).toBe(1610612736n * 10n ** 9n);
    expect(parseQuantityNanos('0.1n')).toBe(1n);
    expect(parseQuantityNanos('-0.1n')).toBe(-1n);
    expect(parseQuantityNanos('1e-100')).toBe(1n);
    expect(parseQuantityNanos('0e999999999')).toBe(0n);
  });

  it('caps at 2^63-1 and switches to Value() above MaxMilliValue', () => {
    expect(quantityValue('1e100')).toBe(Number(2n ** 63n - 1n));
    expect(quantityFloat('10E')).toBe(1e19 > Number(2n ** 63n - 1n) ? Number(2n ** 63n - 1n) : 1e19);
    expect(quantityFloat('9223372036854776')).toBe(9223372036854776); // > MaxMilliValue: Value()
    // = MaxMilliValue: still MilliValue()/1000, with float64's rounding as in Go
    expect(quantityFloat('9223372036854775')).toBe(Number(9223372036854775000n) / 1000);
  });

  it.each(['', 'abc', '1Gb', '1e', '1ee3', '1.2.3', 'Gi', '1 Gi', '--1', '1K', '1e3.5', '1mi'])('rejects %j', (q) => {
    expect(() => parseQuantityNanos(q)).toThrow(RxporterError);
    expect(() => parseQuantityNanos(q)).toThrow(/not a Kubernetes quantity/);
  });
});

describe('parseAllowlist', () => {
  it('parses KSM format with spaces, wildcards and empty lists', () => {
    const l = parseAllowlist('pods=[app, team],namespaces=[*], nodes=[], deployments=[app.kubernetes.io/*]');
    expect([...l]).toEqual([
      ['pods', ['app', 'team']],
      ['namespaces', '*'],
      ['nodes', []],
      ['deployments', ['app.kubernetes.io/*']],
    ]);
  });

  it('returns an empty map for an empty value', () => {
    expect(parseAllowlist('').size).toBe(0);
    expect(parseAllowlist('  ').size).toBe(0);
  });

  it('lets the * resource win over a named one', () => {
    const l = parseAllowlist('pods=[app],*=[team]');
    expect(allowedKeys(l, 'pods')).toEqual(['team']);
    expect(allowedKeys(l, 'nodes')).toEqual(['team']);
    expect(allowedKeys(parseAllowlist('pods=[app]'), 'nodes')).toBeUndefined();
  });

  it.each([
    ['pods', /no "=\[" after/],
    ['pods=app', /not followed by "\["/],
    ['pods=[app', /unclosed/],
    ['=[app]', /empty resource name/],
    ['pods=[app]x', /text after "\]"/],
    ['pods=[app],', /trailing ","/],
    ['pods=[app,,team]', /empty key/],
    ['pods=[a,]', /empty key/],
    ['pods=[*app*]', /more than 1 wildcard/],
    ['pods=[app],pods=[team]', /given twice/],
    ['pods=[a=[b]]', /stray/],
    ['configmaps=[app]', /unknown resource "configmaps".*available: cronjobs/],
  ])('rejects %j with a clear RXP_CONFIG error', (text, why) => {
    let err: unknown;
    try {
      parseAllowlist(text, '--collector.ksm.metric-labels-allowlist');
    } catch (e) {
      err = e;
    }
    expect(err).toBeInstanceOf(RxporterError);
    expect((err as RxporterError).code).toBe('RXP_CONFIG');
    expect((err as Error).message).toMatch(/^--collector\.ksm\.metric-labels-allowlist: /);
    expect((err as Error).message).toMatch(why);
  });
});

describe('parseOptInList / isOptedIn', () => {
  it('splits, trims and matches as unanchored regular expressions (KSM pkg/optin)', () => {
    const s = parseOptInList(' kube_pod_nodeselectors , ,kube_node_.*x');
    expect([...s]).toEqual(['kube_pod_nodeselectors', 'kube_node_.*x']);
    expect(isOptedIn('kube_pod_nodeselectors', s)).toBe(true);
    expect(isOptedIn('kube_node_foox', s)).toBe(true);
    expect(isOptedIn('kube_pod_info', s)).toBe(false);
    expect(isOptedIn('kube_pod_nodeselectors', new Set())).toBe(false);
  });

  it('rejects an entry that is not a regular expression', () => {
    expect(() => parseOptInList('kube_pod_(')).toThrow(/--metric-opt-in-list: "kube_pod_\(" is not a regular expression/);
  });
});

describe('label names', () => {
  // Cases of KSM's utils_test.go TestKubeLabelsToPrometheusLabels and TestSanitizeLabelName.
  it.each([
    ['nvidia.com/gpu', 'nvidia_com_gpu'],
    ['app.kubernetes.io/name', 'app_kubernetes_io_name'],
    ['ÄÖÜ', '___'],
    ['ok_Name9', 'ok_Name9'],
  ])('sanitizes %j to %j', (a, b) => expect(sanitizeLabelName(a)).toBe(b));

  it.each([
    ['label', 'app', 'label_app'],
    ['label', 'camelCase', 'label_camel_case'],
    ['label', 'snake_case', 'label_snake_case'],
    ['label', 'UPPERCASE', 'label_uppercase'],
    ['label', 'Capitalized', 'label_capitalized'],
    ['annotation', 'app.kubernetes.io/Name', 'annotation_app_kubernetes_io_name'],
    ['label', 'a-b/c.d', 'label_a_b_c_d'],
  ])('names %s %j as %j', (p, k, n) => expect(promLabelName(p, k)).toBe(n));

  it('renames colliding keys to _conflictN in key order', () => {
    expect(toPromLabels('label', { 'foo.bar': '1', foo_bar: '2', 'foo-bar': '3', fooBar: '4' })).toEqual({
      label_foo_bar_conflict1: '3', // foo-bar sorts first
      label_foo_bar_conflict2: '1',
      label_foo_bar_conflict3: '4',
      label_foo_bar_conflict4: '2',
    });
    expect(toPromLabels('label', { a: 'x', b: 'y' })).toEqual({ label_a: 'x', label_b: 'y' });
  });

  // The conflict cases of KSM's utils_test.go TestKubeLabelsToPrometheusLabels.
  it.each([
    [
      {
        conflicting_label1: 'underscore', 'conflicting.label1': 'dot', 'conflicting-label1': 'hyphen',
        'conflicting.label2': 'dot', 'conflicting-label2': 'hyphen', conflicting_label2: 'underscore',
        'conflicting-label3': 'hyphen', conflicting_label3: 'underscore', 'conflicting.label3': 'dot',
      },
      {
        label_conflicting_label1_conflict1: 'hyphen', label_conflicting_label2_conflict1: 'hyphen', label_conflicting_label3_conflict1: 'hyphen',
        label_conflicting_label1_conflict2: 'dot', label_conflicting_label2_conflict2: 'dot', label_conflicting_label3_conflict2: 'dot',
        label_conflicting_label1_conflict3: 'underscore', label_conflicting_label2_conflict3: 'underscore', label_conflicting_label3_conflict3: 'underscore',
      },
    ],
    [
      { conflicting_camelCase: 'camel_case', conflicting_camel_case: 'snake_case' },
      { label_conflicting_camel_case_conflict1: 'camel_case', label_conflicting_camel_case_conflict2: 'snake_case' },
    ],
    [
      { 'A.b.conflict1': 'already_taken', 'a-b': 'dash', 'a.b': 'dot' },
      { label_a_b_conflict1: 'already_taken', label_a_b_conflict2: 'dash', label_a_b_conflict3: 'dot' },
    ],
  ])('resolves conflicts as KSM: %j', (input, want) => expect(toPromLabels('label', input)).toEqual(want));

  it('keeps allow-listed keys only, exact or by one partial wildcard', () => {
    const m = { app: 'web', team: 'x', 'app.kubernetes.io/name': 'n', 'app.kubernetes.io/part-of': 'p', other: 'o' };
    expect(allowlistedLabels('label', m, ['app', 'missing'])).toEqual({ label_app: 'web' });
    expect(allowlistedLabels('label', m, ['app.kubernetes.io/*'])).toEqual({
      label_app_kubernetes_io_name: 'n',
      label_app_kubernetes_io_part_of: 'p',
    });
    expect(Object.keys(allowlistedLabels('label', m, '*'))).toHaveLength(5);
    expect(Object.keys(allowlistedLabels('label', m, ['*', 'x']))).toHaveLength(5);
    expect(allowlistedLabels('label', m, ['team', '*'])).toEqual({ label_team: 'x' }); // * only counts first
    expect(allowlistedLabels('label', undefined, '*')).toEqual({});
  });
});

describe('helpers', () => {
  it('prefixes HELP as KSM generator does', () => {
    expect(ksmHelp('Information about pod.', 'STABLE')).toBe('[STABLE] Information about pod.');
    expect(ksmHelp('The pod status reasons', 'ALPHA')).toBe('The pod status reasons');
    expect(ksmHelp('Old.', 'ALPHA', '2.0.0')).toBe('(Deprecated since 2.0.0) Old.');
  });

  it('writes three condition series', () => {
    expect(conditionSamples('False', 'status', { condition: 'Ready' })).toEqual([
      { labels: { condition: 'Ready', status: 'true' }, value: 0 },
      { labels: { condition: 'Ready', status: 'false' }, value: 1 },
      { labels: { condition: 'Ready', status: 'unknown' }, value: 0 },
    ]);
    expect(conditionSamples('Maybe', 'condition').map((s) => s.value)).toEqual([0, 0, 0]);
  });

  it('parses RFC 3339 times to whole unix seconds', () => {
    expect(parseTimeSeconds('2017-08-01T06:30:18Z')).toBe(1501569018);
    expect(parseTimeSeconds('2017-08-01T08:30:18.999+02:00')).toBe(1501569018);
    expect(parseTimeSeconds('1969-12-31T23:59:59.5Z')).toBe(-1);
    expect(() => parseTimeSeconds('2017-08-01')).toThrow(/not an RFC 3339 time/);
    expect(() => parseTimeSeconds('yesterday')).toThrow(RxporterError);
    expect(timeSeconds(undefined)).toBeUndefined();
    expect(timeSeconds(null)).toBeUndefined();
    expect(timeSeconds('garbage')).toBeUndefined();
  });

  it('classifies resources as KSM does', () => {
    expect(isExtendedResource('nvidia.com/gpu')).toBe(true);
    expect(isExtendedResource('example.com/Foo_bar')).toBe(true);
    expect(isExtendedResource('kubernetes.io/something')).toBe(false);
    expect(isExtendedResource('cpu')).toBe(false);
    expect(isExtendedResource('requests.example.com/x')).toBe(false);
    expect(isExtendedResource('Example.com/x')).toBe(false);
    expect(isExtendedResource('a/b/c')).toBe(false);
  });

  it('converts resource lists with KSM units, containers vs nodes', () => {
    const list = {
      cpu: '250m',
      memory: '1.5Ki',
      'ephemeral-storage': '1G',
      pods: '110',
      'hugepages-2Mi': '4Mi',
      'attachable-volumes-aws-ebs': '39',
      'nvidia.com/gpu': '1',
      'kubernetes.io/other': '1',
      'example.com/bad': 'x',
    };
    expect(resourceValues(list, false)).toEqual([
      { resource: 'cpu', unit: 'core', value: 0.25 },
      { resource: 'memory', unit: 'byte', value: 1536 },
      { resource: 'ephemeral_storage', unit: 'byte', value: 1e9 },
      { resource: 'hugepages_2Mi', unit: 'byte', value: 4194304 },
      { resource: 'attachable_volumes_aws_ebs', unit: 'byte', value: 39 },
      { resource: 'nvidia_com_gpu', unit: 'integer', value: 1 },
    ]);
    expect(resourceValues({ pods: '110', memory: '0.5' }, true)).toEqual([
      { resource: 'pods', unit: 'integer', value: 110 },
      { resource: 'memory', unit: 'byte', value: 0.5 },
    ]);
    expect(resourceValues({ memory: '0.5' }, false)).toEqual([{ resource: 'memory', unit: 'byte', value: 1 }]);
  });
});
