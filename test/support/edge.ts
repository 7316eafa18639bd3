import { existsSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';

function root(): string {
  for (let dir = __dirname; dir !== dirname(dir); dir = dirname(dir)) {
    const p = join(dir, 'package.json');
    if (existsSync(p) && (JSON.parse(readFileSync(p, 'utf8')) as { name?: string }).name === 'rxporter') return dir;
  }
  throw new Error('repository root not found');
}

/** Returns the path of fixtures/edge/<area>/<file>. */
export const edgePath = (area: string, file: string): string => join(root(), 'fixtures', 'edge', area, file);

/** Returns the text of fixtures/edge/<area>/<file>. */
export const edge = (area: string, file: string): string => readFileSync(edgePath(area, file), 'utf8');

/** Returns the RxporterError code `fn` throws, or 'none'. */
export function thrownCode(fn: () => unknown): string {
  try {
    fn();
  } catch (e) {
    return (e as { code?: string }).code ?? `non-RxporterError: ${String(e)}`;
  }
  return 'none';
}
