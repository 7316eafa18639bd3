/**
 * KSM stores benchmark: the families of the pod, node and namespace stores for a fixture
 * cluster (the objects of fixtures/ksm/*.json copied to 5 000 pods on 100 nodes in 50
 * namespaces), in CPU milliseconds per call (median of the runs, process.cpuUsage), and the
 * text encoding of them. Figures, not assertions: `node dist/bench/ksmStores.js [--pods N] [--runs N]`.
 */
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { encodeText } from '../src/encode/text';
import { namespaceStore } from '../src/ksm/stores/namespace';
import { nodeStore } from '../src/ksm/stores/node';
import { podStore } from '../src/ksm/stores/pod';
import type { KsmOptions, KsmStore, KubeObject } from '../src/ksm/types';
import type { MetricFamily } from '../src/model/family';

const root = resolve(__dirname, '..', '..');
const arg = (name: string, def: number): number => {
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 ? Number(process.argv[i + 1]) : def;
};
const items = (file: string): KubeObject[] =>
  (JSON.parse(readFileSync(resolve(root, 'fixtures', 'ksm', file), 'utf8')) as { items: KubeObject[] }).items;

/** Returns `n` copies of `templates` in turn, each with its own name, uid, namespace and node. */
function copies(templates: readonly KubeObject[], n: number, nodes: number, namespaces: number): KubeObject[] {
  const out: KubeObject[] = [];
  for (let i = 0; i < n; i++) {
    const t = templates[i % templates.length];
    const metadata = { ...t.metadata, name: `${t.metadata.name}-${i}`, uid: `uid-${i}` };
    if (t.metadata.namespace !== undefined) metadata.namespace = `ns-${i % namespaces}`;
    out.push({ ...t, metadata, spec: t.spec && t.spec.nodeName !== undefined ? { ...t.spec, nodeName: `node-${i % nodes}` } : t.spec });
  }
  return out;
}

const cpuMs = (f: () => void): number => {
  const c = process.cpuUsage();
  f();
  const d = process.cpuUsage(c);
  return (d.user + d.system) / 1000;
};
const median = (xs: number[]): number => xs.slice().sort((a, b) => a - b)[Math.floor(xs.length / 2)];

const pods = arg('pods', 5000);
const runs = arg('runs', 7);
const o: KsmOptions = { labelsAllowlist: new Map(), annotationsAllowlist: new Map(), optIn: new Set(), now: () => Date.now() };
const cluster: [KsmStore, KubeObject[]][] = [
  [podStore, copies(items('pods.json'), pods, 100, 50)],
  [nodeStore, copies(items('nodes.json'), 100, 100, 1)],
  [namespaceStore, copies(items('namespaces.json'), 50, 1, 1)],
];
const all: MetricFamily[] = [];
for (const [store, objects] of cluster) {
  let fams: MetricFamily[] = [];
  const t = median(Array.from({ length: runs }, () => cpuMs(() => (fams = store.families(objects, o)))));
  all.push(...fams);
  const samples = fams.reduce((n, f) => n + f.samples.length, 0);
  console.log(`${store.resource}: ${objects.length} objects, ${samples} samples, families() ${t.toFixed(1)} ms CPU (median of ${runs})`);
}
let bytes = 0;
const enc = median(Array.from({ length: runs }, () => cpuMs(() => (bytes = encodeText(all).length))));
console.log(`encodeText of all: ${(bytes / 1e6).toFixed(1)} MB, ${enc.toFixed(1)} ms CPU (median of ${runs})`);
