import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';

/** Returns the repository root (the directory of rxporter's package.json). */
export function repoRoot(): string {
  for (let dir = __dirname; dir !== dirname(dir); dir = dirname(dir)) {
    const p = join(dir, 'package.json');
    if (existsSync(p) && (JSON.parse(readFileSync(p, 'utf8')) as { name?: string }).name === 'rxporter') return dir;
  }
  throw new Error('repository root not found');
}

/** Returns the absolute path of `rel` under fixtures/. */
export const fixture = (...rel: string[]): string => resolve(repoRoot(), 'fixtures', ...rel);

/** Returns the built CLI's path (npm test builds first). */
export const cliPath = (): string => resolve(repoRoot(), 'dist/src/cli/main.js');

/**
 * Asserts `actual` equals fixtures/golden/<name>; with UPDATE_GOLDEN=1 rewrites the file instead.
 */
export function expectGolden(name: string, actual: string): void {
  const p = fixture('golden', name);
  if (process.env.UPDATE_GOLDEN === '1' || !existsSync(p)) {
    if (process.env.CI === 'true' && !existsSync(p)) throw new Error(`golden file ${name} missing (run with UPDATE_GOLDEN=1)`);
    writeFileSync(p, actual);
  }
  expect(actual).toBe(readFileSync(p, 'utf8'));
}
