import { writeFileSync } from 'node:fs';
import { join } from 'node:path';

/** Writes a kubeconfig whose current context reaches `server` over plain HTTP in `namespace`. */
export function writeKubeconfig(dir: string, server: string, namespace = 'rxp'): string {
  const file = join(dir, 'kubeconfig');
  writeFileSync(
    file,
    [
      'apiVersion: v1',
      'kind: Config',
      'current-context: test',
      'clusters: [{name: fixture, cluster: {server: "' + server + '"}}]',
      'users: [{name: u, user: {}}]',
      `contexts: [{name: test, context: {cluster: fixture, user: u, namespace: ${namespace}}}]`,
      '',
    ].join('\n'),
  );
  return file;
}
