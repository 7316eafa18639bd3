// Time of the deployment, job and cronjob stores and of the text encoder on copies of the
// fixture objects (fixtures/ksm/*.json), three rounds each (the first warms the parse caches).
// Figures, not assertions: npm run build && node dist/bench/ksmWorkloads.js [COPIES=2000]
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { encodeText } from '../src/encode/text';
import { cronjobStore } from '../src/ksm/stores/cronjob';
import { deploymentStore } from '../src/ksm/stores/deployment';
import { jobStore } from '../src/ksm/stores/job';
import type { KsmOptions, KsmStore, KubeObject } from '../src/ksm/types';

const copies = Number(process.argv[2] || 2000);
const root = join(__dirname, '..', '..');
const o: KsmOptions = { labelsAllowlist: new Map(), annotationsAllowlist: new Map(), optIn: new Set(), now: () => Date.now(), timeZone: 'UTC' };
const ms = (a: bigint, b: bigint): string => (Number(b - a) / 1e6).toFixed(1);

for (const store of [deploymentStore, jobStore, cronjobStore] as KsmStore[]) {
  const file = join(root, 'fixtures', 'ksm', `${store.resource}.json`);
  const base = (JSON.parse(readFileSync(file, 'utf8')) as { items: KubeObject[] }).items;
  const objects = Array.from({ length: copies }, (_, i) => {
    const b = base[i % base.length];
    return { ...b, metadata: { ...b.metadata, name: `${b.metadata.name}-${i}` } };
  });
  for (let round = 1; round <= 3; round++) {
    const t0 = process.hrtime.bigint();
    const families = store.families(objects, o);
    const t1 = process.hrtime.bigint();
    const text = encodeText(families);
    const t2 = process.hrtime.bigint();
    console.log(`${store.resource} x${copies} round ${round}: families ${ms(t0, t1)} ms, text ${ms(t1, t2)} ms, ${text.length} bytes`);
  }
}
