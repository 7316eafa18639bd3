import { spawnSync } from 'node:child_process';
import { readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { repoRoot } from './support/paths';

describe('README', () => {
  const readme = readFileSync(join(repoRoot(), 'README.md'), 'utf8');

  it('starts with the two commands', () => {
    const firstBlock = /```sh\n([\s\S]*?)```/.exec(readme)![1];
    expect(firstBlock).toContain('npm install && npm start');
    expect(firstBlock).toContain('npm test');
  });

  it('runs the embedding example as written and gets two snapshots with memory data', () => {
    const code = /<!-- readme-example:start -->\n```js\n([\s\S]*?)```\n<!-- readme-example:end -->/.exec(readme)![1];
    // Run it from inside the repo so 'rxjs' resolves; 'rxporter' is this package's build.
    const file = join(repoRoot(), 'test', `.readme-example-${process.pid}.mjs`);
    writeFileSync(file, code.replace("from 'rxporter'", "from '../dist/src/index.js'"));
    try {
      const r = spawnSync(process.execPath, [file], { encoding: 'utf8', timeout: 30_000 });
      expect(r.stderr).toBe('');
      expect(r.status).toBe(0);
      const lines = r.stdout.trim().split('\n');
      expect(lines).toHaveLength(2);
      lines.forEach((l, i) => expect(l).toMatch(new RegExp(`^${i + 1} \\d{4}-\\d\\d-\\d\\dT[\\d:.]+Z \\d+$`)));
    } finally {
      rmSync(file, { force: true });
    }
  });
});
