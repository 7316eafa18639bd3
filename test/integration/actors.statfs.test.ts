import { execFileSync } from 'node:child_process';
import { closeSync, constants, mkdirSync, mkdtempSync, openSync, rmSync, writeFileSync, writeSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { startAgent, type ServingAgent } from '../../src/agent';
import { loadConfig } from '../../src/config/load';
import { silentLog } from '../../src/log/types';
import { poll } from '../support/servers';

const HEALTHY = ['healthy1', 'healthy2', 'healthy3'];
// More than libuv's pool has threads (4 in jest): before statfs had threads of its own, two hung
// mounts took the half of the pool statfs may use and every healthy mount reported device_error 1.
const HUNG = ['hung1', 'hung2', 'hung3', 'hung4', 'hung5', 'hung6'];

/** Returns the value of the sample of `family` for mount point /mnt/`mount`, or undefined. */
const mountValue = (text: string, family: string, mount: string): number | undefined => {
  const line = text.split('\n').find((l) => l.startsWith(`${family}{`) && l.includes(`mountpoint="/mnt/${mount}"`));
  return line === undefined ? undefined : Number(line.slice(line.lastIndexOf(' ') + 1));
};

describe('hung statfs calls (FIFO-backed) never blind healthy mounts', () => {
  let root: string;
  let served: ServingAgent | undefined;
  afterEach(async () => {
    // Let every blocked call return, whatever the test reached, so that no thread stays blocked after it.
    for (const m of HUNG) {
      try {
        writeFileSync(join(root, 'mnt', m, 'released'), '');
        closeSync(openSync(join(root, 'mnt', m, 'fifo'), constants.O_WRONLY | constants.O_NONBLOCK));
      } catch {
        // no reader left on that FIFO
      }
    }
    if (served) {
      await served.agent.stop(1000);
      await new Promise((r) => served!.server.close(r));
    }
    served = undefined;
    rmSync(root, { recursive: true, force: true });
  });

  it('keeps the healthy mounts\' values through three scrapes with six hung mounts, and stats a hung one again once its call returned', async () => {
    root = mkdtempSync(join(tmpdir(), 'rxp-statfs-'));
    mkdirSync(join(root, 'proc', '1'), { recursive: true });
    // Hung mounts first and between the healthy ones: the calls behind a hung one move to another
    // thread after 0.1 s; on this first scrape each hung mount ahead of a healthy one costs that
    // plus a thread start, which a loaded machine makes slow: hence the long mount timeout.
    const order = ['hung1', 'healthy1', 'hung2', 'healthy2', 'hung3', 'hung4', 'healthy3', 'hung5', 'hung6'];
    // proc/1/mountinfo, as node_exporter 1.12 reads it: id, parent, major:minor, root, mount point, options, -, type, source, super options.
    const mounts = order.map((m, i) => `${30 + i} 1 8:${i + 1} / /mnt/${m} rw,relatime - ext4 /dev/sd${String.fromCharCode(97 + i)}1 rw`);
    writeFileSync(join(root, 'proc', '1', 'mountinfo'), `${mounts.join('\n')}\n`);
    for (const m of [...HEALTHY, ...HUNG]) mkdirSync(join(root, 'mnt', m), { recursive: true });
    for (const m of HUNG) execFileSync('mkfifo', [join(root, 'mnt', m, 'fifo')]);
    const config = loadConfig({
      values: {
        global: { appName: 't' },
        web: { listenAddress: '127.0.0.1:0' },
        path: { procfs: join(root, 'proc'), rootfs: root },
        collect: { interval: '1h', timeout: '15s' },
        collectors: { disableDefaults: true, enabled: ['filesystem'], filesystem: { mountTimeout: '8s' } },
      },
    });
    served = await startAgent({ config, log: silentLog, statfsModule: resolve(__dirname, '../support/fifoStatfs.js') });
    const url = `http://127.0.0.1:${served.port}/metrics`;
    for (let i = 1; i <= 3; i++) {
      const text = await (await fetch(url, { signal: AbortSignal.timeout(20_000) })).text();
      for (const m of HEALTHY) {
        expect([m, i, mountValue(text, 'node_filesystem_device_error', m)]).toEqual([m, i, 0]);
        expect(mountValue(text, 'node_filesystem_size_bytes', m)).toBeGreaterThan(0);
      }
      for (const m of HUNG) {
        expect([m, i, mountValue(text, 'node_filesystem_device_error', m)]).toEqual([m, i, 1]);
        expect(mountValue(text, 'node_filesystem_size_bytes', m)).toBeUndefined();
      }
      expect(text).toContain('node_scrape_collector_success{collector="filesystem"} 1');
    }
    // The call on hung1 returns: the mount is statted again and reports its size.
    writeFileSync(join(root, 'mnt', 'hung1', 'released'), '');
    const fd = openSync(join(root, 'mnt', 'hung1', 'fifo'), constants.O_WRONLY | constants.O_NONBLOCK);
    writeSync(fd, 'x');
    closeSync(fd);
    const text = await poll(
      async () => {
        const t = await (await fetch(url, { signal: AbortSignal.timeout(20_000) })).text();
        return mountValue(t, 'node_filesystem_device_error', 'hung1') === 0 ? t : undefined;
      },
      10_000,
      'hung1 statted again',
    );
    expect(mountValue(text, 'node_filesystem_size_bytes', 'hung1')).toBeGreaterThan(0);
    for (const m of HEALTHY) expect(mountValue(text, 'node_filesystem_size_bytes', m)).toBeGreaterThan(0);
    // Let the other calls return so that no thread stays blocked after the test.
    for (const m of HUNG.slice(1)) {
      const f = openSync(join(root, 'mnt', m, 'fifo'), constants.O_WRONLY | constants.O_NONBLOCK);
      closeSync(f);
    }
  });
});
