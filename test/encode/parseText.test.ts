import { readFileSync } from 'node:fs';
import { formatSeries, parseExposition, parseValue, seriesKey } from '../../src/encode/parseText';
import { RxporterError } from '../../src/errors';
import { encodeText } from '../../src/encode/text';
import type { MetricFamily } from '../../src/model/family';
import { fixture } from '../support/paths';

describe('parseValue', () => {
  it.each([
    ['0', 0],
    ['1.04448e+06', 1044480],
    ['1.418183276e+09', 1418183276],
    ['-3.5', -3.5],
    ['.5', 0.5],
    ['5.', 5],
    ['1E-05', 0.00001],
    ['+Inf', Infinity],
    ['-Inf', -Infinity],
    ['inf', Infinity],
    ['+Infinity', Infinity],
  ])('reads %s as Go does', (text, value) => {
    expect(parseValue(text)).toBe(value);
  });

  it('reads NaN in any case', () => {
    expect(parseValue('NaN')).toBeNaN();
    expect(parseValue('nan')).toBeNaN();
  });

  it.each(['', '1,5', '0x10', '1e', 'e5', 'Infx', '1 2', '--1', 'one'])('rejects %j', (text) => {
    expect(() => parseValue(text)).toThrow(RxporterError);
  });
});

describe('parseExposition', () => {
  it('reads HELP, TYPE and samples into families in order', () => {
    const e = parseExposition(
      '# HELP node_load1 1m load average.\n# TYPE node_load1 gauge\nnode_load1 0.21\n# a comment\n\nnode_x{a="1"} 2 1700000000000\n',
    );
    expect([...e.families.keys()]).toEqual(['node_load1', 'node_x']);
    expect(e.families.get('node_load1')).toMatchObject({ help: '1m load average.', type: 'gauge' });
    expect(e.families.get('node_x')?.help).toBeUndefined();
    expect(e.families.get('node_x')?.type).toBeUndefined();
    expect(e.samples.map((s) => [s.name, s.labels, s.value, s.timestampMs, s.line])).toEqual([
      ['node_load1', {}, 0.21, undefined, 3],
      ['node_x', { a: '1' }, 2, 1700000000000, 6],
    ]);
  });

  it('unescapes label values and HELP text', () => {
    const e = parseExposition('# HELP m a \\\\ back\\nslash\nm{a="q\\"uote",b="new\\nline",c="back\\\\slash",d=""} 1\n');
    expect(e.families.get('m')?.help).toBe('a \\ back\nslash');
    expect(e.samples[0].labels).toEqual({ a: 'q"uote', b: 'new\nline', c: 'back\\slash', d: '' });
  });

  it('accepts blanks around labels, a trailing comma and leading blanks as Go does', () => {
    const e = parseExposition('  m { a = "1" , b="2", } \t 3\n');
    expect(e.samples[0]).toMatchObject({ name: 'm', labels: { a: '1', b: '2' }, value: 3 });
  });

  it('reads NaN, +Inf and -Inf sample values', () => {
    const e = parseExposition('a NaN\nb +Inf\nc -Inf\n');
    expect(e.samples[0].value).toBeNaN();
    expect(e.samples.slice(1).map((s) => s.value)).toEqual([Infinity, -Infinity]);
  });

  it('keeps the bytes of a label holding U+FFFD and 0x1C exactly', () => {
    const bytes = Buffer.concat([Buffer.from('node_dmi_info{product_version="'), Buffer.from([0xef, 0xbf, 0xbd, 0x1c, 0xef, 0xbf, 0xbd]), Buffer.from('"} 1\n')]);
    const v = parseExposition(bytes).samples[0].labels.product_version;
    expect(v).toBe('\ufffd\u001c\ufffd');
    expect(Buffer.from(v, 'utf8').equals(Buffer.from([0xef, 0xbf, 0xbd, 0x1c, 0xef, 0xbf, 0xbd]))).toBe(true);
  });

  it('rejects bytes that are not UTF-8 instead of turning them into U+FFFD', () => {
    const bytes = Buffer.concat([Buffer.from('m{a="'), Buffer.from([0xff, 0x1c]), Buffer.from('"} 1\n')]);
    expect(() => parseExposition(bytes)).toThrow(/not valid UTF-8/);
  });

  it('puts the _bucket, _sum and _count samples of a histogram into its family', () => {
    const e = parseExposition('# TYPE h histogram\nh_bucket{le="+Inf"} 2\nh_sum 3\nh_count 2\n# TYPE s summary\ns{quantile="0.5"} 1\ns_sum 4\ns_count 2\n# TYPE c counter\nc_count 1\n');
    expect(e.samples.map((s) => s.family)).toEqual(['h', 'h', 'h', 's', 's', 's', 'c_count']);
    expect(e.families.get('h')?.samples).toHaveLength(3);
  });

  it('reads its own encoder output back to the same families', () => {
    const families: MetricFamily[] = [
      { name: 'node_a', help: 'Help with \\ and\nnewline.', type: 'counter', samples: [{ labels: { x: 'q"\\\n\u001c' }, value: 1.6658055168e10 }] },
      { name: 'node_b', help: 'B.', type: 'gauge', samples: [{ labels: {}, value: -0.5 }, { labels: { y: '' }, value: NaN }] },
    ];
    const e = parseExposition(Buffer.from(encodeText(families), 'utf8'));
    expect(e.families.get('node_a')).toMatchObject({ help: 'Help with \\ and\nnewline.', type: 'counter' });
    expect(e.samples[0]).toMatchObject({ labels: { x: 'q"\\\n\u001c' }, value: 1.6658055168e10 });
    expect(e.families.get('node_b')?.samples.map((s) => s.labels)).toEqual([{}, { y: '' }]);
  });

  it('parses the fixture scrape with every sample and family', () => {
    const e = parseExposition(readFileSync(fixture('edge', 'conformance', 'expected.prom')));
    expect(e.families.size).toBe(14);
    expect(e.samples).toHaveLength(19);
    expect(e.families.get('node_textfile_mtime_seconds')?.samples).toEqual([]);
  });

  it.each([
    ['a name starting with a digit', '1abc 1'],
    ['a missing value', 'm\n'],
    ['a missing value after labels', 'm{a="1"}'],
    ['a value that is not a float', 'm 1,5'],
    ['a value glued to the labels', 'm{a="1"}1'],
    ['an unterminated label value', 'm{a="1} 1'],
    ['an unquoted label value', 'm{a=1} 1'],
    ['a label without "="', 'm{a "1"} 1'],
    ['a label name starting with a digit', 'm{1a="1"} 1'],
    ['a duplicate label', 'm{a="1",a="2"} 1'],
    ['an invalid label escape', 'm{a="\\t"} 1'],
    ['a missing "}"', 'm{a="1" 1'],
    ['a timestamp that is not an integer', 'm 1 1.5'],
    ['text after the timestamp', 'm 1 2 3'],
    ['an unknown type', '# TYPE m gauges'],
    ['a second TYPE', '# TYPE m gauge\n# TYPE m gauge', 3],
    ['a second HELP', '# HELP m a\n# HELP m b', 3],
    ['a TYPE after the samples', 'm 1\n# TYPE m gauge', 3],
    ['an invalid HELP escape', '# HELP m bad \\t escape'],
    ['HELP without a name', '# HELP'],
    ['a carriage return before the newline', 'm 1\r\n'],
  ])('rejects %s, naming the line', (_why: string, text: string, line = 2) => {
    expect(() => parseExposition(`ok 1\n${text}\n`)).toThrow(new RegExp(`^line ${line}: `));
    try {
      parseExposition(`ok 1\n${text}\n`);
    } catch (e) {
      expect(e).toBeInstanceOf(RxporterError);
      expect((e as RxporterError).code).toBe('RXP_EXPOSITION_PARSE');
    }
  });

  it('accepts an empty exposition, blank lines, and blanks after the final line feed', () => {
    expect(parseExposition('').samples).toEqual([]);
    expect(parseExposition('\n\n').samples).toEqual([]);
    expect(parseExposition('m 1\n \t').samples[0].value).toBe(1);
  });

  it('takes \\" in HELP as a quote, as Prometheus\' parser does', () => {
    expect(parseExposition('# HELP m say \\"hi\\"\nm 1\n').families.get('m')?.help).toBe('say "hi"');
  });

  // Prometheus' text parser meets the end of input only at the start of a line; anywhere
  // else (a sample, a label, a comment, HELP or TYPE cut short) it is an error.
  it.each([
    ['a sample', 'ok 1\nm 12', 2],
    ['a sample after a blank line', 'ok 1\n\nm 12', 3],
    ['a sample with a timestamp', 'ok 1\nm 1 1700000000', 2],
    ['a label value', 'ok 1\nm{a="x', 2],
    ['a HELP line', 'ok 1\n# HELP m text', 2],
    ['a TYPE line', 'ok 1\n# TYPE m gauge', 2],
    ['a plain comment', 'ok 1\n# a comment', 2],
    ['a lone "#"', 'ok 1\n#', 2],
    ['the only line', 'm 1', 1],
  ])('rejects an exposition whose last line (%s) has no line feed', (_where: string, text: string, line: number) => {
    expect(() => parseExposition(text)).toThrow(new RegExp(`^line ${line}: unexpected end of input stream`));
    expect(() => parseExposition(Buffer.from(text))).toThrow(expect.objectContaining({ code: 'RXP_EXPOSITION_PARSE' }) as Error);
  });

  it('reports an earlier bad line before the missing line feed', () => {
    expect(() => parseExposition('ok 1\nm{ 1\nm 2')).toThrow(/^line 2: /);
  });
});

describe('seriesKey', () => {
  it('ignores label order and tells apart values that mimic separators', () => {
    expect(seriesKey('m', { a: '1', b: '2' })).toBe(seriesKey('m', { b: '2', a: '1' }));
    expect(seriesKey('m', { a: '1","b', c: '' })).not.toBe(seriesKey('m', { a: '1', b: '', c: '' }));
    expect(seriesKey('m', {})).not.toBe(seriesKey('m', { a: '' }));
  });
});

describe('formatSeries', () => {
  it('writes the series with sorted, escaped labels', () => {
    expect(formatSeries('m', { b: 'x"y', a: 'new\nline' })).toBe('m{a="new\\nline",b="x\\"y"}');
    expect(formatSeries('m', {})).toBe('m');
  });
});
