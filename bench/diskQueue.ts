/**
 * Disk queue benchmark: appends per second under each `exporter.queue.fsync` setting, with a
 * push round (take + remove + ack) every `--round` appends, on the filesystem of `--dir`
 * (default the OS temp dir: measure on the disk the queue will live on). Figures, not assertions.
 *
 *   node dist/bench/diskQueue.js [--dir /var/lib/rxporter] [--size 8192] [--round 1] [--seconds 3] [--json]
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { FSYNC_MODES, openDiskQueue, type FsyncMode } from '../src/pipeline/diskQueue';

const arg = (name: string, def: string): string => {
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 && process.argv[i + 1] ? process.argv[i + 1] : def;
};

/** Returns appends per second of `mode` with `size`-byte bodies and a push round every `round` appends. */
export function appendsPerSecond(o: { dir: string; mode: FsyncMode; size: number; round: number; seconds: number }): number {
  const dir = mkdtempSync(join(o.dir, 'rxp-bench-q-'));
  try {
    const q = openDiskQueue({ dir, maxBytes: 1 << 30, fsync: o.mode });
    const body = Buffer.alloc(o.size, 7);
    const t0 = performance.now();
    let n = 0;
    while (performance.now() - t0 < o.seconds * 1000) {
      q.push({ seq: n, timestampMs: n, samples: 100, body });
      n++;
      if (n % o.round === 0) q.remove(q.take(o.round, Infinity));
    }
    const rate = n / ((performance.now() - t0) / 1000);
    q.close();
    return Math.round(rate);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

if (require.main === module) {
  const o = { dir: arg('dir', tmpdir()), size: Number(arg('size', '8192')), round: Number(arg('round', '1')), seconds: Number(arg('seconds', '3')) };
  const r = Object.fromEntries(FSYNC_MODES.map((mode) => [mode, appendsPerSecond({ ...o, mode })]));
  if (process.argv.includes('--json')) process.stdout.write(`${JSON.stringify({ ...o, appendsPerSecond: r }, null, 2)}\n`);
  else {
    process.stdout.write(`disk queue appends/s (${o.size}-byte records, a push round every ${o.round} append(s), ${o.dir}):\n`);
    for (const [mode, v] of Object.entries(r)) process.stdout.write(`  fsync=${mode.padEnd(7)} ${String(v).padStart(8)}\n`);
  }
}
