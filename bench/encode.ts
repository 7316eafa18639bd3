/**
 * Push-path benchmark: encode + gzip of the VictoriaMetrics text import, protobuf + snappy of
 * remote write, in samples per second of CPU on one core, and the agent's RSS with 100 k
 * samples buffered in its push queues. Runs standalone: `node dist/bench/encode.js [--json]`.
 */
import { spawnSync } from 'node:child_process';
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import { firstValueFrom } from 'rxjs';
import { RemoteWriteEncoder } from '../src/encode/remoteWrite';
import { snappyCompress } from '../src/encode/snappy';
import { encodeVmImport } from '../src/encode/vmImport';
import type { MetricFamily } from '../src/model/family';
import { gzip } from '../src/sinks/compress';

/** Returns node_exporter-like families with `n` samples (100 per family, two labels each). */
export function syntheticFamilies(n: number, seed = 1): MetricFamily[] {
  const modes = ['idle', 'user', 'system', 'iowait', 'irq', 'softirq', 'steal', 'nice'];
  const out: MetricFamily[] = [];
  let x = seed;
  for (let f = 0; f * 100 < n; f++) {
    const samples = [];
    for (let i = 0; i < 100 && f * 100 + i < n; i++) {
      x = (x * 1103515245 + 12345) % 2147483648;
      samples.push({ labels: { cpu: String(i >> 3), mode: modes[i & 7] }, value: i % 3 === 0 ? x : x / 1000 + 0.25 });
    }
    out.push({ name: `node_bench_metric_${f}_seconds_total`, help: 'bench', type: 'counter', samples });
  }
  return out;
}

const BASE = { nodeName: 'bench-node-01', masterIp: '10.0.0.1' };

/** Runs `fn` (which handles `samples` samples) until `minMs` of CPU passed; returns samples per CPU second. */
function rate(samples: number, minMs: number, fn: () => number): { samplesPerSec: number; bytesPerSample: number } {
  let bytes = 0;
  for (let i = 0; i < 3; i++) bytes = fn(); // warm up the JIT and the string cache
  const c0 = process.cpuUsage();
  let done = 0;
  let cpuMs = 0;
  while (cpuMs < minMs) {
    bytes = fn();
    done += samples;
    const c = process.cpuUsage(c0);
    cpuMs = (c.user + c.system) / 1000;
  }
  return { samplesPerSec: Math.round(done / (cpuMs / 1000)), bytesPerSample: bytes / samples };
}

/** Returns the encode figures. */
export function encodeFigures(o: { samplesPerSnapshot?: number; minMs?: number } = {}) {
  const n = o.samplesPerSnapshot ?? 10_000;
  const minMs = o.minMs ?? 2000;
  const fams = syntheticFamilies(n);
  const ts = 1_700_000_000_000;
  const text = rate(n, minMs, () => encodeVmImport(fams, ts, BASE).length);
  const textGzip = rate(n, minMs, () => gzip(Buffer.from(encodeVmImport(fams, ts, BASE))).length);
  const enc = new RemoteWriteEncoder();
  const proto = rate(n, minMs, () => enc.encode(fams, ts, BASE)[0].body.length);
  const protoSnappy = rate(n, minMs, () => snappyCompress(enc.encode(fams, ts, BASE)[0].body).length);
  return { samplesPerSnapshot: n, vmImportText: text, vmImportTextGzip: textGzip, remoteWriteProto: proto, remoteWriteProtoSnappy: protoSnappy };
}

const gc = (): void => {
  setFlagsFromString('--expose-gc');
  (runInNewContext('gc') as () => void)();
};

/**
 * In a child process: an agent with the vmagent and remote-write sinks enabled toward a port
 * that refuses connections, a synthetic collector of `perSnapshot` samples, `snapshots`
 * collections queued (memory queues, never sent): prints RSS before and after.
 */
export async function rssChild(perSnapshot: number, snapshots: number, push: 'none' | 'vm' | 'both'): Promise<void> {
  const { createAgent } = await import('../src/agent');
  const { loadConfig } = await import('../src/config/load');
  const { createPush } = await import('../src/sinks');
  const { of } = await import('rxjs');
  const fams = syntheticFamilies(perSnapshot);
  const args = ['--global.app-name', 'bench', '--collect.interval', '1h', '--push.interval', '1h'];
  if (push !== 'none') args.push('--push.vm.url', 'http://127.0.0.1:9');
  if (push === 'both') args.push('--push.remote-write.url', 'http://127.0.0.1:9/api/v1/write');
  const config = loadConfig({ args });
  const p = createPush({ config, log: { error: () => 0, warn: () => 0, info: () => 0, debug: () => 0 } });
  let k = 0;
  const agent = createAgent({
    config,
    collectors: [{ name: 'bench', defaultEnabled: true, collect: () => of(...fams.map((f) => ({ ...f, samples: f.samples.map((s) => ({ ...s, value: s.value + k })) }))) }],
    consumers: p ? [p.consumer] : [],
  });
  agent.start();
  gc();
  const idle = process.memoryUsage().rss;
  for (k = 0; k < snapshots; k++) await firstValueFrom(agent.scrape());
  gc();
  const rss = process.memoryUsage().rss;
  process.stdout.write(JSON.stringify({ idleRssMB: idle / 2 ** 20, rssMB: rss / 2 ** 20, bufferedSamplesPerSink: perSnapshot * snapshots, sinks: p?.sinks ?? [] }));
  process.exit(0);
}

/** Runs rssChild in a fresh node and returns what it printed. */
function rss(push: 'none' | 'vm' | 'both', perSnapshot: number, snapshots: number): { idleRssMB: number; rssMB: number; bufferedSamplesPerSink: number; sinks: string[] } {
  const r = spawnSync(process.execPath, [__filename, '--rss-child', String(perSnapshot), String(snapshots), push], { encoding: 'utf8' });
  if (r.status !== 0) throw new Error(`rss child failed: ${r.stderr}`);
  return JSON.parse(r.stdout) as ReturnType<typeof rss>;
}

/** Returns every figure of this benchmark. */
export function pushBench(o: { minMs?: number } = {}) {
  return {
    encode: encodeFigures({ minMs: o.minMs }),
    rssNoPush: rss('none', 1000, 1),
    rssVm100k: rss('vm', 1000, 100),
    rssBoth100k: rss('both', 1000, 100),
  };
}

const fmt = (n: number) => n.toLocaleString('en-US');

if (require.main === module) {
  if (process.argv[2] === '--rss-child') {
    void rssChild(Number(process.argv[3]), Number(process.argv[4]), process.argv[5] as 'none' | 'vm' | 'both');
  } else {
    const r = pushBench();
    if (process.argv.includes('--json')) process.stdout.write(`${JSON.stringify(r, null, 2)}\n`);
    else {
      const e = r.encode;
      const line = (name: string, x: { samplesPerSec: number; bytesPerSample: number }) =>
        `  ${name.padEnd(34)} ${fmt(x.samplesPerSec).padStart(12)} samples/s   ${x.bytesPerSample.toFixed(1)} B/sample`;
      process.stdout.write(
        [
          `push encode, one core, ${fmt(e.samplesPerSnapshot)} samples per snapshot (CPU time):`,
          line('vmImport text', e.vmImportText),
          line('vmImport text + gzip (zlib level 1)', e.vmImportTextGzip),
          line('remote write protobuf', e.remoteWriteProto),
          line('remote write protobuf + snappy', e.remoteWriteProtoSnappy),
          `agent RSS, no push sinks (undici not loaded): idle ${r.rssNoPush.idleRssMB.toFixed(1)} MB`,
          `agent RSS, vmagent sink: idle ${r.rssVm100k.idleRssMB.toFixed(1)} MB, ${fmt(r.rssVm100k.bufferedSamplesPerSink)} samples buffered ${r.rssVm100k.rssMB.toFixed(1)} MB`,
          `agent RSS, vmagent + remote_write sinks: idle ${r.rssBoth100k.idleRssMB.toFixed(1)} MB, ${fmt(r.rssBoth100k.bufferedSamplesPerSink)} samples buffered in each ${r.rssBoth100k.rssMB.toFixed(1)} MB`,
          '',
        ].join('\n'),
      );
    }
  }
}
