import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { udpQueues } from '../../src/collectors/udpQueues';
import { RxporterError } from '../../src/errors';
import { parseNetIpSocketSummary } from '../../src/procfs/netIpSocket';
import { collectOnEditedCopy, collectWithFile, copyNeFixtures, expectUpstreamConformance, removeNeFixtures } from '../support/neFixtures';

const HEAD = '  sl  local_address rem_address   st tx_queue rx_queue tr tm->when retrnsmt   uid  timeout inode ref pointer drops\n';
const LINE = (q: string, drops = '0') => `   0: 00000000:0016 00000000:0000 07 ${q} 00:00000000 00000000     0        0 2740 2 ffff88003d3af3c0 ${drops}\n`;

describe('udp_queues collector', () => {
  let root: string;
  beforeAll(() => {
    root = copyNeFixtures(['proc']);
  });
  afterAll(() => removeNeFixtures(root));

  it("matches node_exporter's e2e output on upstream's fixtures, sample for sample", async () => {
    await expectUpstreamConformance(udpQueues, root, /^node_udp_queues$/, 2);
  });

  it('adds IPv6 when net/udp6 exists', async () => {
    const r = await collectOnEditedCopy(udpQueues, ['proc'], (root) => writeFileSync(join(root, 'proc', 'net', 'udp6'), `${HEAD}${LINE('00000001:00000100')}`));
    expect(r.families![0].samples).toContainEqual({ labels: { queue: 'rx', ip: 'v6' }, value: 256 });
  });

  it.each([
    ['both tables are absent', null, 'RXP_NO_DATA'],
    ['a queue column is garbled', `${HEAD}${LINE('0000001G:00000000')}`, 'RXP_PROC_PARSE'],
    ['a line is truncated', `${HEAD}   0: 00000000:0016\n`, 'RXP_PROC_PARSE'],
  ])('fails the cycle when %s', async (_n, content, code) => {
    const r = await collectWithFile(udpQueues, ['proc'], ['proc', 'net', 'udp'], content);
    expect(r.error).toBeInstanceOf(RxporterError);
    expect(r.error).toMatchObject({ code });
  });
});

describe('parseNetIpSocketSummary', () => {
  it('sums queues and drops over the lines', () => {
    expect(parseNetIpSocketSummary(`${HEAD}${LINE('00000010:00000001', '3')}${LINE('00000001:00000002', '4')}`, 'net/udp', true)).toEqual({
      txQueueLength: 17,
      rxQueueLength: 3,
      usedSockets: 2,
      drops: 7,
    });
  });
  it('accepts a header alone', () => expect(parseNetIpSocketSummary(HEAD, 'net/udp', true).usedSockets).toBe(0));
  it.each([
    ['a short address', LINE('00000001:00000002').replace('00000000:0016', '0000:0016')],
    ['no queue colon', LINE('0000000100000002')],
    ['a non-number uid', LINE('00000001:00000002').replace('     0        0 2740', '     x        0 2740')],
  ])('rejects %s', (_n, line) => expect(() => parseNetIpSocketSummary(`${HEAD}${line}`, 'net/udp', true)).toThrow(expect.objectContaining({ code: 'RXP_PROC_PARSE' })));
});
