import { gauge } from '../../src/model/family';
import { groupingSegment, pushgatewayBody, pushgatewayGroupUrl } from '../../src/sinks/pushgateway';
import { vmImportUrl } from '../../src/sinks/vmImport';

describe('Pushgateway grouping key', () => {
  it.each([
    ['plain', 'job', 'node', 'job/node'],
    ['a slash goes base64 (URL-safe)', 'p', 'a/b', 'p@base64/YS9i'],
    ['empty goes base64 "="', 'instance', '', 'instance@base64/='],
    ['other characters are URL-escaped', 'k', 'a b?', 'k/a%20b%3F'],
    ['URL-safe alphabet', 'k', '/??>', 'k@base64/Lz8_Pg'],
  ])('%s', (_n, name, value, seg) => expect(groupingSegment(name, value)).toBe(seg));

  it('builds job, nodeName, then the grouping labels', () => {
    expect(pushgatewayGroupUrl('http://pg:9091/', 'app', 'n1', { dc: 'fra1', nodeName: 'ignored', job: 'ignored' })).toBe(
      'http://pg:9091/metrics/job/app/nodeName/n1/dc/fra1',
    );
  });

  it('leaves out a grouping label whose value is empty, nodeName included', () => {
    expect(pushgatewayGroupUrl('http://pg:9091', 'app', '', { dc: '', rack: 'r1' })).toBe('http://pg:9091/metrics/job/app/rack/r1');
  });
});

describe('Pushgateway body', () => {
  it('never writes a label whose value is empty; an empty own value leaves the base label', () => {
    const text = pushgatewayBody(
      [gauge('node_x', 'h', [{ labels: { device: 'sda', device_error: '' }, value: 1 }, { labels: { device: 'sdb', dc: '' }, value: 2 }])],
      { nodeName: 'n1', masterIp: '', dc: 'fra1' },
    ).toString();
    expect(text).toBe(
      ['# HELP node_x h', '# TYPE node_x gauge', 'node_x{dc="fra1",device="sda",nodeName="n1"} 1', 'node_x{dc="fra1",device="sdb",nodeName="n1"} 2', ''].join('\n'),
    );
  });
});

describe('sink URLs', () => {
  it('appends the import path to a VictoriaMetrics base URL', () => {
    expect(vmImportUrl('http://vm:8428/')).toBe('http://vm:8428/api/v1/import/prometheus');
  });
});
