import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { RxporterError } from '../../src/errors';
import { parseMountInfo } from '../../src/procfs/mountinfo';
import { parseMountStats, parseNfsTransport } from '../../src/procfs/mountstats';
import { neDataDir } from '../support/neFixtures';

const upstream = () => readFileSync(join(neDataDir(), 'fixtures', 'proc', '10', 'mountstats'), 'utf8');
const HEAD = 'device srv:/x mounted on /m with fstype nfs statvers=1.1\n';

const parseError = (f: () => unknown): RxporterError => {
  try {
    f();
  } catch (e) {
    return e as RxporterError;
  }
  throw new Error('did not throw');
};

describe('parseMountStats', () => {
  it("parses upstream's fixture: plain mounts without stats, NFS mounts with them", () => {
    const m = parseMountStats(upstream());
    expect(m.map((e) => [e.fsType, e.nfs !== undefined])).toEqual([
      ['rootfs', false], ['sysfs', false], ['proc', false], ['ext4', false], ['nfs4', true], ['nfs4', true], ['nfs', true],
    ]);
    const tcp = m[4].nfs!;
    expect(tcp.ageSeconds).toBe(13968);
    expect(tcp.bytes.readTotal).toBe(1210214218);
    expect(tcp.events.vfsAccess).toBe(398);
    expect(tcp.transports[0]).toMatchObject({ protocol: 'tcp', port: 832, connect: 1, idleSeconds: 11, sends: 6428, maximumRpcSlotsUsed: 24, cumulativePendingQueue: 5726 });
    expect(tcp.operations.map((o) => o.operation)).toEqual(['NULL', 'READ', 'WRITE']);
    // 18446743919241604546 ms wraps modulo 2^53 before it becomes a float, as upstream does.
    expect(m[6].nfs!.operations[3].queueMs).toBe(Number(18446743919241604546n % 9007199254740992n));
    expect(m[6].nfs!.transports[0]).toMatchObject({ protocol: 'udp', connect: 0, idleSeconds: 0, sends: 6428, cumulativeActiveRequests: 12154 });
  });

  it.each([
    ['an empty file', '', 0],
    ['a mount without statistics', 'device sysfs mounted on /sys with fstype sysfs\n', 1],
    ['unknown statistics lines', `${HEAD}\tfuture:\t1 2 3\n\tage:\t5\n`, 1],
    ['a file truncated before per-op', `${HEAD}\tage:\t5\n`, 1],
    ['a file truncated inside per-op', `${HEAD}\tage:\t5\n\tper-op statistics\n\tNULL: 0 0 0 0 0 0 0 0\n`, 1],
  ])('accepts %s', (_n, text, count) => {
    expect(parseMountStats(text)).toHaveLength(count);
  });

  it.each([
    ['a short device line', 'device a mounted on /m\n', /invalid device line/],
    ['a reworded device line', 'device a mounted at /m with fstype nfs\n', /invalid device line/],
    ['statistics on a non-NFS mount', 'device a mounted on /m with fstype ext4 statvers=1.1\n', /fstype ext4/],
    ['a non-number in bytes', `${HEAD}\tbytes:\t1 2 3 4 5 6 7 x\n`, /invalid number/],
    ['too few bytes fields', `${HEAD}\tbytes:\t1 2 3\n`, /invalid bytes/],
    ['too many events fields', `${HEAD}\tevents:\t${'1 '.repeat(28)}\n`, /invalid events/],
    ['a negative event', `${HEAD}\tevents:\t-1${' 1'.repeat(26)}\n`, /invalid number/],
    ['a non-numeric age', `${HEAD}\tage:\tsoon\n`, /invalid age/],
    ['an unknown transport', `${HEAD}\txprt:\tsctp 1 2 3\n`, /unknown transport sctp/],
    ['a short tcp transport', `${HEAD}\txprt:\ttcp 1 2 3\n`, /invalid transport/],
    ['a short per-op line', `${HEAD}\tper-op statistics\n\tREAD: 1 2 3\n`, /invalid per-op/],
    ['a non-number in per-op', `${HEAD}\tper-op statistics\n\tREAD: 1 2 3 4 5 6 7 z\n`, /invalid number/],
  ])('rejects %s with RXP_PROC_PARSE', (_n, text, msg) => {
    const e = parseError(() => parseMountStats(text));
    expect(e).toBeInstanceOf(RxporterError);
    expect(e.code).toBe('RXP_PROC_PARSE');
    expect(e.message).toMatch(msg);
  });
});

describe('parseNfsTransport', () => {
  it.each([
    ['tcp 1.0', '1.0', 'tcp 1 2 3 4 5 6 7 8 9 10', { connect: 3, idleSeconds: 5, cumulativeBacklog: 10, maximumRpcSlotsUsed: 0 }],
    ['udp 1.0', '1.0', 'udp 1 2 3 4 5 6 7', { bind: 2, connect: 0, sends: 3, cumulativeBacklog: 7 }],
    ['rdma 1.1', '1.1', `rdma ${Array.from({ length: 20 }, (_, i) => i + 1).join(' ')}`, { sends: 6, cumulativeBacklog: 10, maximumRpcSlotsUsed: 0, cumulativePendingQueue: 0 }],
  ])('maps %s fields like procfs', (_n, version, line, want) => {
    expect(parseNfsTransport(line.split(' '), version, line)).toMatchObject(want);
  });

  it('rejects an unknown stats version', () => {
    expect(() => parseNfsTransport(['tcp', '1'], '2.0', 'tcp 1')).toThrow(/stats version 2.0/);
  });
});

describe('parseMountInfo', () => {
  it("parses upstream's fixture and the superblock options", () => {
    const text = readFileSync(join(neDataDir(), 'fixtures', 'proc', '10', 'mountinfo'), 'utf8');
    const m = parseMountInfo(text);
    expect(m).toHaveLength(7);
    expect(m[4]).toMatchObject({ mountId: 194, parentId: 21, mountPoint: '/mnt/nfs/test', fsType: 'nfs4', source: '192.168.1.1:/srv/test' });
    expect(m[4].superOptions.get('addr')).toBe('192.168.1.1');
    expect(m[4].superOptions.get('hard')).toBe('');
  });

  it.each([
    ['too few fields', '1 2 0:5 / /root rw - rootfs\n'],
    ['no separator', '1 2 0:5 / /root rw shared:8 x rootfs rootfs rw\n'],
    ['a non-numeric id', 'a 2 0:5 / /root rw shared:8 - rootfs rootfs rw\n'],
  ])('rejects %s', (_n, text) => {
    expect(() => parseMountInfo(text)).toThrow(/mountinfo: invalid line/);
  });
});
