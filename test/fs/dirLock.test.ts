import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { RxporterError } from '../../src/errors';
import { openDiskQueue } from '../../src/pipeline/diskQueue';
import { parseLockOwner, readProcStat, releaseDirLock, selfOwner, takeDirLock, type LockOwner } from '../../src/fs/dirLock';
import { poll } from '../support/servers';
import { thrown } from '../support/thrown';

let dir: string;
const children: ChildProcess[] = [];
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'rxp-lock-'));
});
afterEach(() => {
  for (const c of children.splice(0)) c.kill('SIGKILL');
  rmSync(dir, { recursive: true, force: true });
});

/** Starts `sleep 60`: a live process that is not this one. */
const sleeper = (): number => {
  const c = spawn('sleep', ['60'], { stdio: 'ignore' });
  children.push(c);
  return c.pid as number;
};
const writeLock = (o: LockOwner) => writeFileSync(join(dir, 'lock'), `${JSON.stringify(o)}\n`);
/** The owner a live process `pid` would have written: its own start time, this boot. */
const ownerOf = async (pid: number): Promise<LockOwner> => {
  const st = await poll(async () => (readProcStat(pid)?.comm === 'sleep' ? readProcStat(pid) : undefined), 5000, `/proc/${pid}/stat`, 20);
  return { pid, start: st.start, boot: selfOwner().boot };
};
/**
 * Starts `sleep 60` under a parent that never reaps it (sh becomes `sleep 30`), runs `whileAlive`
 * with its pid, kills it with -9 and returns its pid once it is a zombie.
 */
const zombie = async (whileAlive: (pid: number) => Promise<void>): Promise<number> => {
  const parent = spawn('sh', ['-c', 'sleep 60 & echo $!; exec sleep 30'], { stdio: ['ignore', 'pipe', 'ignore'] });
  children.push(parent);
  const pid = Number(await new Promise<string>((r) => parent.stdout.once('data', (b: Buffer) => r(b.toString()))));
  await whileAlive(pid);
  process.kill(pid, 'SIGKILL');
  await poll(async () => (readProcStat(pid)?.state === 'Z' ? true : undefined), 5000, 'zombie', 20);
  return pid;
};
const takes = () => {
  const path = takeDirLock(dir);
  expect(parseLockOwner(readFileSync(path, 'utf8'))).toEqual(selfOwner());
  releaseDirLock(path);
};

describe('takeDirLock', () => {
  it('writes pid, start time (field 22 of /proc/<pid>/stat) and boot id, and refuses a second open in this process', () => {
    const path = takeDirLock(dir);
    const owner = parseLockOwner(readFileSync(path, 'utf8'));
    expect(owner).toEqual({ pid: process.pid, start: readProcStat(process.pid)?.start, boot: readFileSync('/proc/sys/kernel/random/boot_id', 'utf8').trim(), host: expect.any(String) });
    expect(() => takeDirLock(dir)).toThrow(/already open in this process/);
    releaseDirLock(path);
    takes();
  });

  it('refuses the lock of a running process and says who holds it and since when', async () => {
    const pid = sleeper();
    writeLock(await ownerOf(pid));
    const e = thrown(() => takeDirLock(dir));
    expect(e).toBeInstanceOf(RxporterError);
    expect((e as RxporterError).code).toBe('RXP_QUEUE');
    expect((e as Error).message).toMatch(new RegExp(`locked by process ${pid} \\(sleep, started \\d{4}-\\d\\d-\\d\\dT[^)]+\\), which is still running`));
  });

  it('takes over the lock of a process killed with -9 that its parent has not reaped yet (a zombie)', async () => {
    const pid = await zombie(async (pid) => {
      writeLock(await ownerOf(pid));
      expect(() => takeDirLock(dir)).toThrow(/still running/);
    });
    expect(readProcStat(pid)?.state).toBe('Z');
    takes();
  });

  it('lets a disk queue restart at once after its holder was killed with -9, even a pid-only lock (older rxporter)', async () => {
    await zombie(async (pid) => {
      await ownerOf(pid);
      writeFileSync(join(dir, 'lock'), `${pid}\n`);
    });
    const q = openDiskQueue({ dir, maxBytes: 1 << 20 });
    q.close();
  });

  it('takes over a lock whose pid now belongs to another process (another start time)', async () => {
    const pid = sleeper();
    const o = await ownerOf(pid);
    writeLock({ ...o, start: (o.start as number) - 1 });
    takes();
  });

  it('takes over a lock written before the last boot (another boot id)', async () => {
    writeLock({ ...(await ownerOf(sleeper())), boot: '00000000-0000-0000-0000-000000000000' });
    takes();
  });

  it.each([
    ['a pid that is no process', '{"pid":999999999,"start":1}\n'],
    ['a pid-only lock of a dead process (older rxporter)', '999999999\n'],
    ['an empty lock (holder died while writing it)', ''],
    ['a garbled lock', '{"pid":'],
  ])('takes over %s', (_n, text) => {
    writeFileSync(join(dir, 'lock'), text);
    takes();
  });

  it('keeps a pid-only lock of a live process (no start time to prove it stale)', async () => {
    const pid = sleeper();
    await ownerOf(pid);
    writeFileSync(join(dir, 'lock'), `${pid}\n`);
    expect(() => takeDirLock(dir)).toThrow(new RegExp(`process ${pid} \\(sleep, pid-only lock of an older rxporter\\)`));
  });

  it('fails with the I/O error as the cause when the lock cannot be written', () => {
    const e = thrown(() => takeDirLock(join(dir, 'missing')));
    expect((e as RxporterError).code).toBe('RXP_QUEUE');
    expect(((e as Error).cause as NodeJS.ErrnoException).code).toBe('ENOENT');
  });
});
