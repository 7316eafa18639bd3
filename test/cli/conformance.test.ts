import { spawnSync } from 'node:child_process';
import { resolve } from 'node:path';
import { EXCEPTIONS } from '../../tools/conformance';
import type { ConformanceRun, Verdict } from '../../tools/conformance/harness';
import { repoRoot } from '../support/paths';

describe('npm run conformance -- --json', () => {
  it('reports the 64k-page variant as JSON and exits by its verdict', () => {
    const run = spawnSync(process.execPath, [resolve(repoRoot(), 'dist/tools/conformance.js'), '--json', '--variant', '64k'], {
      encoding: 'utf8',
      timeout: 60_000,
    });
    const out = JSON.parse(run.stdout) as { pass: boolean; exceptions: Record<string, unknown>; variants: (ConformanceRun & { verdict: Verdict })[] };
    expect(out.variants.map((v) => v.variant)).toEqual(['64k']);
    const v = out.variants[0];
    expect(v.expectedFile).toBe('e2e-64k-page-output.txt');
    expect(v.comparison.totals.expected).toBe(3003);
    expect(v.flags).toContain('--global.app-name=conformance');
    expect(v.flags).toContain('--path.procfs=collector/fixtures/proc');
    expect(v.verdict.matchedRatio).toBeCloseTo(v.comparison.totals.matched / v.comparison.totals.expected, 10);
    expect(Object.keys(out.exceptions)).toEqual(Object.keys(EXCEPTIONS));
    expect(run.status).toBe(out.pass ? 0 : 1);
  });

  it('rejects an unknown argument with exit code 2', () => {
    const run = spawnSync(process.execPath, [resolve(repoRoot(), 'dist/tools/conformance.js'), '--bogus'], { encoding: 'utf8' });
    expect(run.status).toBe(2);
    expect(run.stderr).toContain('unknown argument --bogus');
  });
});
